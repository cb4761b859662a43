// The one export list of every entry point (entry/*.js re-export it after loading the
// WebAssembly, each the way its host needs). scripts/build.sh copies the entries, init.js and
// this file unchanged into oauth1/, next to the OAuth 1.0a-only module's own oauth_edge.js and
// error.js; the one file that differs between the two builds is stores/index.js (oauth1 has
// none: pkg-template/oauth1/stores/index.js).
import { OAuth1Signer } from "./oauth_edge.js";
import { installSign } from "./oauth1_sign.js";
export * from "./oauth_edge.js";
export { OAuthEdgeError } from "./error.js";
export { init } from "./init.js";
export * from "./stores/index.js";

// OAuth1Signer.prototype.sign is written in JS over the module's signParts (see the file).
installSign(OAuth1Signer);
