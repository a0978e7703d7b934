// What a repository's own files say about how it is laid out: which release-notes tool it uses,
// which test framework, which workspace packages it declares, which files are tests. Shared by
// `ownership init` (the scaffold) and the editor's "Add Missing Piece", so both read a repository
// the same way. Pure: the caller lists the files (POSIX, relative to the repository root) and
// reads them through `read` (undefined when a file is missing or unreadable).
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { compileGlob, normalizeGlob } from './glob';

export type ReleaseNotesTool =
  | { kind: 'changesets'; dir: string } // '.changeset'
  | { kind: 'towncrier'; dir: string; types: string[]; output?: string }
  | { kind: 'changie'; dir: string }
  | { kind: 'changelog'; file: string } // CHANGELOG.md / CHANGES.rst / HISTORY.md
  | { kind: 'none' };

type TestFramework = 'mocha' | 'jest' | 'vitest' | 'node:test' | 'pytest' | 'unittest' | 'go' | 'cargo' | 'unknown';

export type Read = (path: string) => string | undefined;

/** A top-level changelog file, best names first (the order decides between several). */
const CHANGELOG_FILE = /^(changelog|changes|history|news|release[-_ ]?notes)(\.(md|markdown|rst|txt|adoc))?$/i;
const CHANGELOG_RANK = ['changelog', 'changes', 'history', 'news'];

/** towncrier's fragment types when the configuration names none. */
const TOWNCRIER_DEFAULT_TYPES = ['feature', 'bugfix', 'doc', 'removal', 'misc'];

type Table = Record<string, unknown>;

function table(v: unknown): Table | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Table) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : [];
}

function toml(text: string | undefined): Table | undefined {
  if (text === undefined) return undefined;
  try {
    return parseToml(text) as Table;
  } catch {
    return undefined; // a broken file says nothing
  }
}

function json(text: string | undefined): Table | undefined {
  if (text === undefined) return undefined;
  try {
    return table(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function yaml(text: string | undefined): Table | undefined {
  if (text === undefined) return undefined;
  try {
    return table(parseYaml(text));
  } catch {
    return undefined;
  }
}

/** `a/./b/` → `a/b`; '' for the root. */
function cleanDir(dir: string): string {
  return dir.replace(/\\/g, '/').split('/').filter((s) => s && s !== '.').join('/');
}

/** towncrier's settings, from towncrier.toml / .towncrier.toml or pyproject.toml's [tool.towncrier]. */
function towncrierConfig(files: ReadonlySet<string>, read: Read): { config: Table; from: string } | undefined {
  for (const f of ['towncrier.toml', '.towncrier.toml']) {
    if (!files.has(f)) continue;
    const t = toml(read(f));
    const config = table(table(t?.tool)?.towncrier) ?? (t && Object.keys(t).length ? t : undefined);
    if (config) return { config, from: f };
  }
  if (files.has('pyproject.toml')) {
    const config = table(table(toml(read('pyproject.toml'))?.tool)?.towncrier);
    if (config) return { config, from: 'pyproject.toml' };
  }
  return undefined;
}

function towncrierTypes(config: Table): string[] {
  // `[[tool.towncrier.type]] directory = "change"` (list form) or `[tool.towncrier.fragment.change]` (table form).
  const list = Array.isArray(config.type) ? config.type.map((t) => str(table(t)?.directory)).filter((d): d is string => !!d) : [];
  if (list.length) return list;
  const frag = table(config.fragment);
  if (frag && Object.keys(frag).length) return Object.keys(frag);
  return TOWNCRIER_DEFAULT_TYPES;
}

/**
 * The release-notes tool a repository uses: Changesets (`.changeset/`), towncrier (its fragment
 * folder, from towncrier.toml or pyproject.toml), changie (`.changie.yaml`), else a top-level
 * CHANGELOG / CHANGES / HISTORY / NEWS file, else none.
 */
export function detectReleaseNotes(files: readonly string[], read: Read): ReleaseNotesTool {
  const set = new Set(files);
  if (set.has('.changeset/config.json') || files.some((f) => f.startsWith('.changeset/') && f.endsWith('.md'))) return { kind: 'changesets', dir: '.changeset' };
  const tc = towncrierConfig(set, read);
  if (tc) {
    const { config } = tc;
    // Without `directory`, towncrier looks in `newsfragments` inside the package folder.
    let dir = str(config.directory);
    if (!dir) {
      const pkg = str(config.package);
      const pkgDir = str(config.package_dir) ?? '';
      dir = pkg ? `${cleanDir(pkgDir) ? `${cleanDir(pkgDir)}/` : ''}${pkg.replace(/\./g, '/')}/newsfragments` : 'newsfragments';
    }
    const output = str(config.filename) ?? 'NEWS.rst';
    return { kind: 'towncrier', dir: cleanDir(dir), types: towncrierTypes(config), output: cleanDir(output) };
  }
  for (const f of ['.changie.yaml', '.changie.yml']) {
    if (!set.has(f)) continue;
    const c = yaml(read(f)) ?? {};
    const changes = cleanDir(str(c.changesDir) ?? '.changes');
    const unreleased = cleanDir(str(c.unreleasedDir) ?? 'unreleased');
    return { kind: 'changie', dir: `${changes}/${unreleased}` };
  }
  const top = files.filter((f) => !f.includes('/') && CHANGELOG_FILE.test(f));
  const rank = (f: string) => {
    const i = CHANGELOG_RANK.findIndex((r) => f.toLowerCase().startsWith(r));
    return i < 0 ? CHANGELOG_RANK.length : i;
  };
  const [best] = top.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return best ? { kind: 'changelog', file: best } : { kind: 'none' };
}

/** The package.json files nearest the root: the root's, then the workspaces' (at most a few). */
function packageJsons(files: readonly string[], read: Read): Table[] {
  const out: Table[] = [];
  const root = json(read('package.json'));
  if (root) out.push(root);
  for (const f of files) {
    if (out.length >= 20) break;
    if (f.endsWith('/package.json') && f.split('/').length <= 3 && !f.includes('node_modules/')) {
      const p = json(read(f));
      if (p) out.push(p);
    }
  }
  return out;
}

/**
 * The test framework a repository runs: from its config files (vitest.config.*, jest.config.*,
 * .mocharc.*), its package.json (dependencies and the `test` script), pytest's configuration, a
 * go.mod or a Cargo.toml; 'unknown' when nothing tells.
 */
export function detectTestFramework(files: readonly string[], read: Read): TestFramework {
  const topNames = files.filter((f) => !f.includes('/'));
  const has = (re: RegExp) => topNames.some((f) => re.test(f));
  if (has(/^vitest\.(config|workspace)\.[cm]?[jt]s$/)) return 'vitest';
  if (has(/^jest\.config\.[cm]?[jt]s(on)?$/)) return 'jest';
  if (has(/^\.mocharc(\.[a-z]+)?$/)) return 'mocha';
  for (const pkg of packageJsons(files, read)) {
    const deps = { ...table(pkg.dependencies), ...table(pkg.devDependencies) };
    const script = str(table(pkg.scripts)?.test) ?? '';
    if ('vitest' in deps || /\bvitest\b/.test(script)) return 'vitest';
    if ('jest' in deps || 'ts-jest' in deps || /\bjest\b/.test(script) || table(pkg.jest)) return 'jest';
    if ('mocha' in deps || /\bmocha\b/.test(script)) return 'mocha';
    if (/\bnode\b.*--test\b/.test(script)) return 'node:test';
  }
  const pyproject = files.includes('pyproject.toml') ? toml(read('pyproject.toml')) : undefined;
  if (table(table(pyproject?.tool)?.pytest) || has(/^(pytest\.ini|conftest\.py)$/) || files.some((f) => f.endsWith('/conftest.py'))) return 'pytest';
  for (const f of ['tox.ini', 'setup.cfg']) if (files.includes(f) && /^\[(tool:)?pytest\]/m.test(read(f) ?? '')) return 'pytest';
  if (files.some((f) => /(^|\/)test_[^/]*\.py$|_test\.py$/.test(f))) return 'unittest';
  if (files.includes('go.mod') || files.includes('go.work')) return 'go';
  if (files.includes('Cargo.toml')) return 'cargo';
  return 'unknown';
}

/** A package a workspace declares. */
interface WorkspacePackage {
  /** Folder, relative to the repository root. */
  dir: string;
  /** The package's own name (package.json `name`, Cargo `package.name`, go module path's last part), else the folder's. */
  name: string;
  /** The file that declared the workspace: `package.json`, `pnpm-workspace.yaml`, `Cargo.toml`… */
  from: string;
}

/** The folders among `dirs` that the workspace globs (`packages/*`, `!packages/internal`) select. */
function expand(globs: string[], dirs: readonly string[]): string[] {
  const include = globs.filter((g) => !g.startsWith('!')).map(cleanDir).filter(Boolean);
  const exclude = globs.filter((g) => g.startsWith('!')).map((g) => cleanDir(g.slice(1))).filter(Boolean);
  if (!include.length) return [];
  // The project's own (linear-time) glob engine: these globs come from the repository.
  const compile = (globs: string[]) => globs.flatMap((g) => {
    try {
      return [compileGlob(normalizeGlob(g, '').glob)];
    } catch {
      return []; // a glob we cannot read selects nothing
    }
  });
  const yes = compile(include);
  const no = compile(exclude);
  return dirs.filter((d) => yes.some((t) => t(d)) && !no.some((t) => t(d)));
}

function lastPart(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/** Folders holding a file called `name` (the root excluded), outside node_modules and vendored code. */
function dirsWith(files: readonly string[], name: string): string[] {
  const out: string[] = [];
  for (const f of files) {
    if (!f.endsWith(`/${name}`) || /(^|\/)(node_modules|vendor|third_party)\//.test(f)) continue;
    out.push(f.slice(0, -name.length - 1));
  }
  return out.sort();
}

/**
 * The packages a repository's workspace files declare: package.json `workspaces`,
 * pnpm-workspace.yaml, lerna.json, Cargo `[workspace] members`, go.work `use`. Only folders that
 * exist (hold the ecosystem's manifest) are returned, sorted by folder.
 */
export function detectWorkspaces(files: readonly string[], read: Read): WorkspacePackage[] {
  const set = new Set(files);
  const found = new Map<string, WorkspacePackage>();
  const add = (dir: string, name: string | undefined, from: string) => {
    if (dir && !found.has(dir)) found.set(dir, { dir, name: name ?? lastPart(dir), from });
  };
  // JavaScript: package.json workspaces (array or { packages }), pnpm-workspace.yaml, lerna.json.
  const jsGlobs: { globs: string[]; from: string }[] = [];
  const rootPkg = json(read('package.json'));
  if (rootPkg) {
    const ws = rootPkg.workspaces;
    const globs = Array.isArray(ws) ? strings(ws) : strings(table(ws)?.packages);
    if (globs.length) jsGlobs.push({ globs, from: 'package.json' });
  }
  for (const f of ['pnpm-workspace.yaml', 'pnpm-workspace.yml']) {
    if (!set.has(f)) continue;
    const globs = strings(yaml(read(f))?.packages);
    if (globs.length) jsGlobs.push({ globs, from: f });
  }
  if (set.has('lerna.json')) {
    const globs = strings(json(read('lerna.json'))?.packages);
    jsGlobs.push({ globs: globs.length ? globs : ['packages/*'], from: 'lerna.json' });
  }
  if (jsGlobs.length) {
    const dirs = dirsWith(files, 'package.json');
    for (const { globs, from } of jsGlobs) {
      for (const d of expand(globs, dirs)) add(d, str(json(read(`${d}/package.json`))?.name), from);
    }
  }
  // Rust: [workspace] members (globs), minus exclude.
  const cargo = set.has('Cargo.toml') ? toml(read('Cargo.toml')) : undefined;
  const ws = table(cargo?.workspace);
  if (ws) {
    const globs = [...strings(ws.members), ...strings(ws.exclude).map((e) => `!${e}`)];
    for (const d of expand(globs, dirsWith(files, 'Cargo.toml'))) add(d, str(table(toml(read(`${d}/Cargo.toml`))?.package)?.name), 'Cargo.toml');
    // The root package of a workspace (ripgrep's `[package]` with `[[bin]] path = "crates/core/main.rs"`).
    const pkg = table(cargo?.package);
    if (pkg) {
      const bins = Array.isArray(cargo?.bin) ? cargo.bin : [];
      const target = [str(table(cargo?.lib)?.path), ...bins.map((b) => str(table(b)?.path))].find((p): p is string => !!p);
      const dir = target ? cleanDir(target.slice(0, Math.max(0, target.lastIndexOf('/')))) : files.some((f) => f.startsWith('src/')) ? 'src' : '';
      if (dir) add(dir, str(pkg.name), 'Cargo.toml');
    }
  }
  // Go: go.work `use ./a` or `use ( ./a ./b )`.
  if (set.has('go.work')) {
    const text = read('go.work') ?? '';
    const uses: string[] = [];
    for (const m of text.matchAll(/^\s*use\s*\(([^)]*)\)/gm)) uses.push(...(m[1] ?? '').split(/\s+/));
    for (const m of text.matchAll(/^\s*use\s+([^\s(]+)/gm)) if (m[1]) uses.push(m[1]);
    for (const u of uses.map((x) => cleanDir(x.replace(/^"|"$/g, ''))).filter(Boolean)) {
      if (!set.has(`${u}/go.mod`)) continue;
      const mod = /^\s*module\s+(\S+)/m.exec(read(`${u}/go.mod`) ?? '')?.[1];
      add(u, mod ? lastPart(mod.replace(/\/v\d+$/, '')) : undefined, 'go.work');
    }
  }
  return [...found.values()].sort((a, b) => a.dir.localeCompare(b.dir));
}

/**
 * Python packages: `src/<pkg>/__init__.py` (the src layout), else top-level `<pkg>/__init__.py`
 * folders that are not tests, docs or tooling. Returns the package folders.
 */
export function detectPythonPackages(files: readonly string[]): string[] {
  const src = new Set<string>();
  const top = new Set<string>();
  for (const f of files) {
    const m = /^src\/([A-Za-z_][A-Za-z0-9_]*)\/__init__\.pyi?$/.exec(f);
    if (m) src.add(`src/${m[1]}`);
    const t = /^([A-Za-z_][A-Za-z0-9_]*)\/__init__\.pyi?$/.exec(f);
    if (t && !isNonCodeFolder(t[1]!)) top.add(t[1]!);
  }
  return [...(src.size ? src : top)].sort();
}

/**
 * Folder names that never hold a feature's code: tests, docs, examples, fixtures, benchmarks,
 * build output, vendored code, CI and editor configuration, release-note fragments.
 */
const NON_CODE_FOLDERS = new Set([
  'test', 'tests', 'testing', '__tests__', 'spec', 'specs', 'e2e', 'typing_tests', 'test-utils', 'testdata', 'test_data', 'test-data',
  'fixtures', '__fixtures__', 'playground', 'playgrounds', 'examples', 'example', 'samples', 'sample', 'demo', 'demos',
  'bench', 'benches', 'benchmark', 'benchmarks', 'benchsuite', 'fuzz',
  'docs', 'doc', 'documentation', 'site', 'website', 'wiki', 'man',
  'node_modules', 'dist', 'build', 'out', 'target', 'coverage', 'tmp', 'temp', 'obj', 'bin',
  'vendor', 'third_party', 'third-party', 'external', 'patches',
  'ci', 'scripts', 'tools', 'tooling', 'hack', 'githooks',
  'changelog.d', 'newsfragments', 'changes', 'release-notes',
  'assets', 'media', 'images', 'img', 'static', 'public',
]);

export function isNonCodeFolder(name: string): boolean {
  const n = name.toLowerCase();
  return n.startsWith('.') || NON_CODE_FOLDERS.has(n);
}

/** Folder names that hold tests when they mirror the code (`tests/`, `test/`…). */
export const TEST_FOLDERS = ['test', 'tests', 'testing', 'spec', 'specs', '__tests__', 'e2e', 'typing_tests'];

/** Co-located test file kinds: the glob an OWNERSHIP.yml gets, and the test for a path. */
export const TEST_FILE_KINDS: readonly { glob: string; test: RegExp }[] = [
  { glob: '**/__tests__/', test: /(^|\/)__tests__\// },
  { glob: '**/*.test.*', test: /\.test\.[^/]+$/ },
  { glob: '**/*.spec.*', test: /\.spec\.[^/]+$/ },
  { glob: '**/*_test.go', test: /_test\.go$/ },
  { glob: '**/test_*.py', test: /(^|\/)test_[^/]*\.py$/ },
  { glob: '**/*_test.py', test: /_test\.py$/ },
];

/** True when a path is a test by its name or a folder on its way (`tests/`, `__tests__/`, `*.test.ts`, `foo_test.go`). */
export function isTestPath(path: string): boolean {
  if (TEST_FILE_KINDS.some((k) => k.test.test(path))) return true;
  const parts = path.split('/');
  parts.pop();
  return parts.some((p) => TEST_FOLDERS.includes(p.toLowerCase()));
}
