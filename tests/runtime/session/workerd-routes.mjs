// The Worker routes of session scenarios (d) and (l) (../workerd/worker.mjs serves them; the
// driver side is workerd-cycles.mjs):
//   POST /d/signin?name=N              password grant → TokenSession.signIn into DO "N"
//   GET  /d/call?name=N&offsetMs=O&calls=K
//        a NEW TokenSession over durableObjectStore(DO "N") — one per request, like separate
//        isolates — makes K concurrent session.fetch() calls → {statuses, errors, state}
//   GET  /d/stored?name=N              what DO "N" holds
//   POST /h/signin?cas=URL&name=N, GET /h/call?cas=URL&name=N&offsetMs=O&calls=K, GET /h/stored…
//        the same over httpCasStore: record N in the driver's HTTP CAS server at URL (no lock,
//        not a Durable Object; scenario (l))
import { httpCasStore } from "./cas-store.mjs";
import { genericClient, passwordTokens } from "./cases.mjs";

/** {status, body} for a /d/ or /h/ route, or null for any other path. */
export async function sessionRoute(url, env, ctx) {
  if (!/^\/[dh]\//.test(url.pathname)) return null;
  const { pkg, simUrl } = ctx;
  const name = url.searchParams.get("name") || "default";
  const offsetMs = Number(url.searchParams.get("offsetMs") || 0);
  const cas = url.searchParams.get("cas");
  const route = url.pathname.replace(/^\/h\//, "/d/");
  const store = () => (url.pathname.startsWith("/h/") ? httpCasStore(cas, name) : pkg.durableObjectStore(env.TOKENS.get(env.TOKENS.idFromName(name))));
  const newSession = () => new pkg.TokenSession(genericClient(ctx), { store: store(), now: () => Date.now() + offsetMs });
  try {
    if (route === "/d/signin") {
      const session = newSession();
      await session.signIn(await passwordTokens(ctx, genericClient(ctx)));
      return { status: 200, body: { state: session.state() } };
    }
    if (route === "/d/call") {
      const session = newSession();
      const k = Number(url.searchParams.get("calls") || 1);
      const settled = await Promise.allSettled(
        Array.from({ length: k }, async () => {
          const res = await session.fetch(`${simUrl}/oauth2/api/me`);
          await res.text();
          return res.status;
        }),
      );
      return {
        status: 200,
        body: {
          statuses: settled.filter((s) => s.status === "fulfilled").map((s) => s.value),
          errors: settled.filter((s) => s.status === "rejected").map((s) => `${s.reason?.name}/${s.reason?.code}: ${s.reason?.message}`),
          state: session.state(),
        },
      };
    }
    if (route === "/d/stored") return { status: 200, body: await store().load() };
  } catch (e) {
    return { status: 500, body: { error: String((e && (e.stack || e.message)) || e) } };
  }
  return { status: 404, body: { error: "no such route" } };
}
