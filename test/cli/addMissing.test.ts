// "Add Missing Piece" on real temporary repositories, one per layout: the file each gap's action
// creates or opens, its content, whether it is staged, and that the gap is gone afterwards (the
// same analysis the Features view shows). Nothing that exists is ever replaced.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { criterionMatcher, type Step } from '../../src/core/addMissing';
import { analyze } from '../../src/core/model';
import { applyStep, planGap, stageIfCodeStaged, StepError, type GapRequest } from '../../src/node/addMissing';
import { Git } from '../../src/node/git';
import { loadRules } from '../../src/node/folderAnalysis';
import { cleanup, commitAll, git, initRepo, tempDir, write } from './support';

/** A seeded generator, so Changesets names are known in advance. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

interface Repo {
  dir: string;
  git: Git;
}

async function repo(files: Record<string, string>, change: Record<string, string>, opts: { stage?: boolean; branch?: string } = {}): Promise<Repo> {
  const dir = initRepo();
  write(dir, files);
  commitAll(dir);
  if (opts.branch) git(dir, ['checkout', '-q', '-b', opts.branch]);
  write(dir, change);
  if (opts.stage !== false) git(dir, ['add', '-A']);
  return { dir, git: await Git.open(dir) };
}

async function gaps(r: Repo, feature: string): Promise<string[]> {
  const { model } = await loadRules(r.git);
  const v = analyze(model, await r.git.stagedChanges());
  return v.features.find((f) => f.id === feature)?.gaps ?? [];
}

/** The feature's changed code paths, staged or not (what the verdict's `changed.code` lists). */
async function changedCode(r: Repo, feature: string): Promise<string[]> {
  const { model } = await loadRules(r.git);
  const f = model.features.find((x) => x.id === feature)!;
  const isCode = criterionMatcher(f.code, f.base);
  return (await r.git.workingChanges()).map((c) => c.path).filter(isCode);
}

async function plan(r: Repo, feature: string, criterion: string, extra: Partial<GapRequest> = {}): Promise<Step> {
  const { model } = await loadRules(r.git);
  const f = model.features.find((x) => x.id === feature);
  assert.ok(f, `feature ${feature}`);
  return planGap(r.git, { feature: f, criterion, changedCode: await changedCode(r, feature), ...extra });
}

/** Plans, carries out and stages (setting `auto`) one gap; returns the step and the file's text. */
async function add(r: Repo, feature: string, criterion: string, extra: Partial<GapRequest> = {}, stage: 'auto' | 'never' = 'auto') {
  const step = await plan(r, feature, criterion, extra);
  assert.ok(step.kind === 'create' || step.kind === 'open' || step.kind === 'insert', `a file step, got ${JSON.stringify(step)}`);
  const applied = applyStep(r.dir, step);
  const staged = await stageIfCodeStaged(r.git, applied.path, await changedCode(r, feature), stage);
  return { step, applied, staged, text: readFileSync(join(r.dir, applied.path), 'utf8') };
}

function stagedPaths(r: Repo): string[] {
  return git(r.dir, ['diff', '--cached', '--name-only']).split('\n').filter(Boolean);
}

const OWN = (features: string) => `version: 1\nfeatures:\n${features}`;

describe('Add Missing Piece: on real repositories, by layout', () => {
  after(cleanup);

  describe('tests', () => {
    it('co-located TypeScript (cart.ts → cart.test.ts), mocha: created, skeleton, staged, the gap closes', async () => {
      const r = await repo({
        'OWNERSHIP.yml': OWN('  - id: cart\n    code: [src/cart/, "!src/cart/**/*.test.ts"]\n    tests: ["src/cart/**/*.test.ts"]\n'),
        'package.json': '{"name":"shop","devDependencies":{"mocha":"^10.0.0"}}\n',
        'src/cart/price.ts': 'export const price = 1;\n',
        'src/cart/price.test.ts': "describe('price', () => { it('is 1', () => {}); });\n",
      }, { 'src/cart/cart.ts': 'export const cart = [];\n' });
      assert.deepEqual(await gaps(r, 'cart'), ['tests']);
      const { applied, staged, text } = await add(r, 'cart', 'tests');
      assert.equal(applied.path, 'src/cart/cart.test.ts');
      assert.equal(applied.created, true);
      assert.equal(text, "describe('cart', () => {\n  it('cart: ');\n});\n");
      assert.deepEqual(applied.cursor, { line: 1, character: "  it('cart: ".length });
      assert.equal(staged, true);
      assert.ok(stagedPaths(r).includes('src/cart/cart.test.ts'));
      assert.deepEqual(await gaps(r, 'cart'), []);
    });

    it('mirrored TypeScript (src/checkout/cart.ts → test/checkout/cart.test.ts), jest: it.todo', async () => {
      const r = await repo({
        'OWNERSHIP.yml': OWN('  - id: checkout\n    code: [src/checkout/]\n    tests: [test/checkout/]\n'),
        'package.json': '{"name":"shop","devDependencies":{"jest":"^29.0.0"}}\n',
        'src/checkout/price.ts': 'export const price = 1;\n',
        'test/checkout/price.test.ts': "test('price', () => {});\n",
      }, { 'src/checkout/cart.ts': 'export const cart = [];\n' });
      const { applied, text } = await add(r, 'checkout', 'tests');
      assert.equal(applied.path, 'test/checkout/cart.test.ts');
      assert.equal(text, "describe('cart', () => {\n  it.todo('cart: ');\n});\n");
      assert.deepEqual(await gaps(r, 'checkout'), []);
    });

    it('Python tests/ (shop/cart.py → tests/test_cart.py), pytest; and testing/ when that is where the tests live', async () => {
      for (const root of ['tests', 'testing']) {
        const r = await repo({
          'OWNERSHIP.yml': OWN(`  - id: shop\n    code: [shop/]\n    tests: [${root}/]\n`),
          'pyproject.toml': '[project]\nname = "shop"\n\n[tool.pytest.ini_options]\naddopts = "-q"\n',
          'shop/__init__.py': '',
          'shop/price.py': 'PRICE = 1\n',
          [`${root}/test_price.py`]: 'def test_price():\n    assert True\n',
        }, { 'shop/cart.py': 'CART = []\n' });
        const { applied, text } = await add(r, 'shop', 'tests');
        assert.equal(applied.path, `${root}/test_cart.py`);
        assert.equal(text, 'import pytest\n\n\n@pytest.mark.skip(reason="not written yet")\ndef test_cart():\n    ...\n');
        assert.deepEqual(await gaps(r, 'shop'), []);
      }
    });

    it('Go (cart/cart.go → cart/cart_test.go) in the package of the code', async () => {
      const r = await repo({
        'OWNERSHIP.yml': OWN('  - id: cart\n    code: ["cart/*.go", "!cart/*_test.go"]\n    tests: ["cart/*_test.go"]\n'),
        'go.mod': 'module example.invalid/shop\n\ngo 1.22\n',
        'cart/price.go': 'package cart\n\nconst Price = 1\n',
      }, { 'cart/cart.go': 'package cart\n\nvar Items []string\n' });
      const { applied, text } = await add(r, 'cart', 'tests');
      assert.equal(applied.path, 'cart/cart_test.go');
      assert.equal(text, 'package cart\n\nimport "testing"\n\nfunc TestCart(t *testing.T) {\n\tt.Skip("not written yet")\n}\n');
      assert.deepEqual(await gaps(r, 'cart'), []);
    });

    it('an existing test file is opened, never replaced; with several changed files it asks which', async () => {
      const r = await repo({
        'OWNERSHIP.yml': OWN('  - id: checkout\n    code: [src/checkout/]\n    tests: [test/checkout/]\n'),
        'src/checkout/cart.ts': 'export const cart = [];\n',
        'test/checkout/cart.test.ts': '// mine\n',
      }, { 'src/checkout/cart.ts': 'export const cart = [1];\n', 'src/checkout/pay.ts': 'export const pay = 1;\n' });
      const ask = await plan(r, 'checkout', 'tests');
      assert.equal(ask.kind, 'choose');
      assert.deepEqual(ask.kind === 'choose' && ask.choices.map((c) => c.value), ['src/checkout/cart.ts', 'src/checkout/pay.ts']);
      const opened = await add(r, 'checkout', 'tests', { choice: 'src/checkout/cart.ts' });
      assert.deepEqual(opened.step, { kind: 'open', path: 'test/checkout/cart.test.ts' });
      assert.equal(opened.text, '// mine\n');
      const created = await add(r, 'checkout', 'tests', { choice: 'src/checkout/pay.ts' });
      assert.equal(created.applied.path, 'test/checkout/pay.test.ts');
      // A file that appears between the plan and the write is left alone.
      const again = await plan(r, 'checkout', 'tests', { choice: 'src/checkout/pay.ts' });
      assert.equal(again.kind, 'open');
      write(r.dir, { 'test/checkout/late.test.ts': '// late\n' });
      assert.throws(() => applyStep(r.dir, { kind: 'create', path: 'test/checkout/late.test.ts', text: 'x', cursor: { line: 0, character: 0 } }), StepError);
      assert.equal(readFileSync(join(r.dir, 'test/checkout/late.test.ts'), 'utf8'), '// late\n');
    });
  });

  describe('release notes', () => {
    it('Changesets: a new three-word file naming the touched packages at patch, summary from the message; taken names get another', async () => {
      const files = {
        'OWNERSHIP.yml': OWN('  - id: web\n    code: [packages/web/src/]\n    release-notes: [".changeset/*.md"]\n'),
        'package.json': '{"name":"root","private":true,"workspaces":["packages/*"]}\n',
        'packages/web/package.json': '{"name":"@acme/web","version":"1.0.0"}\n',
        'packages/api/package.json': '{"name":"@acme/api","version":"1.0.0"}\n',
        'packages/web/src/cart.ts': 'export const cart = [];\n',
        '.changeset/config.json': '{}\n',
      };
      const r = await repo(files, { 'packages/web/src/cart.ts': 'export const cart = [1];\n' });
      const message = 'Fix the cart total\n\nLonger explanation.\n';
      const first = await plan(r, 'web', 'release-notes', { message, random: seeded(7) });
      assert.equal(first.kind, 'create');
      assert.match(first.kind === 'create' ? first.path : '', /^\.changeset\/[a-z]+-[a-z]+-[a-z]+\.md$/);
      // The same name is taken now: another one, and the existing file is untouched.
      write(r.dir, { [first.kind === 'create' ? first.path : '']: 'taken\n' });
      const { applied, text } = await add(r, 'web', 'release-notes', { message, random: seeded(7) });
      assert.notEqual(applied.path, first.kind === 'create' ? first.path : '');
      assert.match(applied.path, /^\.changeset\/[a-z]+-[a-z]+-[a-z]+\.md$/);
      assert.equal(readFileSync(join(r.dir, first.kind === 'create' ? first.path : ''), 'utf8'), 'taken\n');
      assert.equal(text, '---\n"@acme/web": patch\n---\n\nFix the cart total\n');
      assert.deepEqual(applied.cursor, { line: 4, character: 'Fix the cart total'.length });
      assert.deepEqual(await gaps(r, 'web'), []);
    });

    it('towncrier: asks for a type from the config, names the fragment after the branch issue; counters and orphans', async () => {
      const files = {
        'OWNERSHIP.yml': OWN('  - id: shop\n    code: [shop/]\n    release-notes: [changes/]\n'),
        'pyproject.toml': '[tool.towncrier]\ndirectory = "changes"\nfilename = "CHANGES.md"\n\n[[tool.towncrier.type]]\ndirectory = "bugfix"\nname = "Bug fixes"\nshowcontent = true\n\n[[tool.towncrier.type]]\ndirectory = "feature"\nname = "Features"\nshowcontent = true\n',
        'shop/cart.py': 'CART = []\n',
        'changes/.gitignore': '!.gitignore\n',
      };
      const r = await repo(files, { 'shop/cart.py': 'CART = [1]\n' }, { branch: 'fix/123-cart-total' });
      const ask = await plan(r, 'shop', 'release-notes', { message: 'Fix the cart total' });
      assert.equal(ask.kind, 'choose');
      assert.deepEqual(ask.kind === 'choose' && ask.choices.map((c) => c.value), ['bugfix', 'feature']);
      const one = await add(r, 'shop', 'release-notes', { message: 'Fix the cart total', choice: 'bugfix' });
      assert.equal(one.applied.path, 'changes/123.bugfix.md');
      assert.equal(one.text, 'Fix the cart total\n');
      assert.deepEqual(await gaps(r, 'shop'), []);
      const two = await add(r, 'shop', 'release-notes', { message: 'Also this', choice: 'bugfix' });
      assert.equal(two.applied.path, 'changes/123.bugfix.1.md');
      assert.equal(readFileSync(join(r.dir, 'changes/123.bugfix.md'), 'utf8'), 'Fix the cart total\n');
      git(r.dir, ['checkout', '-q', '-b', 'no-number-here']);
      const orphan = await plan(r, 'shop', 'release-notes', { choice: 'feature', random: seeded(3) });
      assert.match(orphan.kind === 'create' ? orphan.path : '', /^changes\/\+[0-9a-f]{8}\.feature\.md$/);
    });

    it('plain CHANGELOG: a bullet in ## [Unreleased] (created when absent) with the cursor in it; staged only with staged code', async () => {
      const files = {
        'OWNERSHIP.yml': OWN('  - id: cart\n    code: [src/]\n    release-notes: [CHANGELOG.md]\n'),
        'CHANGELOG.md': '# Changelog\n\n## [1.0.0] - 2026-01-01\n\n- First release.\n',
        'src/cart.ts': 'export const cart = [];\n',
      };
      const r = await repo(files, { 'src/cart.ts': 'export const cart = [1];\n' });
      const { step, applied, staged, text } = await add(r, 'cart', 'release-notes', { message: 'Fix the cart total' });
      assert.equal(step.kind, 'insert');
      assert.equal(text, '# Changelog\n\n## [Unreleased]\n\n- Fix the cart total\n\n## [1.0.0] - 2026-01-01\n\n- First release.\n');
      assert.deepEqual(applied.cursor, { line: 4, character: '- Fix the cart total'.length });
      assert.equal(staged, true);
      assert.deepEqual(await gaps(r, 'cart'), []);
      // Again: a second bullet on top of the section, nothing else moves.
      const second = await add(r, 'cart', 'release-notes', { message: 'Second' });
      assert.equal(second.text, '# Changelog\n\n## [Unreleased]\n\n- Second\n- Fix the cart total\n\n## [1.0.0] - 2026-01-01\n\n- First release.\n');

      // Code changed but not staged: the changelog is written, not staged.
      const unstaged = await repo(files, { 'src/cart.ts': 'export const cart = [2];\n' }, { stage: false });
      const u = await add(unstaged, 'cart', 'release-notes', { message: 'x' });
      assert.equal(u.staged, false);
      assert.deepEqual(stagedPaths(unstaged), []);
      // Setting `never`: not staged even with staged code.
      const never = await repo(files, { 'src/cart.ts': 'export const cart = [3];\n' });
      const n = await add(never, 'cart', 'release-notes', { message: 'x' }, 'never');
      assert.equal(n.staged, false);
      assert.deepEqual(stagedPaths(never), ['src/cart.ts']);
    });

    it('no changelog yet: creates CHANGELOG.md in Keep a Changelog style', async () => {
      const r = await repo({
        'OWNERSHIP.yml': OWN('  - id: cart\n    code: [src/]\n    release-notes: [CHANGELOG.md]\n'),
        'src/cart.ts': 'export const cart = [];\n',
      }, { 'src/cart.ts': 'export const cart = [1];\n' });
      const { applied, text } = await add(r, 'cart', 'release-notes', { message: '# a comment\nAdd the cart' });
      assert.equal(applied.path, 'CHANGELOG.md');
      assert.match(text, /^# Changelog\n\n[^]*\n## \[Unreleased\]\n\n- Add the cart\n$/);
      assert.equal(text.split('\n')[applied.cursor!.line], '- Add the cart');
      assert.deepEqual(await gaps(r, 'cart'), []);
    });
  });

  it('never writes through a symbolic link that leads outside the repository', async () => {
    const outside = tempDir('own-outside-');
    const r = await repo({
      'OWNERSHIP.yml': OWN('  - id: cart\n    code: [src/]\n    docs: [docs/cart.md]\n    release-notes: [CHANGELOG.md]\n'),
      'src/cart.ts': 'a\n',
    }, { 'src/cart.ts': 'b\n' });
    mkdirSync(join(outside, 'docs'));
    symlinkSync(join(outside, 'docs'), join(r.dir, 'docs'));
    write(outside, { 'CHANGELOG.md': '# Changelog\n' });
    symlinkSync(join(outside, 'CHANGELOG.md'), join(r.dir, 'CHANGELOG.md'));
    git(r.dir, ['add', '-A']);
    for (const criterion of ['docs', 'release-notes']) {
      const step = await plan(r, 'cart', criterion, { message: 'x' });
      assert.ok(step.kind === 'create' || step.kind === 'insert', `${criterion}: ${JSON.stringify(step)}`);
      assert.throws(() => applyStep(r.dir, step), /symbolic link/, criterion);
    }
    assert.ok(!existsSync(join(outside, 'docs', 'cart.md')));
    assert.equal(readFileSync(join(outside, 'CHANGELOG.md'), 'utf8'), '# Changelog\n');
  });

  describe('docs and custom criteria', () => {
    it('docs: opens the doc file that best relates to the change; creates the single file the criterion names', async () => {
      const r = await repo({
        'OWNERSHIP.yml': OWN('  - id: shop\n    code: [src/]\n    docs: [docs/]\n  - id: pay\n    name: Payments\n    code: [pay/]\n    docs: [docs/payments/overview.md]\n'),
        'docs/cart.md': '# Cart\n', 'docs/index.md': '# Shop\n', 'docs/shipping.md': '# Shipping\n',
        'src/cart/total.ts': 'export const t = 1;\n', 'pay/card.ts': 'export const c = 1;\n',
      }, { 'src/cart/total.ts': 'export const t = 2;\n', 'pay/card.ts': 'export const c = 2;\n' });
      const open = await add(r, 'shop', 'docs');
      assert.deepEqual(open.step, { kind: 'open', path: 'docs/cart.md' });
      assert.equal(open.text, '# Cart\n');
      const created = await add(r, 'pay', 'docs');
      assert.equal(created.applied.path, 'docs/payments/overview.md');
      assert.equal(created.text, '# Payments\n\n');
      assert.deepEqual(await gaps(r, 'pay'), []);
    });

    it('custom: the first literal path is opened or created; a folder or a glob reveals the criterion in OWNERSHIP.yml', async () => {
      const r = await repo({
        'OWNERSHIP.yml': OWN('  - id: api\n    code: [src/]\n    criteria:\n      spec: ["api/*.yaml", api/openapi.yaml]\n      migrations: [db/migrations/]\n      snapshots: ["**/*.snap"]\n'),
        'src/a.ts': 'export const a = 1;\n',
      }, { 'src/a.ts': 'export const a = 2;\n' });
      const spec = await add(r, 'api', 'spec');
      assert.equal(spec.applied.path, 'api/openapi.yaml');
      assert.equal(spec.applied.created, true);
      assert.equal(spec.text, '');
      for (const c of ['migrations', 'snapshots']) {
        const step = await plan(r, 'api', c);
        assert.equal(step.kind, 'reveal', c);
        assert.equal(step.kind === 'reveal' && step.file, 'OWNERSHIP.yml');
        assert.ok(step.kind === 'reveal' && step.range.line >= 5, JSON.stringify(step));
      }
      assert.ok(!existsSync(join(r.dir, 'db')));
    });
  });
});
