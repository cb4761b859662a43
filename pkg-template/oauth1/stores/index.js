// The OAuth 1.0a-only build ("oauth-edge/oauth1") has no OAuth 2, so no token stores: its copy of
// ../exports.js re-exports this empty list.
export {};
