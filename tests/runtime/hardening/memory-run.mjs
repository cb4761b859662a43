// Memory (issue 12 item 5), one instance of the Node entry, run by memory.mjs as
//   SIM_URL=… node --expose-gc suite/hardening/memory-run.mjs   (from target/runtime-app)
// 100,000 signatures, 10,000 session.fetch calls (a local stub fetch), 100 full paging runs of
// ZapEvent's 10,000-participant activity (pages recorded once from the simulator, then served
// by an in-process fetch), then 20,000 signers and sessions dropped without free(). Prints one
// line `@@memory {…}`: wasm linear memory in 64 KiB pages after the warm-up and after each
// phase (read through `initSync()`, which hands back the initialized module's exports), the JS
// heap after a full GC, and how many dropped wrappers a FinalizationRegistry saw collected.
import * as pkg from "oauth-edge";
import { loadFixtures } from "../cases.mjs";
import { zapOAuth1 } from "../zapevent/cases.mjs";

const simUrl = process.env.SIM_URL;
if (!simUrl || typeof gc !== "function") throw new Error("needs SIM_URL and node --expose-gc");
const ctx = { pkg, simUrl, fixtures: await loadFixtures(simUrl) };
const pages = () => pkg.initSync().memory.buffer.byteLength / 65536;
const settle = async () => {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
};
const heapMb = async () => (await settle(), Math.round(process.memoryUsage().heapUsed / 2 ** 20));

// The marathon's pages, recorded once through the simulator, then replayed in-process.
const recorded = new Map();
const recorder = async (input, init) => {
  const res = await fetch(input, init);
  const body = new Uint8Array(await res.arrayBuffer());
  recorded.set(String(input), { status: res.status, headers: [...res.headers], body });
  return new Response(body, { status: res.status, headers: res.headers });
};
const replay = async (input) => {
  const r = recorded.get(String(input));
  if (!r) throw new TypeError(`not recorded: ${input}`);
  return new Response(r.body, { status: r.status, headers: r.headers });
};
const MARATHON = { eventId: 1005, activityId: 2006 };
const paging = async (fetchFn) => {
  // 250 a page (the most ZapEvent allows): 40 pages a run, 1,000 at the default 10.
  const n = (await zapOAuth1(ctx, { format: "json", fetch: fetchFn }).participants({ ...MARATHON, resultsPerPage: 250 }).toArray()).length;
  if (n !== ctx.fixtures.zapevent.marathon.participants) throw new Error(`a paging run read ${n} records`);
};

const signer = new pkg.OAuth1Signer({ consumerKey: "ck", consumerSecret: "cs", token: "t", tokenSecret: "ts" });
const sign = (i) => signer.sign({ method: "POST", url: `https://api.example.com/r?i=${i}`, form: { a: String(i) } });
const tokens = { accessToken: "at", refreshToken: "rt", tokenType: "Bearer", expiresAt: Date.now() + 3_600_000, scope: null };
const client = new pkg.OAuth2Client({ clientId: "c", tokenUrl: "https://as.example/token" });
const session = new pkg.TokenSession(client, { store: pkg.memoryStore(tokens), fetch: async () => new Response("ok") });

// Warm-up: one of everything (the allocator reaches its working size).
await paging(recorder);
await paging(replay);
for (let i = 0; i < 1000; i++) sign(i);
for (let i = 0; i < 100; i++) await (await session.fetch("https://api.example.com/x")).text();
const out = { warm: pages(), heapWarmMb: await heapMb() };

let t = Date.now();
const lap = () => -t + (t = Date.now());
for (let i = 0; i < 100_000; i++) sign(i);
out.afterSignatures = pages();
out.signaturesMs = lap();
for (let i = 0; i < 10_000; i++) await (await session.fetch(`https://api.example.com/x?i=${i}`)).text();
out.afterFetches = pages();
out.fetchesMs = lap();
for (let i = 0; i < 100; i++) {
  await paging(replay);
  if (i === 9) out.afterPaging10 = pages();
}
out.afterPaging = pages();
out.pagingMs = lap();

// Wrappers dropped without free(), in rounds: wasm-bindgen's FinalizationRegistry must free
// their Rust side, so later rounds reuse the memory of earlier ones.
const collected = { n: 0 };
const watch = new FinalizationRegistry(() => collected.n++);
out.afterDropRounds = [];
for (let round = 0; round < 5; round++) {
  for (let i = 0; i < 2_000; i++) {
    watch.register(new pkg.OAuth1Signer({ consumerKey: "ck", consumerSecret: `cs${i}` }), i);
    watch.register(new pkg.TokenSession(client, { store: pkg.memoryStore() }), i);
  }
  await settle();
  out.afterDropRounds.push(pages());
}
out.dropped = 20_000;
out.collected = collected.n;
out.heapEndMb = await heapMb();
console.log(`@@memory ${JSON.stringify(out)}`);
