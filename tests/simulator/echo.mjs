// The generic OAuth 1.0a verifier route for SDK tests: ANY /oauth1/echo[/...] verifies the
// request with the fixture consumers (fixtures.oauth1.*) and echoes what was signed.

import { oauth1RefusalHeaders } from "./oauth1.mjs";
import { sendJson } from "./util.mjs";

export function createEcho({ fixtures, verifier }) {
  const creds = Object.values(fixtures.oauth1);
  const consumers = new Map(creds.map((c) => [c.consumerKey, { key: c.consumerKey, secret: c.consumerSecret, signatureMethods: c.signatureMethods }]));
  const tokens = new Map(creds.map((c) => [c.token, { token: c.token, secret: c.tokenSecret, kind: "access", consumerKey: c.consumerKey }]));
  // Token optional: with one it is 3-legged style, without one 2-legged (empty token secret).
  const policy = { consumer: (k) => consumers.get(k) || null, token: (t) => tokens.get(t) || null, tokenKind: "optional" };

  function echo(r, res) {
    const v = verifier.verify(r, policy);
    if (!v.ok) {
      sendJson(res, v.status, { ok: false, reason: v.reason, problem: v.problem, message: v.message },
        oauth1RefusalHeaders(v));
      return;
    }
    const strip = (pairs) => pairs.filter(([k]) => !k.startsWith("oauth_"));
    sendJson(res, 200, {
      ok: true,
      method: r.method,
      path: r.path,
      query: strip(r.query),
      form: r.form ? strip(r.form) : null,
      oauth: v.oauth,
      placement: v.placement,
      body_length: r.body.length,
    });
  }

  return {
    routes: [{ method: "*", path: /^\/oauth1\/echo(?:\/.*)?$/, handler: echo }],
    reset() {},
  };
}
