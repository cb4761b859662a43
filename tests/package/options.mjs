// The options interfaces of the .d.ts name exactly the options the constructors read. Those
// declared by `js_options!` (src/js/options.rs) come from the same list as their reader, so a
// declared option is always read; for them this catches an option read outside that list (a
// stray `get(&options, …)`). The hand-written interfaces (types.rs, the provider clients) can
// drift both ways. The constructor runs on a Proxy of a valid options object that records every
// property read.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** The members of `export interface <name>` in the declaration text, with those of the
 * interfaces it extends (JSDoc lines skipped). */
export function declaredMembers(dts, name) {
  const m = new RegExp(`export interface ${name}(?: extends ([^{]+))? \\{\\n([\\s\\S]*?)\\n\\}`).exec(dts);
  if (!m) throw new Error(`interface ${name} is not declared`);
  const own = m[2]
    .split("\n")
    .map((l) => /^\s+(\w+)\??:/.exec(l)?.[1])
    .filter(Boolean);
  const bases = (m[1] ?? "").split(",").map((b) => b.trim()).filter(Boolean);
  return [...own, ...bases.flatMap((b) => declaredMembers(dts, b))];
}

/** The property names `construct(proxy)` reads from `options`. */
function readKeys(options, construct) {
  const seen = new Set();
  const proxy = new Proxy(options, {
    get(target, key, receiver) {
      if (typeof key === "string") seen.add(key);
      return Reflect.get(target, key, receiver);
    },
  });
  construct(proxy);
  return seen;
}

/** Throws unless every interface lists exactly what its constructor reads. */
export async function checkOptionsDeclarations(pkgDir) {
  const dts = await readFile(join(pkgDir, "oauth_edge.d.ts"), "utf8");
  const pkg = await import(pathToFileURL(join(pkgDir, "entry", "node.js")).href);
  const client = () =>
    new pkg.OAuth2Client({ clientId: "c", tokenUrl: "https://as.example/token", fetch: async () => new Response("") });
  const store = { load: async () => null, save: async () => "1" };
  const consumer = { consumerKey: "ck", consumerSecret: "cs" };
  // Each constructor or factory with a declared options interface (the options given are the
  // required ones; every option is read whether given or not).
  const cases = [
    ["OAuth2ClientOptions", { clientId: "c", tokenUrl: "https://as.example/token" }, (o) => new pkg.OAuth2Client(o)],
    ["TokenSessionOptions", { store }, (o) => new pkg.TokenSession(client(), o)],
    ["OAuth1SignerOptions", consumer, (o) => new pkg.OAuth1Signer(o)],
    [
      "OAuth1FlowOptions",
      { ...consumer, requestTokenUrl: "https://sp.example/rt", authorizeUrl: "https://sp.example/a", accessTokenUrl: "https://sp.example/at" },
      (o) => new pkg.OAuth1Flow(o),
    ],
    ["OneRosterDirectOptions", { baseUrl: "https://sis.example", clientId: "c", clientSecret: "s" }, (o) => pkg.OneRoster.direct(o)],
    ["OneRosterProxyOptions", { appId: "a", accessToken: "t" }, (o) => pkg.OneRoster.classLinkProxy(o)],
    [
      "OneRosterV1p2Options",
      { baseUrl: "https://sis.example", tokenUrl: "https://sis.example/token", clientId: "c", clientSecret: "s" },
      (o) => pkg.OneRoster.v1p2(o),
    ],
    ["ZapEventOAuth1Options", { ...consumer, token: "t", tokenSecret: "ts" }, (o) => pkg.ZapEvent.oauth1(o)],
    ["ZapEventOAuth1FlowOptions", consumer, (o) => pkg.ZapEvent.oauth1Flow(o)],
  ];
  const problems = [];
  for (const [name, options, construct] of cases) {
    const declared = new Set(declaredMembers(dts, name));
    const read = readKeys(options, construct);
    for (const k of read) if (!declared.has(k)) problems.push(`${name}: '${k}' is read but not declared`);
    for (const k of declared) if (!read.has(k)) problems.push(`${name}: '${k}' is declared but never read`);
  }
  if (problems.length) throw new Error(problems.join("; "));
  return cases.length;
}
