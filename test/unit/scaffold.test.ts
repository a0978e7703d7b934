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
  'release-notes'?: string[];
}

/** Scaffolds, checks the result is a valid OWNERSHIP.yml, and returns its data. */
function scaffold(input: ScaffoldInput): { data: { defaults?: { 'release-notes': string[] }; features: Feature[] }; source: string; text: string } {
  const s = scaffoldOwnership(input);
  const parsed = parseOwnership(s.text, 'OWNERSHIP.yml');
  assert.deepEqual(parsed.problems, [], s.text);
  assert.equal(parsed.file?.features.length, s.features);
  return { data: parse(s.text), source: s.source, text: s.text };
}

function globsOf(f: Feature): string[] {
  const docs = f.docs === undefined ? [] : Array.isArray(f.docs) ? f.docs : f.docs.paths;
  return [...f.code, ...(f.tests ?? []), ...docs, ...(f['release-notes'] ?? [])];
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
    assert.deepEqual(data.defaults, { 'release-notes': ['CHANGELOG.md'] });
    const byId = new Map(data.features.map((f) => [f.id, f]));
    assert.deepEqual([...byId.keys()], ['scripts', 'accounts', 'checkout', 'search']);
    assert.deepEqual(byId.get('checkout'), { id: 'checkout', name: 'Checkout', code: ['src/checkout/'], tests: ['test/checkout/'], docs: ['docs/checkout.md'] });
    // Tests next to the code: the file-name convention in use, not the test folder.
    assert.deepEqual(byId.get('accounts')!.tests, ['src/accounts/**/*.test.*']);
    // Nothing of its own: the test folder as a whole, and docs only as an optional hint.
    assert.deepEqual(byId.get('scripts')!.tests, ['test/']);
    assert.deepEqual(byId.get('scripts')!.docs, { paths: ['docs/'], required: false });
  });

  it('writes only globs that match a tracked file, so a new file starts without warnings', () => {
    const { data } = scaffold({ files: SHOP });
    for (const f of data.features) for (const g of globsOf(f)) assert.ok(matches(g, SHOP).length > 0, `${f.id}: ${g} matches nothing`);
  });

  it('keeps a lone folder under src/ as one feature, and never makes features of tests, docs, build output or dot-folders', () => {
    const files = ['src/app/main.ts', 'tests/test_main.py', 'doc/guide.md', 'dist/main.js', 'node_modules/x/index.js', '.vscode/settings.json', 'web/index.html'];
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

  it('uses a package\'s own changelog for its feature', () => {
    const files = ['packages/a/index.ts', 'packages/a/CHANGELOG.md', 'packages/b/index.ts'];
    const { data } = scaffold({ files });
    assert.equal(data.defaults, undefined);
    assert.deepEqual(data.features.map((f) => f['release-notes']), [['packages/a/CHANGELOG.md'], undefined]);
  });

  it('groups CODEOWNERS rules by owners, skipping the catch-all', () => {
    const codeowners = [
      '# Owners',
      '*                @org/core',
      '/src/checkout/   @org/payments',
      '/src/search      @org/discovery   # a folder, written without the slash',
      '*.md             @org/docs',
      'src/accounts/    @org/payments',
      '[Optional section] @org/core',
      '/scripts/',
      '',
    ].join('\n');
    const { data, source, text } = scaffold({ files: SHOP, codeowners: { path: '.github/CODEOWNERS', text: codeowners } });
    assert.equal(source, 'codeowners');
    assert.match(text, /Scaffolded from the owners in \.github\/CODEOWNERS/);
    assert.deepEqual(data.features.map((f) => [f.id, f.owners, f.code]), [
      ['payments', ['@org/payments'], ['src/checkout/', 'src/accounts/']],
      ['discovery', ['@org/discovery'], ['src/search/']],
      ['docs', ['@org/docs'], ['**/*.md']],
    ]);
    assert.deepEqual(data.features[0]!.tests, ['test/checkout/', 'src/accounts/**/*.test.*']);
  });

  it('falls back to folders, owned by the catch-all owner, when CODEOWNERS names only `*`', () => {
    const { data, source } = scaffold({ files: SHOP, codeowners: { path: 'CODEOWNERS', text: '* @alice bob@example.com\n' } });
    assert.equal(source, 'folders');
    assert.ok(data.features.length > 0);
    for (const f of data.features) assert.deepEqual(f.owners, ['@alice', 'bob@example.com']);
  });

  it('writes a valid example for an empty repository', () => {
    const { data, source } = scaffold({ files: [] });
    assert.equal(source, 'example');
    assert.deepEqual(data.features.map((f) => f.code), [['src/']]);
  });

  it('is valid and matches what it declares for any file list', () => {
    const segment = fc.stringMatching(/^[a-zA-Z0-9_. \-[\]{}()!+@]{1,8}$/).filter((s) => s !== '.' && s !== '..');
    const path = fc.array(fc.oneof(segment, fc.constantFrom('src', 'test', 'tests', 'docs', '__tests__', 'packages', 'CHANGELOG.md', 'x.test.ts')), { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
    fc.assert(
      fc.property(fc.uniqueArray(path, { maxLength: 30 }), (raw) => {
        // A path cannot be both a file and a folder.
        const files = raw.filter((f) => !raw.some((g) => g.startsWith(`${f}/`)));
        const s = scaffoldOwnership({ files });
        const parsed = parseOwnership(s.text, 'OWNERSHIP.yml');
        assert.deepEqual(parsed.problems, [], s.text);
        if (s.source === 'example') return;
        const data = parse(s.text) as { defaults?: { 'release-notes': string[] }; features: Feature[] };
        for (const g of data.defaults?.['release-notes'] ?? []) assert.ok(matches(g, files).length > 0, `${g}\n${s.text}`);
        for (const f of data.features) for (const g of globsOf(f)) assert.ok(matches(g, files).length > 0, `${f.id}: ${g} matches nothing\n${files.join('\n')}`);
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
