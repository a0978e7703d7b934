// A first OWNERSHIP.yml for a repository that has none, guessed from what is there: one feature per
// CODEOWNERS owner group when the repository has CODEOWNERS, otherwise one per top-level source
// folder; tests, docs and release notes from the folders and files that already exist (test/,
// tests/, __tests__, *.test.*, docs/, CHANGELOG.md…). Every glob it writes matches a tracked file,
// so the new file starts without "matches no file" warnings. Pure: the caller lists the files.
import { Document, isPair, isScalar, isSeq, visit } from 'yaml';
import { codeownersToGlob, parseCodeowners } from './codeowners';
import { FILE_NAME } from './parse';

export interface ScaffoldInput {
  /** Tracked files, POSIX paths relative to the folder the OWNERSHIP.yml will sit in. */
  files: readonly string[];
  /** CODEOWNERS, when the repository has one. */
  codeowners?: { path: string; text: string };
}

interface Scaffold {
  text: string;
  /** What the features were derived from. */
  source: 'codeowners' | 'folders' | 'example';
  features: number;
}

/** Top-level folders that hold tests, docs, release notes, tooling or build output: not features. */
const TEST_ROOTS = ['test', 'tests', '__tests__', 'spec', 'specs'];
const DOC_ROOTS = ['docs', 'doc', 'documentation'];
const NOTE_DIRS = ['.changeset', 'changelog.d', 'changelog', 'changes', 'release-notes'];
const NOTE_FILE = /^(changelog|changes|history|news|release[-_ ]?notes)(\.(md|markdown|rst|txt|adoc))?$/i;
const NOT_FEATURES = new Set([
  ...TEST_ROOTS, ...DOC_ROOTS, ...NOTE_DIRS, 'e2e', 'node_modules', 'dist', 'build', 'out', 'target', 'coverage', 'vendor', 'third_party',
  'third-party', 'bin', 'obj', 'tmp', 'fixtures', 'media', 'assets', 'static', 'public', 'images', 'img', 'schemas', 'examples',
]);
/** Folders whose sub-folders are the features (`src/checkout`, `packages/web`…) when there are several. */
const CONTAINERS = ['src', 'lib', 'packages', 'apps', 'app', 'services', 'modules', 'libs', 'components', 'crates', 'cmd', 'internal', 'pkg'];
/** Test file names, as globs and as tests. */
const TEST_FILE_KINDS: [glob: string, test: RegExp][] = [
  ['**/__tests__/', /(^|\/)__tests__\//],
  ['**/*.test.*', /\.test\.[^/]+$/],
  ['**/*.spec.*', /\.spec\.[^/]+$/],
  ['**/*_test.*', /_test\.[^/.]+$/],
  ['**/test_*.py', /(^|\/)test_[^/]*\.py$/],
];

/** Folder and file lookups over the tracked files, built once. */
class Tree {
  readonly dirs = new Set<string>();
  /** Sorted, so the files below a folder are one contiguous run found by binary search. */
  private readonly sorted: string[];
  constructor(readonly files: readonly string[]) {
    this.sorted = [...files].sort();
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
  under(dir: string): string[] {
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
  /** `path` may be `**\/name`: then any folder called `name`. */
  isDir(path: string): boolean {
    if (!path.startsWith('**/')) return this.dirs.has(path);
    const name = path.slice(3);
    for (const d of this.dirs) if (d === name || d.endsWith(`/${name}`)) return true;
    return false;
  }
}

/** A lower-case id the schema accepts (`^[a-z0-9][a-z0-9._-]*$`). */
function toId(raw: string): string {
  const id = raw.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '').replace(/-+$/, '');
  return id || 'feature';
}

function toName(raw: string): string {
  const words = raw.replace(/^@/, '').replace(/[-_.]+/g, ' ').trim();
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

interface Guess {
  tests: string[];
  docs: string[];
  /** Optional: only the docs root, so a guess rather than a requirement. */
  docsOptional: boolean;
  notes: string[];
}

/** Guesses the tests, docs and release notes of a feature whose code lives in `folders`. */
function guessCriteria(tree: Tree, folders: string[]): Guess {
  const tests = new Set<string>();
  const docs = new Set<string>();
  const notes = new Set<string>();
  const testRoots = TEST_ROOTS.filter((r) => tree.dirs.has(r));
  const docRoots = DOC_ROOTS.filter((r) => tree.dirs.has(r));
  for (const folder of folders) {
    const name = folder.slice(folder.lastIndexOf('/') + 1);
    const below = tree.under(folder);
    for (const [glob, test] of TEST_FILE_KINDS) if (below.some((f) => test.test(f.slice(folder.length + 1)))) tests.add(`${lit(folder)}/${glob}`);
    for (const root of testRoots) {
      if (tree.dirs.has(`${root}/${name}`)) tests.add(`${root}/${lit(name)}/`);
      else if (tree.dirs.has(`${root}/${folder}`)) tests.add(`${root}/${lit(folder)}/`);
      else if (tree.under(root).some((f) => mentions(f, name))) tests.add(`${root}/**/*${lit(name)}*`);
    }
    for (const root of docRoots) {
      if (tree.dirs.has(`${root}/${name}`)) docs.add(`${root}/${lit(name)}/`);
      for (const f of tree.under(root)) if (!f.slice(root.length + 1).includes('/') && mentions(f, name)) docs.add(lit(f));
    }
    for (const f of below) {
      const rest = f.slice(folder.length + 1);
      if (/^readme(\.[a-z]+)?$/i.test(rest) || rest.startsWith('docs/')) docs.add(rest.startsWith('docs/') ? `${lit(folder)}/docs/` : lit(f));
      if (NOTE_FILE.test(rest)) notes.add(lit(f));
    }
  }
  // No test of its own found: any change under the test folders will do, until someone narrows it.
  if (tests.size === 0) for (const root of testRoots) tests.add(`${root}/`);
  const docsOptional = docs.size === 0 && docRoots.length > 0;
  if (docsOptional) for (const root of docRoots) docs.add(`${root}/`);
  return { tests: [...tests], docs: [...docs], docsOptional, notes: [...notes] };
}

/** The repository's own release notes: CHANGELOG.md and friends at the top, or a changeset folder. */
function releaseNotes(tree: Tree): string[] {
  const out = tree.files.filter((f) => !f.includes('/') && NOTE_FILE.test(f)).map(lit);
  for (const d of NOTE_DIRS) if (tree.dirs.has(d)) out.push(`${d}/`);
  return out;
}

/** The folders that hold a repository's features: sub-folders of `src/` or `packages/` when there are several, else top-level folders. */
function sourceFolders(tree: Tree): string[] {
  const out: string[] = [];
  for (const top of tree.children('')) {
    if (top.startsWith('.') || NOT_FEATURES.has(top.toLowerCase())) continue;
    const subs = CONTAINERS.includes(top) ? tree.children(top).filter((s) => !s.startsWith('.') && !NOT_FEATURES.has(s.toLowerCase())) : [];
    if (subs.length >= 2) out.push(...subs.map((s) => `${top}/${s}`));
    else out.push(top);
  }
  return out;
}

interface FeatureDraft {
  id: string;
  name: string;
  owners: string[];
  code: string[];
  folders: string[];
}

/** `@org/payments` → `payments`, `@alice` → `alice`, `alice@example.com` → `alice`. */
function ownerHandle(owner: string): string {
  if (!owner.startsWith('@') && owner.includes('@')) return owner.slice(0, owner.indexOf('@'));
  return owner.replace(/^@/, '').replace(/^.*\//, '');
}

function fromCodeowners(tree: Tree, text: string): { drafts: FeatureDraft[]; catchAll: string[] } {
  const groups = new Map<string, FeatureDraft>();
  const taken = new Set<string>();
  let catchAll: string[] = [];
  for (const rule of parseCodeowners(text)) {
    const [firstOwner] = rule.owners;
    if (firstOwner === undefined) continue; // un-owns a path: nothing to declare
    const glob = codeownersToGlob(rule.pattern, (p) => tree.isDir(p));
    if (glob === undefined) { catchAll = rule.owners; continue; }
    const key = [...rule.owners].sort().join(' ');
    let draft = groups.get(key);
    if (!draft) {
      const handle = ownerHandle(firstOwner);
      draft = { id: uniqueId(toId(handle), taken), name: toName(handle), owners: rule.owners, code: [], folders: [] };
      groups.set(key, draft);
    }
    if (!draft.code.includes(glob)) draft.code.push(glob);
    if (glob.endsWith('/') && !glob.startsWith('**/')) draft.folders.push(glob.slice(0, -1));
  }
  return { drafts: [...groups.values()], catchAll };
}

function fromFolders(tree: Tree, owners: string[]): FeatureDraft[] {
  const taken = new Set<string>();
  const folders = sourceFolders(tree);
  const names = folders.map((f) => f.slice(f.lastIndexOf('/') + 1));
  return folders.map((folder, i) => {
    const base = folder.slice(folder.lastIndexOf('/') + 1);
    // `packages/api` and `apps/api` both want "api": the second one keeps its parent in the id.
    const name = names.indexOf(base) === i ? base : folder.replace(/\//g, '-');
    return { id: uniqueId(toId(name), taken), name: toName(base), owners, code: [`${lit(folder)}/`], folders: [folder] };
  });
}

/** Scaffolds the text of an OWNERSHIP.yml for the given tracked files and CODEOWNERS. */
export function scaffoldOwnership(input: ScaffoldInput): Scaffold {
  const tree = new Tree(input.files.filter((f) => f !== FILE_NAME && !f.endsWith(`/${FILE_NAME}`)));
  let source: Scaffold['source'] = 'folders';
  let drafts: FeatureDraft[] = [];
  let owners: string[] = [];
  if (input.codeowners) {
    const r = fromCodeowners(tree, input.codeowners.text);
    drafts = r.drafts;
    owners = r.catchAll;
    if (drafts.length) source = 'codeowners';
  }
  if (!drafts.length) drafts = fromFolders(tree, owners);
  if (!drafts.length) {
    // Nothing to go on (an empty repository): one example the user renames.
    source = 'example';
    drafts = [{ id: 'app', name: 'App', owners, code: ['src/'], folders: ['src'] }];
  }

  const notes = releaseNotes(tree);
  const features = drafts.map((d) => {
    const g = guessCriteria(tree, d.folders);
    const f: Record<string, unknown> = { id: d.id, name: d.name };
    if (d.owners.length) f.owners = d.owners;
    f.code = d.code;
    if (g.tests.length) f.tests = g.tests;
    if (g.docs.length) f.docs = g.docsOptional ? { paths: g.docs, required: false } : g.docs;
    // A package's own changelog replaces the repository-wide one from `defaults`.
    if (g.notes.length) f['release-notes'] = g.notes;
    return f;
  });
  const data: Record<string, unknown> = { version: 1, mode: 'warn' };
  if (notes.length) data.defaults = { 'release-notes': notes };
  data.features = features;

  const doc = new Document(data);
  // Glob lists read best on one line (`code: [src/checkout/]`); the feature list stays a block.
  visit(doc, {
    Pair(_, pair) {
      if (isPair(pair) && isScalar(pair.key) && pair.key.value !== 'features' && isSeq(pair.value)) pair.value.flow = true;
    },
  });
  const from = source === 'codeowners' ? `the owners in ${input.codeowners!.path}` : source === 'folders' ? 'the top-level source folders' : 'nothing (the repository has no source folders yet)';
  doc.commentBefore = [
    ` Feature Ownership: which features this repository has, who owns them, and what a change`,
    ` to a feature's code must also touch (tests, docs, release notes) to be done.`,
    ` Scaffolded from ${from}: the tests and docs below are guesses, review them.`,
    ` Globs are relative to this file's folder; a trailing "/" means everything below.`,
    ` mode: warn reports gaps; mode: strict makes "ownership check" fail on them.`,
  ].join('\n');
  return { text: doc.toString({ lineWidth: 0, flowCollectionPadding: false }), source, features: features.length };
}
