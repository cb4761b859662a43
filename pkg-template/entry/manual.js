// No automatic loading: call `await init(input)` before using any class.
export * from "../oauth_edge.js";
export { OAuthEdgeError } from "../error.js";
export { init } from "../init.js";
