// Finds import cycles among the .ts files under a folder (default main/), following only value
// (non-type) imports: a type-only import is erased at build time and cannot make a load-order
// circle. `--all` follows type imports too. Run by `npm run lint`.
const ts = require('typescript');
const fs = require('fs');
const path = require('path');
const root = path.resolve(
  process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 'main',
);
const files = [];
(function walk(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') walk(p);
    } else if (/\.ts$/.test(e.name) && !/\.d\.ts$/.test(e.name)) files.push(p);
  }
})(root);
const graph = new Map();
function resolve(from, spec) {
  if (!spec.startsWith('.')) return null;
  const b = path.resolve(path.dirname(from), spec);
  for (const c of [b + '.ts', path.join(b, 'index.ts'), b])
    if (fs.existsSync(c) && fs.statSync(c).isFile() && c.endsWith('.ts')) return c;
  return null;
}
for (const f of files) {
  const src = ts.createSourceFile(f, fs.readFileSync(f, 'utf8'), ts.ScriptTarget.Latest);
  const deps = new Set();
  for (const s of src.statements) {
    let spec = null,
      typeOnly = false;
    if (ts.isImportDeclaration(s)) {
      spec = s.moduleSpecifier.text;
      const c = s.importClause;
      if (c) {
        if (c.isTypeOnly) typeOnly = true;
        else if (
          !c.name &&
          c.namedBindings &&
          ts.isNamedImports(c.namedBindings) &&
          c.namedBindings.elements.length > 0 &&
          c.namedBindings.elements.every((e) => e.isTypeOnly)
        )
          typeOnly = true;
      }
    } else if (ts.isExportDeclaration(s) && s.moduleSpecifier) {
      spec = s.moduleSpecifier.text;
      if (s.isTypeOnly) typeOnly = true;
      else if (
        s.exportClause &&
        ts.isNamedExports(s.exportClause) &&
        s.exportClause.elements.length > 0 &&
        s.exportClause.elements.every((e) => e.isTypeOnly)
      )
        typeOnly = true;
    }
    if (spec && (!typeOnly || process.argv.includes('--all'))) {
      const r = resolve(f, spec);
      if (r && r.startsWith(root)) deps.add(r);
    }
  }
  graph.set(f, deps);
}
// Tarjan SCC
let idx = 0;
const st = [],
  on = new Set(),
  ix = new Map(),
  low = new Map(),
  sccs = [];
function sc(v) {
  ix.set(v, idx);
  low.set(v, idx);
  idx++;
  st.push(v);
  on.add(v);
  for (const w of graph.get(v) || []) {
    if (!graph.has(w)) continue;
    if (!ix.has(w)) {
      sc(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (on.has(w)) low.set(v, Math.min(low.get(v), ix.get(w)));
  }
  if (low.get(v) === ix.get(v)) {
    const c = [];
    let w;
    do {
      w = st.pop();
      on.delete(w);
      c.push(w);
    } while (w !== v);
    if (c.length > 1 || (graph.get(v) || new Set()).has(v)) sccs.push(c);
  }
}
for (const v of graph.keys()) if (!ix.has(v)) sc(v);
console.log(`${graph.size} files, ${sccs.length} value-import cycle(s)`);
for (const c of sccs) console.log(' - ' + c.map((p) => path.relative(root, p)).join(' <-> '));
process.exit(sccs.length ? 1 : 0);
