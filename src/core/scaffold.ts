// A first OWNERSHIP.yml for a repository that has none, read from the repository itself: its
// features are the workspace packages it declares (package.json workspaces, pnpm-workspace.yaml,
// lerna.json, Cargo [workspace], go.work), else its Python packages, else its top-level source
// folders; tests by the layout it uses (co-located, mirrored folders) and, where names do not
// tell, by what changed together in its history; release notes by the tool it uses (Changesets,
// towncrier, changie, a CHANGELOG), with the files that tool generates ignored; owners from
// CODEOWNERS. Each criterion is then measured against recent history and written `required:
// false` when most of the feature's code changes came without it: the scaffold states the team's
// practice, and the team raises the bar deliberately. Every glob it writes matches a file, so the
// new file starts without "matches no file" warnings. Pure: the caller lists files, reads them
// and reads history.
import { Document, isMap, isPair, isScalar, isSeq, visit } from 'yaml';
import { codeownersToGlob, parseCodeowners } from './codeowners';
import { compileGlob, normalizeGlob } from './glob';
import { analyze, compileModel } from './model';
import { FILE_NAME, parseOwnership } from './parse';
import {
  detectPythonPackages, detectReleaseNotes, detectWorkspaces, isNonCodeFolder, isTestPath, TEST_FILE_KINDS, TEST_FOLDERS,
  type Read, type ReleaseNotesTool,
} from './repoLayout';

/** One change of history: a first-parent commit and the paths it changed (both sides of a rename). */
export interface HistoryCommit {
  hash: string;
  files: readonly string[];
}

export interface ScaffoldInput {
  /** Files (tracked, and untracked but not ignored), POSIX paths relative to the repository root. */
  files: readonly string[];
  /** Reads a file's text (package.json, pyproject.toml…); undefined when missing. */
  read?: Read;
  /** CODEOWNERS, when the repository has one. */
  codeowners?: { path: string; text: string };
  /** Recent first-parent changes, newest first. Empty or absent: nothing is calibrated. */
  history?: readonly HistoryCommit[];
}

interface Scaffold {
  text: string;
  /** What the features were derived from. */
  source: 'workspaces' | 'python' | 'folders' | 'example';
  /** In words, e.g. "the packages in pnpm-workspace.yaml". */
  from: string;
  features: number;
}

/** Below this many recent code changes a feature's practice is not measured. */
const MIN_SAMPLE = 5;
/** A criterion stays required when at least this share of recent code changes supplied it. */
const REQUIRED_RATE = 0.5;
/** A test folder found by co-change must have changed with at least this share of the feature's changes. */
const CO_CHANGE_RATE = 0.2;

/** Folders whose sub-folders are the features (`src/checkout`, `packages/web`…) when there are several. */
const CONTAINERS = ['src', 'lib', 'packages', 'apps', 'app', 'services', 'modules', 'libs', 'components', 'crates', 'cmd', 'internal', 'pkg', 'plugins'];
const DOC_ROOTS = ['docs', 'doc', 'documentation'];
const LOCKFILES = [
  'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'bun.lock', 'Cargo.lock', 'go.sum', 'go.work.sum',
  'uv.lock', 'poetry.lock', 'Pipfile.lock', 'pdm.lock', 'composer.lock', 'Gemfile.lock', 'flake.lock',
];
/** Extensions of source files; a folder without any is not a feature's code. */
const SOURCE_EXT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|vue|svelte|py|pyi|go|rs|java|kt|kts|scala|swift|m|mm|c|cc|cpp|cxx|h|hpp|cs|fs|rb|php|ex|exs|erl|hs|ml|clj|dart|lua|r|jl|zig|nim|sh)$/i;
/** Root files that configure tools rather than being a feature's code. */
const CONFIG_FILE = /(^|[.-])config\.[a-z]+$|^\.|rc\.[a-z]+$|^(esbuild|webpack|rollup|vite|vitest|jest|gulpfile|gruntfile|setup|conftest|noxfile|build|tasks|fabfile|dangerfile|eslint\.config)\b/i;
const README = /^readme(\.[a-z]+)?$/i;

/** Folder and file lookups over the files, built once. */
class Tree {
  readonly dirs = new Set<string>();
  readonly set: ReadonlySet<string>;
  /** Sorted, so the files below a folder are one contiguous run found by binary search. */
  private readonly sorted: string[];
  constructor(readonly files: readonly string[]) {
    this.sorted = [...files].sort();
    this.set = new Set(files);
    for (const f of files) {
      for (let i = f.indexOf('/'); i > 0; i = f.indexOf('/', i + 1)) this.dirs.add(f.slice(0, i));
    }
  }
  /** Immediate sub-folders of `dir` ('' for the root), sorted. */
  children(dir: string): string[] {
    const prefix = dir ? `${dir}/` : '';
    const out = new Set<string>();
    for (const d of this.dirs) if (d.startsWith(prefix) && !d.slice(prefix.length).includes('/')) out.add(d.slice(prefix.length));
    return [...out].sort();
  }
  /** Every file below `dir`; '' for the whole tree. */
  under(dir: string): string[] {
    if (!dir) return this.sorted;
    const prefix = `${dir}/`;
    return this.sorted.slice(this.lowerBound(prefix), this.lowerBound(`${dir}0`)); // '0' follows '/'
  }
  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid]! < key) lo = mid + 1; // lo <= mid < hi <= length
      else hi = mid;
    }
    return lo;
  }
}

/** A lower-case id the schema accepts (`^[a-z0-9][a-z0-9._-]*$`). */
function toId(raw: string): string {
  const id = raw.toLowerCase().replace(/^@[^/]*\//, '').replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '').replace(/-+$/, '');
  return id || 'feature';
}

function toName(raw: string): string {
  const words = raw.replace(/^@[^/]*\//, '').replace(/^[^A-Za-z0-9]+/, '').replace(/[-_.]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : raw;
}

function uniqueId(wanted: string, taken: Set<string>): string {
  let id = wanted;
  for (let n = 2; taken.has(id); n++) id = `${wanted}-${n}`;
  taken.add(id);
  return id;
}

/** True when a file's name mentions `name` as a whole word (`checkout.test.ts`, `test_checkout.py`). */
function mentions(file: string, name: string): boolean {
  const base = file.slice(file.lastIndexOf('/') + 1).toLowerCase();
  const word = name.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9])${word}([^a-z0-9]|$)`).test(base);
}

/** A glob fragment for a folder or file name, escaped when it contains glob characters. */
function lit(s: string): string {
  return s.replace(/[*?[\]{}()!+@\\]/g, '\\$&');
}

/** `dir/` + `rest`, or `rest` at the root. */
function join(dir: string, rest: string): string {
  return dir ? `${lit(dir)}/${rest}` : rest;
}

function hasSegment(path: string, test: (segment: string) => boolean): boolean {
  return path.split('/').some(test);
}

/** A feature's code before criteria: a folder (or the root's own source files). */
interface Unit {
  id: string;
  name: string;
  /** Folder, '' for the root's files. */
  dir: string;
  code: string[];
  /** Where this unit came from, for the file's comments. */
  from: string;
}

function looksLikeCode(tree: Tree, dir: string): boolean {
  return tree.under(dir).some((f) => SOURCE_EXT.test(f) && !isTestPath(f.slice(dir.length + 1)));
}

/** Source files at the root that are not tool configuration. */
function rootSources(tree: Tree): string[] {
  return tree.files.filter((f) => !f.includes('/') && SOURCE_EXT.test(f) && !CONFIG_FILE.test(f) && !isTestPath(f));
}

/** The repository's own name, from its manifests, for a feature made of root files. */
function rootName(tree: Tree, read: Read): string {
  const mod = /^\s*module\s+(\S+)/m.exec(read('go.mod') ?? '')?.[1];
  if (mod) return mod.replace(/\/v\d+$/, '').replace(/^.*\//, '');
  const pkg = /"name"\s*:\s*"([^"]+)"/.exec(read('package.json') ?? '')?.[1];
  if (pkg) return pkg;
  const toml = /^\s*name\s*=\s*"([^"]+)"/m.exec(read('Cargo.toml') ?? read('pyproject.toml') ?? '')?.[1];
  return toml ?? (tree.files.length ? 'core' : 'app');
}

function rootUnit(tree: Tree, read: Read, from: string): Unit | undefined {
  const sources = rootSources(tree);
  if (!sources.length) return undefined;
  const exts = [...new Set(sources.map((f) => f.slice(f.lastIndexOf('.'))))].sort();
  const name = rootName(tree, read);
  return { id: toId(name), name: toName(name), dir: '', code: exts.map((e) => `*${lit(e)}`), from };
}

/** Top-level source folders; sub-folders of `src/`, `packages/`… when there are several. */
function folderUnits(tree: Tree): Unit[] {
  const out: Unit[] = [];
  for (const top of tree.children('')) {
    if (isNonCodeFolder(top) || !looksLikeCode(tree, top)) continue;
    const subs = CONTAINERS.includes(top) ? tree.children(top).filter((s) => !isNonCodeFolder(s) && looksLikeCode(tree, `${top}/${s}`)) : [];
    const dirs = subs.length >= 2 ? subs.map((s) => `${top}/${s}`) : [top];
    for (const dir of dirs) out.push({ id: '', name: '', dir, code: [`${lit(dir)}/`], from: 'top-level source folders' });
  }
  return out;
}

/** The features' code: workspace packages, else Python packages, else source folders; plus the root's own source files. */
function findUnits(tree: Tree, read: Read): { units: Unit[]; source: Scaffold['source']; from: string } {
  const ws = detectWorkspaces(tree.files, read).filter((w) => !hasSegment(w.dir, isNonCodeFolder) && looksLikeCode(tree, w.dir));
  let units: Unit[];
  let source: Scaffold['source'];
  let from: string;
  if (ws.length) {
    const files = [...new Set(ws.map((w) => w.from))].join(', ');
    units = ws.map((w) => ({ id: w.name, name: w.name, dir: w.dir, code: [`${lit(w.dir)}/`], from: `a package in ${w.from}` }));
    source = 'workspaces';
    from = `the packages declared in ${files}`;
  } else {
    const py = detectPythonPackages(tree.files);
    if (py.length) {
      units = py.map((dir) => ({ id: dir.slice(dir.lastIndexOf('/') + 1), name: dir.slice(dir.lastIndexOf('/') + 1), dir, code: [`${lit(dir)}/`], from: 'a Python package' }));
      source = 'python';
      from = `the Python packages (${py.map((d) => `${d}/`).join(', ')})`;
    } else {
      units = folderUnits(tree);
      source = 'folders';
      from = 'the top-level source folders';
    }
  }
  // The root's own sources (a Go or Python module at the top) are a feature too, when there is no
  // other, or when there are several of them besides tool configuration.
  const root = source === 'workspaces' || source === 'python' ? undefined : rootUnit(tree, read, 'source files at the root');
  if (root && (!units.length || rootSources(tree).length >= 3)) {
    units.unshift(root);
    if (units.length === 1) from = 'the source files at the root';
  }
  const taken = new Set<string>();
  const names = units.map((u) => u.dir.slice(u.dir.lastIndexOf('/') + 1));
  for (const [i, u] of units.entries()) {
    const base = u.dir ? u.dir.slice(u.dir.lastIndexOf('/') + 1) : u.id;
    // `packages/api` and `apps/api` both want "api": the second one keeps its parent in the id.
    const wanted = !u.dir || (u.id && u.id !== base) ? u.id : names.indexOf(base) === i ? base : u.dir.replace(/\//g, '-');
    u.id = uniqueId(toId(wanted), taken);
    u.name = toName(u.name || base);
  }
  return { units, source, from };
}

/** Is `path` one of the unit's code files (before criteria carve out)? */
function inUnit(u: Unit, path: string): boolean {
  return u.dir ? path.startsWith(`${u.dir}/`) : !path.includes('/') && u.code.some((g) => path.endsWith(g.slice(1).replace(/\\/g, '')));
}

interface Criterion {
  paths: string[];
  /** Why these globs (for the comment), e.g. "co-located *.test.* files". */
  why: string;
  /** Required unless history says otherwise (docs guessed from the docs root only are not). */
  required: boolean;
}

/** Tests by layout: co-located kinds and test folders inside the unit, mirrored folders at the root. */
function testsByLayout(tree: Tree, u: Unit): string[] {
  const out = new Set<string>();
  const below = u.dir ? tree.under(u.dir).map((f) => f.slice(u.dir.length + 1)) : tree.files.filter((f) => !f.includes('/'));
  for (const k of TEST_FILE_KINDS) if (below.some((f) => k.test.test(f))) out.add(u.dir ? join(u.dir, k.glob) : k.glob.replace(/^\*\*\//, ''));
  if (u.dir) {
    // Test folders inside the package (`crates/ignore/tests/`, `packages/x/test/`), outermost only.
    const testDirs = new Set<string>();
    for (const f of below) {
      const parts = f.split('/');
      const i = parts.findIndex((p, j) => j < parts.length - 1 && TEST_FOLDERS.includes(p.toLowerCase()));
      if (i >= 0) testDirs.add(parts.slice(0, i + 1).join('/'));
    }
    const covered = (d: string) => [...out].some((g) => g.endsWith('/**/__tests__/') && d.endsWith('__tests__'));
    for (const d of [...testDirs].sort()) if (!covered(d)) out.add(join(u.dir, `${lit(d)}/`));
  }
  // Mirrored: tests/<name>/, test/<dir>/, or files under a root test folder naming the unit.
  const name = u.dir ? u.dir.slice(u.dir.lastIndexOf('/') + 1) : '';
  for (const root of TEST_FOLDERS.filter((r) => tree.dirs.has(r) && r !== u.dir)) {
    if (!name) continue;
    if (tree.dirs.has(`${root}/${name}`)) out.add(`${root}/${lit(name)}/`);
    else if (tree.dirs.has(`${root}/${u.dir}`)) out.add(`${root}/${lit(u.dir)}/`);
    else if (name.length >= 3 && tree.under(root).some((f) => mentions(f, name))) out.add(`${root}/**/*${lit(name)}*`);
  }
  return [...out];
}

/**
 * Tests by history: the test folders (or top-level non-code folders holding tests, like
 * `playground/`) that changed in the same commits as the unit's code, when they did so in at
 * least CO_CHANGE_RATE of them. Returns the globs and how many of `sample` commits each covers.
 */
function testsByHistory(tree: Tree, u: Unit, history: readonly HistoryCommit[], known: string[]): { globs: string[]; sample: number } {
  const knownTests = known.map((g) => compileGlob(normalizeGlob(g, '').glob));
  let sample = 0;
  const counts = new Map<string, number>();
  for (const c of history) {
    if (!c.files.some((f) => inUnit(u, f) && !isTestPath(f.slice(u.dir.length ? u.dir.length + 1 : 0)))) continue;
    sample++;
    const keys = new Set<string>();
    for (const f of c.files) {
      if (!isTestPath(f) || knownTests.some((t) => t(f))) continue;
      const parts = f.split('/');
      const top = parts[0]!;
      // A top-level folder that is not code (tests/, playground/) stands for all its tests;
      // elsewhere, the path up to its first test folder, or the file itself.
      let dir: string | undefined;
      if (parts.length > 1 && isNonCodeFolder(top)) dir = top;
      else {
        const i = parts.findIndex((p, j) => j < parts.length - 1 && TEST_FOLDERS.includes(p.toLowerCase()));
        if (i >= 0) dir = parts.slice(0, i + 1).join('/');
      }
      // Only what still exists: a glob that matches nothing would be a warning.
      if (dir !== undefined ? tree.dirs.has(dir) : tree.set.has(f)) keys.add(dir !== undefined ? `${lit(dir)}/` : lit(f));
    }
    for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const min = Math.max(2, Math.ceil(sample * CO_CHANGE_RATE));
  const globs = [...counts].filter(([, n]) => n >= min).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 4).map(([k]) => k);
  return { globs, sample };
}

function docsFor(tree: Tree, u: Unit): Criterion | undefined {
  const out = new Set<string>();
  const name = u.dir ? u.dir.slice(u.dir.lastIndexOf('/') + 1) : '';
  if (u.dir) {
    for (const f of tree.under(u.dir)) {
      const rest = f.slice(u.dir.length + 1);
      if (README.test(rest)) out.add(lit(f));
      else if (rest.startsWith('docs/')) out.add(`${lit(u.dir)}/docs/`);
    }
  }
  const docRoots = DOC_ROOTS.filter((r) => tree.dirs.has(r));
  for (const root of docRoots) {
    if (!name) continue;
    if (tree.dirs.has(`${root}/${name}`)) out.add(`${root}/${lit(name)}/`);
    // Pages that name the feature; blog posts and release announcements are not its docs.
    if (name.length >= 3) for (const f of tree.under(root)) if (/\.(md|mdx|rst|txt|adoc)$/i.test(f) && !/\/(blog|news|releases?|announcements?)\//i.test(f) && mentions(f.replace(/\.[^.]+$/, ''), name)) out.add(lit(f));
  }
  if (out.size) return { paths: [...out].slice(0, 8), why: 'the package README and the docs pages that name it', required: true };
  if (docRoots.length) return { paths: docRoots.map((r) => `${r}/`), why: 'the docs folder (no page names this feature)', required: false };
  return undefined;
}

function notesFor(tree: Tree, u: Unit, tool: ReleaseNotesTool): Criterion | undefined {
  const own = u.dir ? tree.under(u.dir).find((f) => /^changelog\.(md|rst|txt)$/i.test(f.slice(u.dir.length + 1))) : undefined;
  switch (tool.kind) {
    case 'changesets':
      return { paths: [`${lit(tool.dir)}/*.md`], why: 'Changesets fragments (.changeset/config.json)', required: true };
    case 'towncrier':
      return { paths: [`${lit(tool.dir)}/`], why: `towncrier fragments (${tool.dir}/; types ${tool.types.join(', ')})`, required: true };
    case 'changie':
      return { paths: [`${lit(tool.dir)}/`], why: `changie fragments (${tool.dir}/)`, required: true };
    case 'changelog':
      return { paths: own ? [lit(own)] : [lit(tool.file)], why: own ? "the package's own changelog" : `the repository's ${tool.file}`, required: true };
    case 'none':
      return own ? { paths: [lit(own)], why: "the package's own changelog", required: true } : undefined;
  }
}

/** The owners of the last CODEOWNERS rule that covers a unit's first code file (GitHub: last match wins). */
function ownersFor(tree: Tree, u: Unit, codeowners: string | undefined): string[] {
  if (!codeowners) return [];
  const sample = u.dir ? tree.under(u.dir).find((f) => !isTestPath(f) && SOURCE_EXT.test(f)) : rootSources(tree)[0];
  if (!sample) return [];
  let owners: string[] = [];
  for (const rule of parseCodeowners(codeowners)) {
    const glob = codeownersToGlob(rule.pattern, (p) => tree.dirs.has(p.replace(/^\*\*\//, '')));
    const test = glob === undefined ? () => true : compileGlob(normalizeGlob(glob, '').glob);
    if (test(sample)) owners = rule.owners;
  }
  return owners;
}

interface Draft {
  unit: Unit;
  owners: string[];
  criteria: Map<string, Criterion>;
  /** Per criterion: the comment the calibration writes. */
  notes: Map<string, string>;
  /** Code exclusions (generated files inside the package). */
  exclude: string[];
}

/** The features' data for the YAML document; `required` as decided. */
function featureData(d: Draft): Record<string, unknown> {
  const f: Record<string, unknown> = { id: d.unit.id, name: d.unit.name };
  if (d.owners.length) f.owners = d.owners;
  f.code = [...d.unit.code, ...d.exclude.map((e) => `!${e}`)];
  for (const [name, c] of d.criteria) f[name] = c.required ? c.paths : { paths: c.paths, required: false };
  return f;
}

/**
 * Measures, over `history`, how often each criterion changed with a code change of its feature,
 * and writes `required: false` (with the rate) where most code changes came without it.
 */
function calibrate(drafts: Draft[], ignore: string[], history: readonly HistoryCommit[]): void {
  const all = (d: Draft) => new Map([...d.criteria].map(([k, c]) => [k, { ...c, required: true }]));
  const text = new Document({ version: 1, ignore, features: drafts.map((d) => featureData({ ...d, criteria: all(d) })) }).toString();
  const parsed = parseOwnership(text, FILE_NAME);
  if (!parsed.file) return;
  const { model } = compileModel([parsed.file]);
  const touched = new Map<string, number>();
  const supplied = new Map<string, number>();
  for (const c of history) {
    const v = analyze(model, c.files.map((path) => ({ status: 'M' as const, path })));
    for (const f of v.features) {
      if (!f.touched) continue;
      touched.set(f.id, (touched.get(f.id) ?? 0) + 1);
      for (const name of Object.keys(f.changed)) if (name !== 'code') supplied.set(`${f.id}/${name}`, (supplied.get(`${f.id}/${name}`) ?? 0) + 1);
    }
  }
  for (const d of drafts) {
    const n = touched.get(d.unit.id) ?? 0;
    for (const [name, c] of d.criteria) {
      if (n < MIN_SAMPLE) {
        if (history.length) d.notes.set(name, `${c.why}; only ${n} recent change${n === 1 ? '' : 's'} to this code: too few to measure`);
        continue;
      }
      const k = supplied.get(`${d.unit.id}/${name}`) ?? 0;
      const rate = `${k} of ${n} recent code changes (${Math.round((100 * k) / n)} %)`;
      c.required = k / n >= REQUIRED_RATE;
      d.notes.set(name, `${c.why}; came with ${rate}${c.required ? '' : ': optional until the team raises the bar'}`);
    }
  }
}

/** Scaffolds the text of an OWNERSHIP.yml from the repository's files, history and CODEOWNERS. */
export function scaffoldOwnership(input: ScaffoldInput): Scaffold {
  const read: Read = input.read ?? (() => undefined);
  const tree = new Tree(input.files.filter((f) => f !== FILE_NAME && !f.endsWith(`/${FILE_NAME}`)));
  const history = input.history ?? [];
  const found = findUnits(tree, read);
  let { units } = found;
  let { source, from } = found;
  if (!units.length) {
    // Nothing to go on (an empty repository): one example the user renames.
    source = 'example';
    from = 'nothing (the repository has no source folders yet)';
    units = [{ id: 'app', name: 'App', dir: 'src', code: ['src/'], from: 'an example' }];
  }
  const tool = detectReleaseNotes(tree.files, read);
  const ignore = new Set<string>();
  const ignoreWhy: string[] = [];
  const locks = LOCKFILES.filter((l) => tree.files.some((f) => f === l || f.endsWith(`/${l}`)));
  if (locks.length) { for (const l of locks) ignore.add(`**/${lit(l)}`); ignoreWhy.push('lockfiles'); }
  if (tool.kind === 'towncrier' && tool.output && tree.set.has(tool.output)) { ignore.add(lit(tool.output)); ignoreWhy.push(`${tool.output} (towncrier writes it)`); }

  const generatedLogs: string[] = [];
  const drafts: Draft[] = units.map((unit) => {
    const d: Draft = { unit, owners: ownersFor(tree, unit, input.codeowners?.text), criteria: new Map(), notes: new Map(), exclude: [] };
    const layout = source === 'example' ? [] : testsByLayout(tree, unit);
    const co = history.length ? testsByHistory(tree, unit, history, layout) : { globs: [], sample: 0 };
    // A folder learnt from history covers the layout's globs inside it (`tests/` covers `tests/**/*attr*`).
    const tests = [...layout.filter((g) => !co.globs.some((c) => c.endsWith('/') && g.startsWith(c))), ...co.globs];
    let testsWhy = layout.length ? 'test files by name and folder' : '';
    if (co.globs.length) testsWhy = `${testsWhy ? `${testsWhy}, and ` : ''}test folders that changed with this code (history)`;
    if (!tests.length && co.sample < MIN_SAMPLE) {
      // No test of its own found and no history to learn from: any change under the test folders will do.
      for (const r of TEST_FOLDERS) if (tree.dirs.has(r)) tests.push(`${r}/`);
      testsWhy = 'the test folders (no test names this feature)';
    }
    if (tests.length) d.criteria.set('tests', { paths: tests, why: testsWhy, required: true });
    const docs = source === 'example' ? undefined : docsFor(tree, unit);
    if (docs) d.criteria.set('docs', docs);
    const notes = notesFor(tree, unit, tool);
    if (notes) d.criteria.set('release-notes', notes);
    if (tool.kind === 'changesets' && unit.dir) {
      // Changesets writes each package's CHANGELOG.md at release: neither code nor release notes.
      const generated = tree.under(unit.dir).find((f) => f === `${unit.dir}/CHANGELOG.md`);
      if (generated) { d.exclude.push(lit(generated)); generatedLogs.push(generated); }
    }
    return d;
  });
  for (const g of compactSiblings(generatedLogs)) ignore.add(g);
  if (tool.kind === 'changesets' && drafts.some((d) => d.exclude.length)) ignoreWhy.push("the packages' CHANGELOG.md (Changesets writes them)");
  if (history.length) calibrate(drafts, [...ignore], history);

  const data: Record<string, unknown> = { version: 1, mode: 'warn' };
  if (ignore.size) data.ignore = [...ignore];
  data.features = drafts.map(featureData);
  const doc = new Document(data);
  const byId = new Map(drafts.map((d) => [d.unit.id, d]));
  let current: Draft | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (!isPair(pair) || !isScalar(pair.key)) return;
      const key = String(pair.key.value);
      // Glob lists read best on one line (`code: [src/checkout/]`); the feature list stays a block.
      if (key !== 'features' && (isSeq(pair.value) || (isMap(pair.value) && key !== 'criteria'))) pair.value.flow = true;
      if (key === 'id' && isScalar(pair.value)) current = byId.get(String(pair.value.value));
      if (!current || !pair.value || !(isSeq(pair.value) || isMap(pair.value))) return;
      if (key === 'code') pair.value.comment = ` ${current.unit.from}${current.exclude.length ? '; minus files a release tool generates' : ''}`;
      const note = current.notes.get(key) ?? current.criteria.get(key)?.why;
      if (note) pair.value.comment = ` ${note}`;
    },
  });
  const owners = input.codeowners ? ` Owners from ${input.codeowners.path} (the last rule that covers each feature's code).` : '';
  const notesLine = tool.kind === 'none' ? ' No release notes found (no .changeset/, towncrier, changie or CHANGELOG).' : ` Release notes: ${describeTool(tool)}.`;
  const measured = history.length
    ? ` Each criterion was measured against the last ${history.length} changes: a criterion most code changes came without is written "required: false"; make it required when the team is ready.`
    : ' No history was read: every criterion found is required.';
  doc.commentBefore = [
    ` Feature Ownership: which features this repository has, who owns them, and what a change`,
    ` to a feature's code must also touch (tests, docs, release notes) to be done.`,
    ` Scaffolded from ${from}.${owners}`,
    notesLine,
    ...(ignoreWhy.length ? [` Ignored: ${ignoreWhy.join(', ')}.`] : []),
    measured,
    ` A path in a feature's tests, docs or release notes is never its code, even under a code folder.`,
    ` Globs are relative to this file's folder; a trailing "/" means everything below.`,
    ` mode: warn reports gaps; mode: strict makes "ownership check" fail on them.`,
  ].join('\n');
  return { text: doc.toString({ lineWidth: 0, flowCollectionPadding: false }), source, from, features: drafts.length };
}

/** Sibling packages' files of one name become one glob per parent folder (`packages/<any>/CHANGELOG.md`). */
function compactSiblings(paths: string[]): string[] {
  const byParent = new Map<string, string[]>();
  for (const p of paths) {
    const parts = p.split('/');
    const key = parts.length >= 3 ? `${parts.slice(0, -2).join('/')}\0${parts[parts.length - 1]!}` : p;
    byParent.set(key, [...(byParent.get(key) ?? []), p]);
  }
  const out: string[] = [];
  for (const [key, group] of byParent) {
    const [parent, name] = key.split('\0');
    out.push(...(group.length >= 2 && parent !== undefined && name !== undefined ? [`${lit(parent)}/*/${lit(name)}`] : group.map(lit)));
  }
  return out;
}

function describeTool(tool: ReleaseNotesTool): string {
  switch (tool.kind) {
    case 'changesets': return `Changesets (${tool.dir}/*.md)`;
    case 'towncrier': return `towncrier fragments in ${tool.dir}/${tool.output ? `, compiled into ${tool.output}` : ''}`;
    case 'changie': return `changie fragments in ${tool.dir}/`;
    case 'changelog': return tool.file;
    case 'none': return 'none';
  }
}
