// Transport rules (issue 12 item 4): a response body over `maxResponseBytes` is refused before
// it is parsed — at once from Content-Length (the body is never read), or while streaming a
// body of unknown length (read only up to the limit, then cancelled) — and the limit is a
// checked option.
const TOKEN = JSON.stringify({ access_token: "a", token_type: "Bearer", expires_in: 60 });

function client(ctx, fetch, maxResponseBytes) {
  return new ctx.pkg.OAuth2Client({ clientId: "c", clientSecret: "s", tokenUrl: "https://as.example/token", fetch, ...(maxResponseBytes === undefined ? {} : { maxResponseBytes }) });
}

async function code(promise) {
  try {
    await promise;
    return "resolved";
  } catch (e) {
    return e.code ?? String(e);
  }
}

export const limitCases = [
  {
    name: "maxResponseBytes: a declared or streamed body over the limit is RESPONSE_TOO_LARGE and not read past it; within the limit it parses; the option is checked",
    async run(ctx) {
      const { assert } = ctx;
      // Declared too large: refused without reading the body.
      let pulled = 0;
      const declared = () => {
        const body = new ReadableStream({ pull(c) { pulled++; c.enqueue(new Uint8Array(1000)); } });
        return new Response(body, { headers: { "content-type": "application/json", "content-length": "5000000" } });
      };
      assert.equal(await code(client(ctx, declared, 4096).refresh("r")), "RESPONSE_TOO_LARGE", "Content-Length over the limit");
      assert.ok(pulled <= 1, `the body was not read (pulled ${pulled} chunks)`);
      // Unknown length: streamed up to the limit, then cancelled.
      let cancelled = false;
      let sent = 0;
      const endless = () => new Response(new ReadableStream({
        pull(c) { sent += 1024; c.enqueue(new Uint8Array(1024).fill(32)); },
        cancel() { cancelled = true; },
      }), { headers: { "content-type": "application/json" } });
      assert.equal(await code(client(ctx, endless, 10_000).refresh("r")), "RESPONSE_TOO_LARGE", "an endless chunked body");
      assert.ok(sent <= 10_000 + 2048, `read ${sent} bytes of an endless body with a 10,000-byte limit`);
      await new Promise((r) => setTimeout(r, 0));
      assert.ok(cancelled, "the stream was cancelled");
      // Within the limit (declared and streamed): parsed as usual.
      const small = () => new Response(TOKEN, { headers: { "content-type": "application/json" } });
      assert.equal((await client(ctx, small, TOKEN.length).refresh("r")).accessToken, "a", "a body exactly at the limit");
      const streamed = () => new Response(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(TOKEN)); c.close(); } }), { headers: { "content-type": "application/json" } });
      assert.equal((await client(ctx, streamed, TOKEN.length).refresh("r")).accessToken, "a", "a streamed body at the limit");
      assert.equal((await client(ctx, small).refresh("r")).accessToken, "a", "the default limit");
      // The option itself.
      for (const bad of [0, -1, "big", Number.NaN]) {
        let err;
        try {
          client(ctx, small, bad);
        } catch (e) {
          err = e;
        }
        assert.equal(err?.code, "INVALID_ARGUMENT", `maxResponseBytes: ${String(bad)}`);
        assert.ok(err.invalidParams?.includes("maxResponseBytes"), "invalidParams names the option");
      }
    },
  },
];
