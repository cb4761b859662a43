// docs/api.md and docs/api-providers.md, the API reference, generated from the declarations of the BUILT package (pkg/
// after `bash scripts/build.sh`): every export of each entry point's .d.ts with its doc comment,
// read with the TypeScript compiler API (tests/node_modules/typescript). The declarations are
// what users' editors show, and most of them are generated from the Rust doc comments of src/js/
// by wasm-bindgen, so the reference follows the code by construction.
//
//   node scripts/api-docs.mjs                # rewrite both pages
//   node scripts/api-docs.mjs --check        # exit 1 if a committed page differs from the declarations
//   node scripts/api-docs.mjs --pkg other/pkg   # another built package directory
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ts = createRequire(join(ROOT, "tests", "package.json"))("typescript");
const DOCS = join(ROOT, "docs");
const argPkg = process.argv.indexOf("--pkg");
const PKG = resolve(argPkg > 0 ? process.argv[argPkg + 1] : join(ROOT, "pkg"));

// Members every wasm-bindgen class has; described once, in the introduction.
const WASM_CLASS_MEMBERS = new Set(["free", "[Symbol.dispose]"]);

/** The entry points, as package.json's exports map names them. */
const ENTRIES = [
  { names: ["oauth-edge", "oauth-edge/manual"], dts: "index.d.ts" },
  { names: ["oauth-edge/oauth1"], dts: "oauth1/index.d.ts" },
  { names: ["oauth-edge/oauth_edge_bg.wasm", "oauth-edge/oauth1/oauth_edge_bg.wasm"], dts: "wasm.d.ts" },
];

const KIND = {
  class: "Classes",
  function: "Functions",
  interface: "Interfaces (options, inputs, results, records)",
  type: "Types",
  variable: "Values",
};

/** `{@link X}` / `{@link X label}` as code (the target's section is on one of the pages). */
const links = (text) => text.replace(/\{@link(?:code|plain)?\s+([^}\s|]+)(?:[\s|]+([^}]*))?\}/g, (_, target, label) => `\`${(label || target).trim()}\``);

function docOf(checker, symbol) {
  const text = links(ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim());
  const tags = symbol.getJsDocTags(checker).map((t) => `*@${t.name}* ${ts.displayPartsToString(t.text ?? []).trim()}`.trim());
  return [text, ...tags].filter(Boolean).join("\n\n");
}

/** A declaration's source text without its leading doc comment, trailing spaces trimmed. */
const textOf = (node) => node.getText().split("\n").map((l) => l.trimEnd()).join("\n");

/** Source text with the common leading indentation of the lines after the first removed. */
function dedent(text) {
  const lines = text.split("\n");
  const indents = lines.slice(1).filter((l) => l.trim()).map((l) => /^ */.exec(l)[0].length);
  const cut = Math.min(...indents, 4);
  return [lines[0], ...lines.slice(1).map((l) => l.slice(Math.min(cut, /^ */.exec(l)[0].length)))].join("\n");
}

function kindOf(decls) {
  // A class may be merged with an interface of the same name (methods a custom TypeScript
  // section of src/js/ declares, e.g. OneRoster's generic list/get): it is a class.
  if (decls.some((d) => ts.isClassDeclaration(d))) return "class";
  const decl = decls[0];
  if (ts.isFunctionDeclaration(decl)) return "function";
  if (ts.isInterfaceDeclaration(decl)) return "interface";
  if (ts.isTypeAliasDeclaration(decl)) return "type";
  if (ts.isVariableDeclaration(decl) || ts.isExportAssignment(decl)) return "variable";
  throw new Error(`unexpected declaration kind ${ts.SyntaxKind[decl.kind]} in ${decl.getSourceFile().fileName}`);
}

/** The markdown section of one exported symbol. */
function section(checker, name, symbol) {
  const decls = symbol.getDeclarations() ?? [];
  if (!decls.length) throw new Error(`export ${name} has no declaration`);
  const kind = kindOf(decls);
  const out = [`### \`${name}\``, ""];
  const doc = docOf(checker, symbol);
  if (doc) out.push(doc, "");
  if (kind === "class") {
    const members = decls.filter((d) => ts.isClassDeclaration(d) || ts.isInterfaceDeclaration(d)).flatMap((d) => [...d.members]);
    out.push(...memberList(checker, name, members), "");
  } else if (kind === "interface") {
    for (const d of decls) {
      const params = d.typeParameters ? `<${d.typeParameters.map(textOf).join(", ")}>` : "";
      const heritage = d.heritageClauses ? ` ${d.heritageClauses.map(textOf).join(" ")}` : "";
      if (params || heritage) out.push(`\`interface ${name}${params}${heritage}\``, "");
      out.push(...memberList(checker, name, d.members, true), "");
    }
  } else {
    for (const d of decls) out.push("```ts", dedent(textOf(d)), "```", "");
  }
  return { kind, text: out.join("\n") };
}

/**
 * One bullet per member: its signature, then its doc comment (on the same line for interface
 * members, `compact`; indented below it for class members).
 */
function memberList(checker, name, members, compact = false) {
  const out = [];
  // The constructor first; the rest in declaration order (wasm-bindgen's is alphabetical).
  const ordered = [...members].sort((a, b) => Number(ts.isConstructorDeclaration(b)) - Number(ts.isConstructorDeclaration(a)));
  for (const m of ordered) {
    const ctor = ts.isConstructorDeclaration(m);
    if (m.name && WASM_CLASS_MEMBERS.has(m.name.getText())) continue;
    if (ctor && m.modifiers?.some((x) => x.kind === ts.SyntaxKind.PrivateKeyword)) {
      const statics = members.some((x) => x.modifiers?.some((y) => y.kind === ts.SyntaxKind.StaticKeyword));
      out.push(statics ? "No public constructor: use the static methods below." : "No public constructor: other calls return instances.", "");
      continue;
    }
    let doc = "";
    if (ctor) doc = links(ts.displayPartsToString(checker.getSignatureFromDeclaration(m).getDocumentationComment(checker)).trim());
    else if (m.name) doc = docOf(checker, checker.getSymbolAtLocation(m.name));
    let sig = textOf(m).replace(/;$/, "").replace(/\s*\n\s*/g, " ");
    if (ctor) sig = `new ${name}${sig.slice("constructor".length)}`;
    if (compact) out.push(`- \`${sig}\`${doc ? ` — ${doc.replace(/\s*\n\s*/g, " ")}` : ""}`);
    else out.push(`- \`${sig}\``, ...(doc ? [`  ${doc.replace(/\n/g, "\n  ")}`] : []));
  }
  return out;
}

/** {name → {kind, text}} of every export of `file`, in the order the file exports them. */
function exportsOf(program, file) {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`${file} is not in the program`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  const result = new Map();
  for (const exp of checker.getExportsOfModule(moduleSymbol)) {
    const target = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
    const name = exp.name === "default" ? "default" : exp.name;
    result.set(name, section(checker, name, target));
  }
  return result;
}

/**
 * The pages: the provider clients' exports (by name) on their own page, so that no page is too
 * long to read at once; everything else on docs/api.md.
 */
const PROVIDERS = /^(ZapEvent|OneRoster|Orc|OnlineRegistrationCenter|OmniFund)/;
const PAGES = { main: "api.md", providers: "api-providers.md" };

const HEADER = [
  "<!-- Generated by `node scripts/api-docs.mjs` from the built package's declarations (pkg/*.d.ts, after `bash scripts/build.sh`); `make test` fails when this file differs from them. Edit the doc comments (src/js/*.rs, pkg-template/*.d.ts), not this. -->",
  "",
];

const byKind = (items) =>
  Object.entries(KIND).flatMap(([kind, title]) => {
    const list = items.filter((s) => s.kind === kind);
    return list.length ? [`## ${title}`, "", ...list.map((s) => s.text)] : [];
  });

/** {file name under docs/ → text}. */
export function render(pkgDir = PKG) {
  const files = ENTRIES.map((e) => join(pkgDir, e.dts));
  for (const f of files) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`bash scripts/build.sh\` first`);
  }
  const program = ts.createProgram(files, { noEmit: true, strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.esnext.disposable.d.ts"], types: [] });
  const [main, oauth1, wasm] = files.map((f) => exportsOf(program, f));
  const providers = [...main].filter(([n]) => PROVIDERS.test(n));
  const core = [...main].filter(([n]) => !PROVIDERS.test(n));

  const out = [
    "# API reference",
    "",
    ...HEADER,
    "Every export of the package, with the doc comment its declaration carries. The declarations",
    "ship in the package: an editor shows the same text. Errors are `OAuthEdgeError` with a",
    "stable `code`: the table is in the README, section [Errors](../README.md#errors).",
    "Every class also has `free()` and `[Symbol.dispose]()` (wasm-bindgen: release the",
    "WebAssembly side at once, or with `using`; otherwise the garbage collector does it).",
    "",
    "| entry point | declarations | exports |",
    "|---|---|---|",
    ...ENTRIES.map((e, i) => `| ${e.names.map((n) => `\`${n}\``).join(", ")} | \`${e.dts}\` | ${[main, oauth1, wasm][i].size} |`),
    "",
    `## \`${ENTRIES[0].names.join("`, `")}\``,
    "",
    "`oauth-edge/manual` is the same API without loading the WebAssembly module: call `init` first.",
    `The provider clients (${providers.filter(([, s]) => s.kind === "class").map(([n]) => `\`${n}\``).join(", ")}) and their options and records: [${PAGES.providers}](${PAGES.providers}).`,
    "",
    ...byKind(core.map(([, s]) => s)),
  ];
  // The OAuth 1.0a-only entry: a subset of the main one, from its own module; a declaration
  // that differs from the main entry's is shown in full.
  const same = [...oauth1.keys()].filter((n) => main.get(n)?.text === oauth1.get(n).text);
  const differ = [...oauth1.keys()].filter((n) => !same.includes(n));
  out.push(`## \`oauth-edge/oauth1\``, "", "The OAuth 1.0a-only build (its own, smaller WebAssembly module). Exports, each declared as in `oauth-edge`:", "");
  out.push(same.map((n) => `\`${n}\``).join(", "), "");
  if (differ.length) out.push("Declared differently from `oauth-edge`:", "", ...differ.map((n) => oauth1.get(n).text));
  out.push(`## \`${ENTRIES[2].names.join("`, `")}\``, "", "The compiled modules themselves, for hosts that load them (then `init` from `oauth-edge/manual`).", "");
  for (const [, s] of wasm) out.push(s.text.replace(/^### `default`/, "### default export"));

  const prov = [
    "# API reference: provider clients",
    "",
    ...HEADER,
    `The provider API clients of \`oauth-edge\` (not in \`oauth-edge/oauth1\`); the rest of the API, the OAuth clients, \`TokenSession\` and \`PagedList\` that these build on: [${PAGES.main}](${PAGES.main}). Notes per provider: [providers/](providers/).`,
    "",
    ...byKind(providers.map(([, s]) => s)),
  ];
  const tidy = (lines) => lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
  return { [PAGES.main]: tidy(out), [PAGES.providers]: tidy(prov) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const pages = render();
  let stale = 0;
  for (const [name, text] of Object.entries(pages)) {
    const file = join(DOCS, name);
    if (!process.argv.includes("--check")) {
      writeFileSync(file, text);
      console.log(`docs/${name} written (${text.split("\n").length - 1} lines)`);
      continue;
    }
    const committed = existsSync(file) ? readFileSync(file, "utf8") : "";
    if (committed === text) continue;
    const a = committed.split("\n");
    const b = text.split("\n");
    const i = a.findIndex((l, k) => l !== b[k]);
    console.error(`api-docs: docs/${name} differs from the declarations in ${PKG} (first at line ${i + 1}: ${JSON.stringify(a[i] ?? "")} vs ${JSON.stringify(b[i] ?? "")}): run \`node scripts/api-docs.mjs\``);
    stale++;
  }
  if (stale) process.exit(1);
  if (process.argv.includes("--check")) console.log(`api-docs: ${Object.keys(pages).map((n) => `docs/${n}`).join(", ")} match the declarations`);
}
