// "Add Missing Piece": what to create or open for a gap, by criterion and by what the repository
// already does (the same detection as `ownership init`, from repoLayout). Pure: the caller lists
// the files and reads them; the answer is a step for the editor (or a test) to carry out. Nothing
// is ever replaced: a file that exists is opened (or, for a changelog, added to), and a name that
// is taken gets another one.
import { compileGlob, normalizeGlob } from './glob';
import { detectReleaseNotes, detectTestFramework, isTestPath, type Read, type ReleaseNotesTool, type TestFramework, CHANGELOG_FILE } from './repoLayout';
import type { CriterionDef, FeatureDef, SourceRange } from './types';

/** 0-based, like an editor position. */
export interface Position {
  line: number;
  character: number;
}

interface Choice {
  /** What goes back in `GapInput.choice`. */
  value: string;
  label: string;
}

export type Step =
  /** Open a file that exists. */
  | { kind: 'open'; path: string; cursor?: Position }
  /** Create a file that does not exist (create it exclusively: never over another one). */
  | { kind: 'create'; path: string; text: string; cursor: Position }
  /** Insert `text` at `offset` (UTF-16) of an existing file whose content was `before`; the cursor is in the result. */
  | { kind: 'insert'; path: string; before: string; offset: number; text: string; cursor: Position }
  /** Nothing to create: show the criterion in OWNERSHIP.yml. */
  | { kind: 'reveal'; file: string; range: SourceRange; why: string }
  /** Ask the user first, then plan again with `choice`. */
  | { kind: 'choose'; question: string; choices: Choice[] };

export interface GapInput {
  feature: FeatureDef;
  criterion: string;
  /** Every file of the working tree (tracked and untracked, not ignored), repository-relative POSIX paths. */
  files: readonly string[];
  /** The feature's changed code paths that still exist. */
  changedCode: readonly string[];
  read: Read;
  /** The Source Control message (its first line prefills release notes). */
  message?: string;
  /** The current branch (its issue number names a towncrier fragment). */
  branch?: string;
  /** The answer to a `choose` step. */
  choice?: string;
  /** For names: Math.random unless given. */
  random?: () => number;
  /** For changie's time stamp. */
  now?: Date;
}

/** Plans "Add Missing Piece" for one gap. */
export function planAddMissing(input: GapInput): Step {
  const criterion = input.feature.criteria.find((c) => c.name === input.criterion);
  if (!criterion) return reveal(input.feature, undefined, `${input.feature.id} has no criterion "${input.criterion}"`);
  const ctx = new Context(input, criterion);
  switch (criterion.name) {
    case 'tests': return planTests(ctx);
    case 'docs': return planDocs(ctx);
    case 'release-notes': return planReleaseNotes(ctx);
    default: return planLiteral(ctx) ?? reveal(input.feature, criterion, `"${criterion.name}" names no single file to create`);
  }
}

class Context {
  readonly files: ReadonlySet<string>;
  readonly matches: (path: string) => boolean;
  constructor(readonly input: GapInput, readonly criterion: CriterionDef) {
    this.files = new Set(input.files);
    this.matches = criterionMatcher(criterion.patterns, input.feature.base);
  }
  exists(path: string): boolean {
    return this.files.has(path);
  }
  /** The files the criterion already covers. */
  covered(): string[] {
    return this.input.files.filter((f) => this.matches(f));
  }
  summary(): string {
    return firstLine(this.input.message ?? '');
  }
}

/** Does a path belong to a criterion's globs (written relative to `base`)? */
export function criterionMatcher(patterns: readonly string[], base: string): (path: string) => boolean {
  const yes: ((p: string) => boolean)[] = [];
  const no: ((p: string) => boolean)[] = [];
  for (const p of patterns) {
    const { glob, negated } = normalizeGlob(p, base);
    try {
      (negated ? no : yes).push(compileGlob(glob));
    } catch {
      // an invalid glob is reported by the parser; it matches nothing here
    }
  }
  return (path) => yes.some((m) => m(path)) && !no.some((m) => m(path));
}

function reveal(feature: FeatureDef, criterion: CriterionDef | undefined, why: string): Step {
  return { kind: 'reveal', file: feature.file, range: criterion?.range ?? feature.range, why };
}

function firstLine(message: string): string {
  for (const line of message.split(/\r?\n/)) {
    if (line.startsWith('#')) continue;
    return line.trim();
  }
  return '';
}

function join(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** `name.ext` → `name`, `.ext` (the last extension; dotfiles have none). */
function splitExt(name: string): [stem: string, ext: string] {
  const i = name.lastIndexOf('.');
  return i <= 0 ? [name, ''] : [name.slice(0, i), name.slice(i)];
}

/** A literal path written in a criterion (no glob characters), as a repository path; folders end in `/`. */
function literals(criterion: CriterionDef, base: string): string[] {
  return criterion.patterns
    .filter((p) => !p.startsWith('!') && !/[*?[\]{}()!+@\\]/.test(p))
    .map((p) => join(base, p.replace(/^(\.\/)+/, '')));
}

/** `path`, or `name-2.ext`, `name-3.ext`… : the first that does not exist. */
export function freeName(path: string, exists: (p: string) => boolean): string {
  if (!exists(path)) return path;
  const dir = dirOf(path);
  const [stem, ext] = splitExt(baseName(path));
  for (let n = 2; ; n++) {
    const p = join(dir, `${stem}-${n}${ext}`);
    if (!exists(p)) return p;
  }
}

function openOrCreate(ctx: Context, path: string, text: string, cursor: Position): Step {
  return ctx.exists(path) ? { kind: 'open', path } : { kind: 'create', path, text, cursor };
}

/** Position at the end of `text` (or of its line `line`). */
function endOf(text: string, line?: number): Position {
  const lines = text.split('\n');
  const l = line ?? lines.length - 1;
  return { line: l, character: (lines[l] ?? '').replace(/\r$/, '').length };
}

// ---------------------------------------------------------------------------------------------
// Custom criteria: the first literal file the criterion names.

function planLiteral(ctx: Context): Step | undefined {
  const path = literals(ctx.criterion, ctx.input.feature.base)[0];
  if (path === undefined || path.endsWith('/')) return undefined;
  return openOrCreate(ctx, path, '', { line: 0, character: 0 });
}

// ---------------------------------------------------------------------------------------------
// Docs: the feature's doc file that best relates to the change, else the file the criterion names.

/** Words of a path: folder names and file stems split at separators, lower case. */
function words(path: string): string[] {
  return path.toLowerCase().split(/[/._\-\s]+/).filter((w) => w.length > 1);
}

function planDocs(ctx: Context): Step {
  const { feature } = ctx.input;
  const docs = ctx.covered();
  if (docs.length) {
    const changeWords = new Set([...ctx.input.changedCode.flatMap(words), ...words(feature.id), ...words(feature.name)]);
    const score = (d: string) => words(d).filter((w) => changeWords.has(w)).length;
    const best = [...docs].sort((a, b) => score(b) - score(a) || a.split('/').length - b.split('/').length || a.localeCompare(b))[0]!;
    return { kind: 'open', path: best };
  }
  const title = `# ${feature.name}\n\n`;
  const lits = literals(ctx.criterion, feature.base);
  const file = lits.find((l) => !l.endsWith('/'));
  if (file) return { kind: 'create', path: file, text: title, cursor: endOf(title) };
  const folder = lits.find((l) => l.endsWith('/'));
  if (folder) {
    const path = freeName(`${folder}${feature.id}.md`, (p) => ctx.exists(p));
    return { kind: 'create', path, text: title, cursor: endOf(title) };
  }
  return reveal(feature, ctx.criterion, 'the docs criterion names no file or folder to create');
}

// ---------------------------------------------------------------------------------------------
// Tests: the file the repository's layout puts beside the changed code file.

type Lang = 'js' | 'py' | 'go' | 'rust' | 'other';

function langOf(path: string): Lang {
  const ext = splitExt(baseName(path))[1].toLowerCase();
  if (/^\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/.test(ext)) return 'js';
  if (ext === '.py') return 'py';
  if (ext === '.go') return 'go';
  if (ext === '.rs') return 'rust';
  return 'other';
}

/** Top-level folders whose contents tests mirror without them (`src/checkout` → `test/checkout`). */
const SOURCE_ROOTS = new Set(['src', 'lib', 'source', 'app', 'pkg', 'internal']);
const TEST_ROOTS = ['test', 'tests', 'testing', 'spec', '__tests__'];

/** One way a repository names the test of a code file. */
interface TestPattern {
  name: string;
  test(code: string): string | undefined;
}

function testPatterns(lang: Lang, roots: readonly string[], jsSuffix: string): TestPattern[] {
  const parts = (code: string) => {
    const dir = dirOf(code);
    const [stem, ext] = splitExt(baseName(code));
    const segs = dir ? dir.split('/') : [];
    const rest = segs.length && SOURCE_ROOTS.has(segs[0]!) ? segs.slice(1).join('/') : dir;
    return { dir, stem, ext, rest };
  };
  switch (lang) {
    case 'go': return [{ name: 'go', test: (c) => { const p = parts(c); return join(p.dir, `${p.stem}_test.go`); } }];
    case 'rust': return [{ name: 'cargo', test: (c) => join('tests', `${parts(c).stem}.rs`) }];
    case 'py': {
      const out: TestPattern[] = [
        { name: 'beside', test: (c) => { const p = parts(c); return join(p.dir, `test_${p.stem}.py`); } },
        { name: 'beside_test', test: (c) => { const p = parts(c); return join(p.dir, `${p.stem}_test.py`); } },
        { name: 'tests-below', test: (c) => { const p = parts(c); return join(join(p.dir, 'tests'), `test_${p.stem}.py`); } },
      ];
      // Flat first: `tests/test_cart.py` is Python's usual layout when nothing says otherwise.
      for (const r of roots) out.push({ name: `${r}-flat`, test: (c) => join(r, `test_${parts(c).stem}.py`) });
      for (const r of roots) out.push({ name: `${r}-mirror`, test: (c) => { const p = parts(c); return join(join(r, p.rest), `test_${p.stem}.py`); } });
      return out;
    }
    case 'js':
    case 'other': {
      const out: TestPattern[] = [
        { name: 'colocated', test: (c) => { const p = parts(c); return join(p.dir, `${p.stem}${jsSuffix}${p.ext}`); } },
        { name: '__tests__', test: (c) => { const p = parts(c); return join(join(p.dir, '__tests__'), `${p.stem}${jsSuffix}${p.ext}`); } },
      ];
      for (const r of roots) {
        out.push({ name: `${r}-mirror`, test: (c) => { const p = parts(c); return join(join(r, p.rest), `${p.stem}${jsSuffix}${p.ext}`); } });
        out.push({ name: `${r}-full-mirror`, test: (c) => { const p = parts(c); return join(join(r, p.dir), `${p.stem}${jsSuffix}${p.ext}`); } });
        out.push({ name: `${r}-flat`, test: (c) => { const p = parts(c); return join(r, `${p.stem}${jsSuffix}${p.ext}`); } });
      }
      return out;
    }
  }
}

/** The test file for `code` that the repository's layout implies, best first. */
export function testFileCandidates(code: string, files: readonly string[], covered: readonly string[]): string[] {
  const lang = langOf(code);
  const existing = new Set(covered.length ? covered : files.filter(isTestPath));
  // `.spec` or `.test`, whichever the existing tests use more.
  const spec = [...existing].filter((f) => /\.spec\.[^/]+$/.test(f)).length;
  const test = [...existing].filter((f) => /\.test\.[^/]+$/.test(f)).length;
  const roots = [...new Set([...[...existing].map((f) => f.split('/')[0]!).filter((s) => TEST_ROOTS.includes(s.toLowerCase())), ...TEST_ROOTS])];
  const patterns = testPatterns(lang, roots, spec > test ? '.spec' : '.test');
  // Evidence: how many code files of the same language already have their test where a pattern puts it.
  const sources = files.filter((f) => langOf(f) === lang && !isTestPath(f));
  const score = new Map(patterns.map((p) => [p, sources.filter((s) => { const t = p.test(s); return t !== undefined && existing.has(t); }).length]));
  const ranked = patterns.map((p, i) => ({ p, i })).sort((a, b) => score.get(b.p)! - score.get(a.p)! || a.i - b.i);
  return [...new Set(ranked.map(({ p }) => p.test(code)).filter((t): t is string => t !== undefined))];
}

function planTests(ctx: Context): Step {
  const { feature } = ctx.input;
  const code = ctx.input.changedCode.filter((c) => !isTestPath(c) && !ctx.matches(c)).sort();
  if (!code.length) return reveal(feature, ctx.criterion, `no changed code file of ${feature.name} to write a test for`);
  let target = ctx.input.choice !== undefined && code.includes(ctx.input.choice) ? ctx.input.choice : undefined;
  if (target === undefined) {
    if (code.length > 1) return { kind: 'choose', question: `Which file of ${feature.name} needs a test?`, choices: code.map((c) => ({ value: c, label: c })) };
    target = code[0]!;
  }
  const candidates = testFileCandidates(target, ctx.input.files, ctx.covered());
  // The new file must count for the criterion, or the row would not turn green.
  let path = candidates.find((c) => ctx.matches(c));
  if (path === undefined) {
    const folder = literals(ctx.criterion, feature.base).find((l) => l.endsWith('/'));
    const name = candidates[0] ? baseName(candidates[0]) : undefined;
    if (folder === undefined || name === undefined || !ctx.matches(`${folder}${name}`)) {
      return reveal(feature, ctx.criterion, `the tests criterion of ${feature.name} does not cover a test file for ${target}`);
    }
    path = `${folder}${name}`;
  }
  if (ctx.exists(path)) return { kind: 'open', path };
  const framework = detectTestFramework(ctx.input.files, ctx.input.read);
  const { text, cursor } = testSkeleton(framework, path, target, ctx.input.read);
  return { kind: 'create', path, text, cursor };
}

function camel(stem: string): string {
  return stem.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('') || 'Feature';
}

/** A minimal test file for `framework`: one test that the runner reports as to do. */
function testSkeleton(framework: TestFramework, testPath: string, codePath: string, read: Read): { text: string; cursor: Position } {
  const lang = langOf(testPath);
  const stem = splitExt(baseName(codePath))[0];
  const title = `${stem}: `;
  const js = (header: string, todo: string) => {
    const text = `${header}describe('${stem}', () => {\n  ${todo}('${title}');\n});\n`;
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes(`('${title}')`));
    return { text, cursor: { line, character: lines[line]!.indexOf(`('${title}')`) + 2 + title.length } };
  };
  const esm = /\.(ts|tsx|mts|mjs)$/.test(testPath) || (/\.jsx?$/.test(testPath) && /"type"\s*:\s*"module"/.test(read('package.json') ?? ''));
  const imports = (names: string, from: string) => (esm ? `import { ${names} } from '${from}';\n\n` : `const { ${names} } = require('${from}');\n\n`);
  if (lang === 'go') {
    const pkg = /^package\s+(\w+)/m.exec(read(codePath) ?? '')?.[1] ?? (baseName(dirOf(codePath)) || 'main');
    const text = `package ${pkg}\n\nimport "testing"\n\nfunc Test${camel(stem)}(t *testing.T) {\n\tt.Skip("not written yet")\n}\n`;
    return { text, cursor: { line: 6, character: 1 } };
  }
  if (lang === 'rust') {
    const text = `#[test]\n#[ignore = "not written yet"]\nfn ${stem.replace(/\W/g, '_')}() {\n    \n}\n`;
    return { text, cursor: { line: 3, character: 4 } };
  }
  if (lang === 'py') {
    if (framework === 'unittest') {
      const text = `import unittest\n\n\nclass ${camel(stem)}Test(unittest.TestCase):\n    @unittest.skip("not written yet")\n    def test_${stem.replace(/\W/g, '_')}(self):\n        ...\n\n\nif __name__ == "__main__":\n    unittest.main()\n`;
      return { text, cursor: { line: 6, character: 11 } };
    }
    const text = `import pytest\n\n\n@pytest.mark.skip(reason="not written yet")\ndef test_${stem.replace(/\W/g, '_')}():\n    ...\n`;
    return { text, cursor: { line: 5, character: 7 } };
  }
  switch (framework) {
    case 'mocha': return js('', 'it');
    case 'jest': return js('', 'it.todo');
    case 'vitest': return js(imports('describe, it', 'vitest'), 'it.todo');
    case 'node:test':
    case 'unknown':
    case 'pytest':
    case 'unittest':
    case 'go':
    case 'cargo':
      return js(imports('describe, it', 'node:test'), 'it.todo');
  }
}

// ---------------------------------------------------------------------------------------------
// Release notes: a Changesets file, a towncrier fragment, a changie entry, or the changelog's
// Unreleased section.

function planReleaseNotes(ctx: Context): Step {
  const detected = detectReleaseNotes(ctx.input.files, ctx.input.read);
  const step = releaseNotesStep(ctx, detected);
  if (step && !fitsCriterion(ctx, step)) return fromCriterion(ctx) ?? step;
  return step ?? fromCriterion(ctx) ?? reveal(ctx.input.feature, ctx.criterion, 'no release-notes tool or file found');
}

function fitsCriterion(ctx: Context, step: Step): boolean {
  return step.kind === 'choose' || step.kind === 'reveal' || ctx.matches(step.path);
}

/** When detection finds nothing (or something the criterion does not cover): what the criterion itself names. */
function fromCriterion(ctx: Context): Step | undefined {
  const base = ctx.input.feature.base;
  for (const p of ctx.criterion.patterns) {
    if (p.startsWith('!')) continue;
    const path = join(base, p.replace(/^(\.\/)+/, ''));
    const changeset = /^(.*?\.changeset)\/(\*\.md|\*\*?)?$/.exec(path);
    if (changeset) return releaseNotesStep(ctx, { kind: 'changesets', dir: changeset[1]! });
    if (!/[*?[\]{}]/.test(path) && CHANGELOG_FILE.test(baseName(path))) return releaseNotesStep(ctx, { kind: 'changelog', file: path });
  }
  return planLiteral(ctx);
}

function releaseNotesStep(ctx: Context, tool: ReleaseNotesTool): Step | undefined {
  switch (tool.kind) {
    case 'changesets': return changesetStep(ctx, tool.dir);
    case 'towncrier': return towncrierStep(ctx, tool);
    case 'changie': return changieStep(ctx, tool.dir);
    case 'changelog': return changelogStep(ctx, tool.file);
    case 'none': return undefined;
  }
}

// Three words the way Changesets names its files (adjective-noun-verb, "brave-cats-dance").
// A short list of our own rather than a dependency: any unused name is a valid changeset.
const ADJECTIVES = ['brave', 'calm', 'clever', 'cool', 'eager', 'fair', 'fresh', 'gentle', 'happy', 'kind', 'lazy', 'lucky', 'modern', 'neat', 'odd', 'polite', 'proud', 'quick', 'quiet', 'rare', 'shy', 'silly', 'smart', 'swift', 'tall', 'tidy', 'warm', 'wild', 'wise', 'young'];
const NOUNS = ['ants', 'bats', 'bears', 'birds', 'boats', 'cats', 'clouds', 'cows', 'crabs', 'deer', 'dogs', 'doors', 'ducks', 'eggs', 'fish', 'foxes', 'frogs', 'geese', 'hats', 'keys', 'lamps', 'lions', 'maps', 'mice', 'owls', 'pans', 'pens', 'rocks', 'seals', 'trees'];
const VERBS = ['agree', 'bake', 'beam', 'boil', 'camp', 'care', 'clap', 'cry', 'dance', 'dream', 'drive', 'fly', 'grin', 'hide', 'hope', 'jump', 'kneel', 'laugh', 'learn', 'listen', 'march', 'melt', 'nod', 'own', 'play', 'pull', 'relax', 'rest', 'sing', 'smile', 'swim', 'talk', 'walk', 'wave', 'wink', 'yawn'];

function pick<T>(list: readonly T[], random: () => number): T {
  return list[Math.min(list.length - 1, Math.floor(random() * list.length))]!;
}

/** A `<adjective>-<noun>-<verb>` name that no file in `dir` has. */
function changesetName(dir: string, exists: (p: string) => boolean, random: () => number = Math.random): string {
  for (let i = 0; i < 1000; i++) {
    const p = `${dir}/${pick(ADJECTIVES, random)}-${pick(NOUNS, random)}-${pick(VERBS, random)}.md`;
    if (!exists(p)) return p;
  }
  return freeName(`${dir}/${pick(ADJECTIVES, random)}-${pick(NOUNS, random)}-${pick(VERBS, random)}.md`, exists);
}

/** The `name` of the package.json nearest above each path (the packages a change touches). */
function touchedPackages(paths: readonly string[], files: ReadonlySet<string>, read: Read): string[] {
  const names = new Set<string>();
  for (const path of paths) {
    for (let dir = dirOf(path); ; dir = dirOf(dir)) {
      const manifest = join(dir, 'package.json');
      if (files.has(manifest)) {
        try {
          const name = (JSON.parse(read(manifest) ?? '') as { name?: unknown }).name;
          if (typeof name === 'string' && name.trim()) names.add(name.trim());
        } catch {
          // not JSON: no name
        }
        break;
      }
      if (dir === '') break;
    }
  }
  return [...names].sort();
}

function changesetStep(ctx: Context, dir: string): Step {
  const path = changesetName(dir, (p) => ctx.exists(p), ctx.input.random);
  const packages = touchedPackages(ctx.input.changedCode, ctx.files, ctx.input.read);
  const front = packages.map((p) => `${JSON.stringify(p)}: patch\n`).join('');
  const text = `---\n${front}---\n\n${ctx.summary()}\n`;
  return { kind: 'create', path, text, cursor: endOf(text, text.split('\n').length - 2) };
}

/** The issue number in a branch name: `fix/123-cart`, `gh-123`, `PROJ-123-x`, `issue_123`. */
export function issueNumber(branch: string | undefined): string | undefined {
  return branch === undefined ? undefined : /(?:^|[/_#-])(\d+)(?=$|[/_.-])/.exec(branch)?.[1];
}

function towncrierStep(ctx: Context, tool: { dir: string; types: string[]; output?: string }): Step {
  const types = tool.types.length ? tool.types : ['feature', 'bugfix', 'doc', 'removal', 'misc'];
  const type = ctx.input.choice !== undefined && types.includes(ctx.input.choice) ? ctx.input.choice : types.length === 1 ? types[0]! : undefined;
  if (type === undefined) return { kind: 'choose', question: 'Which kind of change is this?', choices: types.map((t) => ({ value: t, label: t })) };
  // The extension the existing fragments use, else the one of the file they are built into.
  const fragments = ctx.input.files.filter((f) => dirOf(f) === tool.dir && /^[^.]+\.[a-z]+/.test(baseName(f)));
  const exts = fragments.map((f) => /^[^.]+\.[a-z]+(?:\.\d+)?(\.(?:md|rst|txt))?$/.exec(baseName(f))?.[1] ?? '');
  const ext = exts.length ? exts.sort((a, b) => exts.filter((x) => x === b).length - exts.filter((x) => x === a).length)[0]! : /\.md$/.test(tool.output ?? '') ? '.md' : '';
  const issue = issueNumber(ctx.input.branch);
  const random = ctx.input.random ?? Math.random;
  let path: string;
  if (issue !== undefined) {
    path = `${tool.dir}/${issue}.${type}${ext}`;
    for (let n = 1; ctx.exists(path); n++) path = `${tool.dir}/${issue}.${type}.${n}${ext}`; // towncrier's own counter
  } else {
    do path = `${tool.dir}/+${Math.floor(random() * 0xffffffff).toString(16).padStart(8, '0')}.${type}${ext}`; // an orphan fragment
    while (ctx.exists(path));
  }
  const text = `${ctx.summary()}\n`;
  return { kind: 'create', path, text, cursor: endOf(text, 0) };
}

const CHANGIE_KINDS = ['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security'];

function changieStep(ctx: Context, dir: string): Step {
  const kind = ctx.input.choice !== undefined && CHANGIE_KINDS.includes(ctx.input.choice) ? ctx.input.choice : undefined;
  if (kind === undefined) return { kind: 'choose', question: 'Which kind of change is this?', choices: CHANGIE_KINDS.map((k) => ({ value: k, label: k })) };
  const now = ctx.input.now ?? new Date();
  const stamp = now.toISOString().replace(/\.\d+Z$/, '').replace(/[-:]/g, '').replace('T', '-');
  const path = freeName(`${dir}/${kind}-${stamp}.yaml`, (p) => ctx.exists(p));
  const body = `body: ${JSON.stringify(ctx.summary())}`;
  const text = `kind: ${kind}\n${body}\ntime: ${now.toISOString()}\n`;
  return { kind: 'create', path, text, cursor: { line: 1, character: body.length - 1 } };
}

const KEEP_A_CHANGELOG = '# Changelog\n\nAll notable changes to this project will be documented in this file.\n\nThe format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/).\n\n';

function changelogStep(ctx: Context, file: string): Step {
  const summary = ctx.summary();
  if (!ctx.exists(file)) {
    const text = `${KEEP_A_CHANGELOG}## [Unreleased]\n\n- ${summary}\n`;
    return { kind: 'create', path: file, text, cursor: endOf(text, text.split('\n').length - 2) };
  }
  const before = ctx.input.read(file);
  if (before === undefined || !/\.(md|markdown)$|^[^.]*$/i.test(baseName(file))) return { kind: 'open', path: file };
  return { kind: 'insert', path: file, before, ...unreleasedBullet(before, summary) };
}

/**
 * Where a new bullet goes in a Keep a Changelog file: first in `## [Unreleased]` (in its first
 * `### ` subsection when it has some), the section created above the first release when absent.
 */
export function unreleasedBullet(text: string, summary: string): { offset: number; text: string; cursor: Position } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const starts: number[] = [];
  for (let i = 0, o = 0; i < lines.length; i++) {
    starts.push(o);
    o = text.indexOf('\n', o) + 1;
  }
  const at = (i: number) => (i < lines.length ? starts[i]! : text.length);
  /** Lines of the file: a final newline ends the last one rather than starting another. */
  const count = text.endsWith('\n') ? lines.length - 1 : lines.length;
  const isBullet = (l: string) => /^\s*[-*+]\s/.test(l);
  /** Inserts `pre + bullet + post` at `offset`; the cursor goes at the end of the bullet. */
  const result = (offset: number, pre: string, marker: string, post: string) => {
    const b = `${marker} ${summary}`;
    const line = (text.slice(0, offset).match(/\n/g) ?? []).length + (pre.match(/\n/g) ?? []).length;
    return { offset, text: `${pre}${b}${post}`, cursor: { line, character: b.length } };
  };
  const heading = lines.findIndex((l) => /^##\s+\[?unreleased\]?/i.test(l));
  if (heading >= 0) {
    let end = lines.findIndex((l, i) => i > heading && /^##\s/.test(l));
    if (end < 0) end = count;
    const sub = lines.findIndex((l, i) => i > heading && i < end && /^###\s/.test(l));
    const anchor = sub >= 0 ? sub : heading;
    let i = anchor + 1;
    while (i < end && lines[i]!.trim() === '') i++;
    if (i < end && isBullet(lines[i]!)) return result(at(i), '', /^\s*([-*+])/.exec(lines[i]!)![1]!, eol);
    if (anchor + 1 >= count) return result(text.length, text.endsWith('\n') ? eol : `${eol}${eol}`, '-', eol); // the heading is the last line
    const rest = lines.slice(i).some((l) => l.trim() !== '');
    // No bullet yet: one below a blank line, and a blank line before whatever follows.
    if (i === anchor + 1) return result(at(i), eol, '-', rest ? `${eol}${eol}` : eol);
    return result(at(i), '', '-', rest ? `${eol}${eol}` : eol);
  }
  // No Unreleased section: above the first release heading, else at the end.
  const release = lines.findIndex((l) => /^##\s/.test(l));
  if (release >= 0) return result(at(release), `## [Unreleased]${eol}${eol}`, '-', `${eol}${eol}`);
  const pre = text.trim() === '' ? '' : `${text.endsWith('\n') ? '' : eol}${eol}`;
  return result(text.length, `${pre}## [Unreleased]${eol}${eol}`, '-', eol);
}
