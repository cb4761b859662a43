// No automatic loading: call `await init(input)` before using any class.
export * from "../exports.js";
