// The documentation points only at what is in the repository (a user or contributor has nothing
// else): in README.md and every docs/**/*.md, each markdown link is a relative path to a file
// or directory that exists (no http(s) links: those pages are not in the repository), and each
// repository path written as inline code (`docs/…`, `src/…`, `tests/…`, `scripts/…`,
// `pkg-template/…`, `examples-js/…`, `fuzz/…`) exists.
//
//   node scripts/doc-links.mjs     # exit 1 listing every dangling link or path
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TOP = /^(docs|src|tests|scripts|pkg-template|examples-js|fuzz)\//;

function markdownFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? markdownFiles(join(dir, e.name)) : e.name.endsWith(".md") ? [join(dir, e.name)] : [],
  );
}

/** Every problem of one markdown file, as "file:line: message". */
export function problemsOf(file) {
  const out = [];
  const rel = relative(ROOT, file);
  let fenced = false;
  readFileSync(file, "utf8").split("\n").forEach((line, i) => {
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) return; // code samples: URLs and paths there are examples
    const at = `${rel}:${i + 1}`;
    for (const [, target] of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) out.push(`${at}: links outside the repository: ${target}`);
      else if (!target.startsWith("#") && !existsSync(join(dirname(file), target.split("#")[0]))) out.push(`${at}: ${target} does not exist`);
    }
    for (const [, code] of line.matchAll(/`([^`\s]+)`/g)) {
      const path = code.replace(/[:,.]$/, "");
      if (TOP.test(path) && !/[*<{$]/.test(path) && !existsSync(join(ROOT, path))) out.push(`${at}: \`${path}\` is not in the repository`);
    }
  });
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = [join(ROOT, "README.md"), ...markdownFiles(join(ROOT, "docs"))];
  const found = files.flatMap(problemsOf);
  for (const p of found) console.error(`doc-links: ${p}`);
  if (found.length) process.exit(1);
  console.log(`doc-links: every link and repository path in ${files.length} files exists`);
}
