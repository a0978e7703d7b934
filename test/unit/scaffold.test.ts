import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'yaml';
import { codeownersToGlob, parseCodeowners } from '../../src/core/codeowners';
import { compileGlob, normalizeGlob } from '../../src/core/glob';
import { parseOwnership } from '../../src/core/parse';
import { scaffoldOwnership, type ScaffoldInput } from '../../src/core/scaffold';

interface Feature {
  id: string;
  name: string;
  owners?: string[];
  code: string[];
  tests?: string[];
  docs?: string[] | { paths: string[]; required: boolean };
  'release-notes'?: string[] | { paths: string[]; required: boolean };
}

/** Scaffolds, checks the result is a valid OWNERSHIP.yml, and returns its data. */
function scaffold(input: ScaffoldInput): { data: { features: Feature[] }; source: string; text: string } {
  const s = scaffoldOwnership(input);
  const parsed = parseOwnership(s.text, 'OWNERSHIP.yml');
  assert.deepEqual(parsed.problems, [], s.text);
  assert.equal(parsed.file?.features.length, s.features);
  return { data: parse(s.text), source: s.source, text: s.text };
}

function globsOf(f: Feature): string[] {
  const paths = (c: string[] | { paths: string[] } | undefined) => (c === undefined ? [] : Array.isArray(c) ? c : c.paths);
  return [...f.code, ...paths(f.tests), ...paths(f.docs), ...paths(f['release-notes'])];
}

function matches(glob: string, files: readonly string[]): string[] {
  const test = compileGlob(normalizeGlob(glob, '').glob);
  return files.filter((f) => test(f));
}

const SHOP = [
  'README.md',
  'CHANGELOG.md',
  'package.json',
  '.github/workflows/ci.yml',
  'src/checkout/cart.ts',
  'src/search/index.ts',
  'src/accounts/login.ts',
  'src/accounts/login.test.ts',
  'test/checkout/cart.test.ts',
  'test/search/index.test.ts',
  'docs/checkout.md',
  'docs/search.md',
  'docs/accounts.md',
  'scripts/release.sh',
];

describe('scaffoldOwnership', () => {
  it('makes one feature per source folder, with tests, docs and release notes found beside it', () => {
    const { data, source } = scaffold({ files: SHOP });
    assert.equal(source, 'folders');
    const byId = new Map(data.features.map((f) => [f.id, f]));
    // scripts/ is tooling, not a feature.
    assert.deepEqual([...byId.keys()], ['accounts', 'checkout', 'search']);
    assert.deepEqual(byId.get('checkout'), { id: 'checkout', name: 'Checkout', code: ['src/checkout/'], tests: ['test/checkout/'], docs: ['docs/checkout.md'], 'release-notes': ['CHANGELOG.md'] });
    // Tests next to the code: the file-name convention in use, not the test folder.
    assert.deepEqual(byId.get('accounts')!.tests, ['src/accounts/**/*.test.*']);
  });

  it('falls back to the test folders and the docs folder (optional) when nothing names the feature and there is no history', () => {
    const { data } = scaffold({ files: ['src/a/x.ts', 'src/b/y.ts', 'test/helpers.ts', 'docs/intro.md'] });
    assert.deepEqual(data.features.map((f) => [f.id, f.tests, f.docs]), [
      ['a', ['test/'], { paths: ['docs/'], required: false }],
      ['b', ['test/'], { paths: ['docs/'], required: false }],
    ]);
  });

  it('writes only globs that match a tracked file, so a new file starts without warnings', () => {
    const { data } = scaffold({ files: SHOP });
    for (const f of data.features) for (const g of globsOf(f)) assert.ok(matches(g, SHOP).length > 0, `${f.id}: ${g} matches nothing`);
  });

  it('keeps a lone folder under src/ as one feature, and never makes features of tests, docs, examples, build output, CI or editor config', () => {
    const files = ['src/app/main.ts', 'tests/test_main.py', 'doc/guide.md', 'dist/main.js', 'node_modules/x/index.js', '.vscode/settings.json', '.github/workflows/x.yml',
      'examples/demo/a.ts', 'fixtures/f.ts', 'vendor/lib/v.go', 'playground/p/main.ts', 'web/index.ts', 'assets/logo.png'];
    const { data } = scaffold({ files });
    assert.deepEqual(data.features.map((f) => f.code), [['src/'], ['web/']]);
  });

  it('gives colliding folder names distinct ids and turns any folder name into a valid id', () => {
    const files = ['packages/api/a.ts', 'packages/web/b.ts', 'apps/api/c.ts', 'apps/Admin Tool/d.ts'];
    const { data } = scaffold({ files });
    assert.deepEqual(data.features.map((f) => [f.id, f.code[0]]), [
      ['admin-tool', 'apps/Admin Tool/'],
      ['api', 'apps/api/'],
      ['packages-api', 'packages/api/'],
      ['web', 'packages/web/'],
    ]);
  });

  it('escapes glob characters in folder names so the glob still means that folder', () => {
    const files = ['lib/[legacy]/old.js', 'lib/{new}/new.js', 'test/[legacy]/old.test.js'];
    const { data } = scaffold({ files });
    for (const f of data.features) for (const g of globsOf(f)) assert.ok(matches(g, files).length > 0, `${f.id}: ${g} matches nothing`);
    assert.deepEqual(data.features.map((f) => f.code[0]), ['lib/\\[legacy\\]/', 'lib/\\{new\\}/']);
  });

  it("uses a package's own changelog for its feature when the repository has no release-notes tool", () => {
    const files = ['packages/a/index.ts', 'packages/a/CHANGELOG.md', 'packages/b/index.ts'];
    const { data } = scaffold({ files });
    assert.deepEqual(data.features.map((f) => f['release-notes']), [['packages/a/CHANGELOG.md'], undefined]);
  });

  it('takes owners from CODEOWNERS (last matching rule wins) and never makes a feature of a person or a CI folder', () => {
    const codeowners = [
      '# Owners',
      '*                @org/core',
      '/src/checkout/   @org/payments',
      '/src/search      @org/discovery   # a folder, written without the slash',
      '*.md             @org/docs',
      '/.github/**      @alice @bob',
      '[Optional section] @org/core',
      '/src/accounts/',
      '',
    ].join('\n');
    const { data, source, text } = scaffold({ files: SHOP, codeowners: { path: '.github/CODEOWNERS', text: codeowners } });
    assert.equal(source, 'folders');
    assert.match(text, /Owners from \.github\/CODEOWNERS/);
    // accounts: its last rule names nobody (un-owned).
    assert.deepEqual(data.features.map((f) => [f.id, f.owners, f.code]), [
      ['accounts', undefined, ['src/accounts/']],
      ['checkout', ['@org/payments'], ['src/checkout/']],
      ['search', ['@org/discovery'], ['src/search/']],
    ]);
    const only = scaffold({ files: SHOP, codeowners: { path: '.github/CODEOWNERS', text: '/.github/** @a @b @c\n' } }).data;
    assert.deepEqual(only.features.map((f) => [f.id, f.owners]), [['accounts', undefined], ['checkout', undefined], ['search', undefined]]);
  });

  it('owns every feature by the catch-all owner when CODEOWNERS names only `*`', () => {
    const { data } = scaffold({ files: SHOP, codeowners: { path: 'CODEOWNERS', text: '* @alice bob@example.com\n' } });
    assert.ok(data.features.length > 0);
    for (const f of data.features) assert.deepEqual(f.owners, ['@alice', 'bob@example.com']);
  });

  it('writes a valid example for an empty repository', () => {
    const { data, source } = scaffold({ files: [] });
    assert.equal(source, 'example');
    assert.deepEqual(data.features.map((f) => f.code), [['src/']]);
  });

  it('Changesets monorepo: features are the workspace packages; generated CHANGELOGs are ignored and not code; notes are .changeset/*.md', () => {
    const texts: Record<string, string> = {
      'package.json': '{"private":true,"workspaces":["packages/*"]}',
      'packages/cli/package.json': '{"name":"@acme/cli"}',
      'packages/core/package.json': '{"name":"@acme/core"}',
      '.changeset/config.json': '{}',
    };
    const files = [...Object.keys(texts), 'packages/cli/src/run.ts', 'packages/cli/src/run.test.ts', 'packages/cli/README.md', 'packages/cli/CHANGELOG.md',
      'packages/core/src/index.ts', 'packages/core/src/__tests__/index.ts', 'packages/core/CHANGELOG.md', 'package-lock.json', '.changeset/README.md', 'site/index.ts'];
    const { data, source, text } = scaffold({ files, read: (p) => texts[p] });
    assert.equal(source, 'workspaces');
    assert.match(text, /Release notes: Changesets/);
    assert.deepEqual((parse(text) as { ignore: string[] }).ignore, ['**/package-lock.json', 'packages/*/CHANGELOG.md']);
    assert.deepEqual(data.features.map((f) => [f.id, f.code, f.tests, f.docs, f['release-notes']]), [
      ['cli', ['packages/cli/', '!packages/cli/CHANGELOG.md'], ['packages/cli/**/*.test.*'], ['packages/cli/README.md'], ['.changeset/*.md']],
      ['core', ['packages/core/', '!packages/core/CHANGELOG.md'], ['packages/core/**/__tests__/'], undefined, ['.changeset/*.md']],
    ]);
  });

  it('Python src layout with towncrier: tests from history co-change, fragments as notes, the output file ignored', () => {
    const texts: Record<string, string> = { 'pyproject.toml': '[tool.towncrier]\ndirectory = "changelog.d"\nfilename = "CHANGELOG.md"\n' };
    const files = [...Object.keys(texts), 'src/pkg/__init__.py', 'src/pkg/_make.py', 'tests/test_make.py', 'tests/conftest.py', 'changelog.d/1.change.md', 'CHANGELOG.md', 'docs/index.md'];
    // The team changes a test in most code changes, and a fragment in all of them.
    const history = Array.from({ length: 10 }, (_, i) => ({ hash: `${i}`.padStart(40, 'a'), files: ['src/pkg/_make.py', 'changelog.d/1.change.md', ...(i < 8 ? ['tests/test_make.py'] : [])] }));
    const { data, source, text } = scaffold({ files, read: (p) => texts[p], history });
    assert.equal(source, 'python');
    assert.deepEqual((parse(text) as { ignore: string[] }).ignore, ['CHANGELOG.md']);
    assert.deepEqual(data.features.map((f) => [f.id, f.code, f.tests, f['release-notes']]), [['pkg', ['src/pkg/'], ['tests/'], ['changelog.d/']]]);
    assert.match(text, /tests: \[tests\/\] # test folders that changed with this code \(history\); came with 8 of 10 recent code changes \(80 %\)/);
    assert.match(text, /docs: \{paths: \[docs\/\], required: false\} # .*came with 0 of 10 recent code changes \(0 %\): optional/);
  });

  it('calibrates from history: a criterion most code changes came without is optional, with its rate; too few changes measure nothing', () => {
    const files = ['src/a/x.ts', 'src/a/x.test.ts', 'src/b/y.ts', 'src/b/y.test.ts', 'CHANGELOG.md'];
    const h = (i: number, f: string[]) => ({ hash: `${i}`.padStart(40, '0'), files: f });
    const history = [
      ...Array.from({ length: 10 }, (_, i) => h(i, ['src/a/x.ts', ...(i < 3 ? ['CHANGELOG.md'] : []), ...(i < 6 ? ['src/a/x.test.ts'] : [])])),
      h(20, ['src/b/y.ts']), h(21, ['src/b/y.ts']),
    ];
    const { data, text } = scaffold({ files, history });
    const a = data.features.find((f) => f.id === 'a')!;
    const b = data.features.find((f) => f.id === 'b')!;
    assert.deepEqual(a.tests, ['src/a/**/*.test.*']);
    assert.deepEqual(a['release-notes'], { paths: ['CHANGELOG.md'], required: false });
    assert.match(text, /came with 6 of 10 recent code changes \(60 %\)\n/);
    assert.match(text, /came with 3 of 10 recent code changes \(30 %\): optional until the team raises the bar/);
    assert.deepEqual([b.tests, b['release-notes']], [['src/b/**/*.test.*'], ['CHANGELOG.md']]);
    assert.match(text, /only 2 recent changes to this code: too few to measure/);
  });

  it('Cargo workspace: members and the root package (its [[bin]] folder); Go module: the root sources', () => {
    const texts: Record<string, string> = {
      'Cargo.toml': '[package]\nname = "rg"\n[[bin]]\nname = "rg"\npath = "crates/core/main.rs"\n[workspace]\nmembers = ["crates/searcher"]\n',
      'crates/searcher/Cargo.toml': '[package]\nname = "grep-searcher"\n',
    };
    const files = [...Object.keys(texts), 'crates/core/main.rs', 'crates/searcher/src/lib.rs', 'crates/searcher/README.md', 'tests/misc.rs', 'Cargo.lock', 'CHANGELOG.md'];
    const rust = scaffold({ files, read: (p) => texts[p] }).data;
    assert.deepEqual(rust.features.map((f) => [f.id, f.code]), [['rg', ['crates/core/']], ['grep-searcher', ['crates/searcher/']]]);
    const go = scaffold({ files: ['go.mod', 'go.sum', 'command.go', 'command_test.go', 'args.go', 'doc/README.md'], read: (p) => (p === 'go.mod' ? 'module github.com/acme/cobra/v2\n' : undefined) }).data;
    assert.deepEqual(go.features.map((f) => [f.id, f.code, f.tests]), [['cobra', ['*.go'], ['*_test.go']]]);
  });

  it('is valid and matches what it declares for any file list', () => {
    const segment = fc.stringMatching(/^[a-zA-Z0-9_. \-[\]{}()!+@]{1,8}$/).filter((s) => s !== '.' && s !== '..');
    const path = fc.array(fc.oneof(segment, fc.constantFrom('src', 'test', 'tests', 'docs', '__tests__', 'packages', 'CHANGELOG.md', 'x.test.ts', 'a.py', 'b.go')), { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
    fc.assert(
      fc.property(fc.uniqueArray(path, { maxLength: 30 }), (raw) => {
        // A path cannot be both a file and a folder.
        const files = raw.filter((f) => !raw.some((g) => g.startsWith(`${f}/`)));
        const s = scaffoldOwnership({ files });
        const parsed = parseOwnership(s.text, 'OWNERSHIP.yml');
        assert.deepEqual(parsed.problems, [], s.text);
        if (s.source === 'example') return;
        const data = parse(s.text) as { ignore?: string[]; features: Feature[] };
        for (const g of data.ignore ?? []) assert.ok(matches(g, files).length > 0, `${g}\n${s.text}`);
        for (const f of data.features) for (const g of globsOf(f)) if (!g.startsWith('!')) assert.ok(matches(g, files).length > 0, `${f.id}: ${g} matches nothing\n${files.join('\n')}`);
      }),
      { numRuns: 300 },
    );
  });
});

describe('CODEOWNERS', () => {
  it('reads rules, owners, escapes and comments', () => {
    assert.deepEqual(parseCodeowners('# c\n\n/a/ @x @y # mine\n\\#notes.txt @z\n[Docs] @d\n^[Opt]\nfile\\ name @w\n'), [
      { pattern: '/a/', owners: ['@x', '@y'], line: 3 },
      { pattern: '#notes.txt', owners: ['@z'], line: 4 },
      { pattern: 'file name', owners: ['@w'], line: 7 },
    ]);
  });

  it('converts gitignore-style patterns to repository-relative globs', () => {
    const dirs = new Set(['src/app', '**/build']);
    const isDir = (p: string) => dirs.has(p);
    const cases: [string, string | undefined][] = [
      ['*', undefined],
      ['/', undefined],
      ['/**', undefined],
      ['*.js', '**/*.js'],
      ['/src/app', 'src/app/'],
      ['src/app', 'src/app/'],
      ['/src/main.ts', 'src/main.ts'],
      ['docs/', '**/docs/'],
      ['/docs/', 'docs/'],
      ['build', '**/build/'],
      ['docs/*', 'docs/*'],
      ['apps/**/test', 'apps/**/test'],
    ];
    for (const [pattern, glob] of cases) assert.equal(codeownersToGlob(pattern, isDir), glob, pattern);
  });
});
