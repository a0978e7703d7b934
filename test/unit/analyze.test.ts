// analyze(): touched features, gaps, waivers, unowned paths and the summary, for a list of changes.
import { strict as assert } from 'node:assert';
import { analyze, changedPaths, classify, inventory, isStrictFailure, parseWaivers } from '../../src/core/model';
import type { Change } from '../../src/core/types';
import { modelOf, modified } from './modelOf';

const YML = `version: 1
defaults:
  release-notes: [CHANGELOG.md]
ignore: [package-lock.json]
features:
  - id: checkout
    name: Checkout flow
    owners: ["@payments"]
    code: [src/checkout/, "!src/checkout/generated/"]
    tests: [test/checkout/]
    docs: {paths: [docs/checkout.md], required: true}
    criteria:
      migrations: {paths: [db/], required: false}
  - id: search
    code: [src/search/]
    tests: [test/search/]
`;
const model = () => modelOf({ 'OWNERSHIP.yml': YML });

describe('analyze', () => {
  it('a change touches a feature when a changed path matches its code', () => {
    const v = analyze(model(), modified('src/checkout/cart.ts'));
    assert.deepEqual(v.features.map((f) => [f.id, f.touched]), [['checkout', true], ['search', false]]);
  });

  it('every declared feature appears, touched or not, in declaration order', () => {
    const v = analyze(model(), []);
    assert.deepEqual(v.features.map((f) => f.id), ['checkout', 'search']);
    assert.deepEqual(v.summary, { touched: 0, incomplete: 0, gaps: 0 });
    assert.deepEqual(v.unowned, []);
  });

  it('a gap is a required criterion of a touched feature none of whose paths changed', () => {
    const v = analyze(model(), modified('src/checkout/cart.ts', 'test/checkout/cart.test.ts'));
    const f = v.features[0];
    assert.ok(f);
    // migrations is not required; tests changed; docs and the inherited release notes did not.
    assert.deepEqual(f.gaps, ['docs', 'release-notes']);
    assert.deepEqual(f.changed, { code: ['src/checkout/cart.ts'], tests: ['test/checkout/cart.test.ts'] });
    assert.deepEqual(v.summary, { touched: 1, incomplete: 1, gaps: 2 });
  });

  it('criteria of an untouched feature are reported as changed but make no gap', () => {
    const v = analyze(model(), modified('test/search/x.test.ts'));
    assert.deepEqual(v.features[1], { id: 'search', name: 'search', owners: [], file: 'OWNERSHIP.yml', line: 14, mode: 'warn', touched: false, changed: { tests: ['test/search/x.test.ts'] }, gaps: [], waived: [] });
    assert.deepEqual(v.summary, { touched: 0, incomplete: 0, gaps: 0 });
  });

  it('a path excluded by `!` does not touch the feature', () => {
    const v = analyze(model(), modified('src/checkout/generated/api.ts'));
    assert.equal(v.features[0]!.touched, false);
    assert.deepEqual(v.unowned, ['src/checkout/generated/api.ts']);
  });

  it('a complete change has no gaps', () => {
    const v = analyze(model(), modified('src/checkout/a.ts', 'test/checkout/a.ts', 'docs/checkout.md', 'CHANGELOG.md'));
    assert.deepEqual(v.features[0]!.gaps, []);
    assert.deepEqual(v.summary, { touched: 1, incomplete: 0, gaps: 0 });
  });

  it('summary counts touched features, incomplete ones and gaps', () => {
    const v = analyze(model(), modified('src/checkout/a.ts', 'src/search/b.ts', 'CHANGELOG.md'));
    assert.deepEqual(v.features.map((f) => f.gaps), [['tests', 'docs'], ['tests']]);
    assert.deepEqual(v.summary, { touched: 2, incomplete: 2, gaps: 3 });
  });

  describe('unowned', () => {
    it('is a changed path matched by no glob of any feature and no ignore glob', () => {
      const v = analyze(model(), modified('README.md', 'package-lock.json', 'db/1.sql', 'docs/checkout.md', 'z/y.txt'));
      assert.deepEqual(v.unowned, ['README.md', 'z/y.txt']);
    });

    it('never includes a changed OWNERSHIP.yml, at any depth', () => {
      const v = analyze(model(), modified('OWNERSHIP.yml', 'packages/web/OWNERSHIP.yml', 'OWNERSHIP.yml.bak'));
      assert.deepEqual(v.unowned, ['OWNERSHIP.yml.bak']);
    });

    it('is sorted and unique', () => {
      const v = analyze(model(), [{ status: 'M', path: 'b' }, { status: 'A', path: 'a' }, { status: 'M', path: 'b' }]);
      assert.deepEqual(v.unowned, ['a', 'b']);
    });
  });

  describe('changed paths', () => {
    it('a rename counts both the old and the new path', () => {
      const changes: Change[] = [{ status: 'R', oldPath: 'src/checkout/a.ts', path: 'lib/a.ts' }];
      assert.deepEqual(changedPaths(changes), ['lib/a.ts', 'src/checkout/a.ts']);
      const v = analyze(model(), changes);
      assert.equal(v.features[0]!.touched, true, 'moving code out of a feature touches it');
      assert.deepEqual(v.unowned, ['lib/a.ts']);
    });

    it('a copy counts only the new path', () => {
      assert.deepEqual(changedPaths([{ status: 'C', oldPath: 'src/checkout/a.ts', path: 'lib/a.ts' }]), ['lib/a.ts']);
    });

    it('deletions, type changes and additions all count', () => {
      const v = analyze(model(), [{ status: 'D', path: 'src/checkout/a.ts' }, { status: 'T', path: 'test/checkout/l' }, { status: 'A', path: 'docs/checkout.md' }]);
      assert.deepEqual(v.features[0]!.changed, { code: ['src/checkout/a.ts'], tests: ['test/checkout/l'], docs: ['docs/checkout.md'] });
    });
  });

  describe('waivers', () => {
    it('parseWaivers reads `<feature>/<criterion> [reason]` and skips what is not one', () => {
      assert.deepEqual(parseWaivers(['checkout/docs  docs follow in #12 ', 'search/tests', 'bogus', 'Checkout/docs', '/docs', 'a/b/c']), [
        { feature: 'checkout', criterion: 'docs', reason: 'docs follow in #12' },
        { feature: 'search', criterion: 'tests', reason: '' },
      ]);
    });

    it('turns a gap into a waiver: reported, not counted', () => {
      const v = analyze(model(), modified('src/checkout/a.ts', 'test/checkout/a.ts'), parseWaivers(['checkout/docs internal change']));
      assert.deepEqual(v.features[0]!.gaps, ['release-notes']);
      assert.deepEqual(v.features[0]!.waived, [{ criterion: 'docs', reason: 'internal change' }]);
      assert.deepEqual(v.summary, { touched: 1, incomplete: 1, gaps: 1 });
    });

    it('waiving every gap leaves the feature complete', () => {
      const v = analyze(model(), modified('src/search/a.ts', 'CHANGELOG.md'), parseWaivers(['search/tests']));
      assert.deepEqual(v.features[1]!.gaps, []);
      assert.deepEqual(v.features[1]!.waived, [{ criterion: 'tests', reason: '' }]);
      assert.deepEqual(v.summary, { touched: 1, incomplete: 0, gaps: 0 });
    });

    it('a waiver for a criterion that changed, an untouched feature or an unknown one does nothing', () => {
      const v = analyze(model(), modified('src/search/a.ts', 'test/search/a.ts', 'CHANGELOG.md'), parseWaivers(['search/tests', 'checkout/docs', 'nope/tests', 'search/docs']));
      assert.deepEqual(v.features.map((f) => [f.gaps, f.waived]), [[[], []], [[], []]]);
    });

    it('the same waiver twice is listed once, keeping a reason', () => {
      const v = analyze(model(), modified('src/search/a.ts'), parseWaivers(['search/tests', 'search/tests flaky infra', 'search/tests']));
      assert.deepEqual(v.features[1]!.waived, [{ criterion: 'tests', reason: 'flaky infra' }]);
    });
  });

  describe('strictness', () => {
    it('fails only for gaps of a strict file, or when forced', () => {
      const warn = analyze(model(), modified('src/search/a.ts'));
      assert.equal(isStrictFailure(warn), false);
      assert.equal(isStrictFailure(warn, true), true);
      const strict = modelOf({ 'OWNERSHIP.yml': YML.replace('version: 1\n', 'version: 1\nmode: strict\n') });
      assert.equal(isStrictFailure(analyze(strict, modified('src/search/a.ts'))), true);
      assert.equal(isStrictFailure(analyze(strict, modified('src/search/a.ts', 'test/search/a.ts', 'CHANGELOG.md'))), false);
    });

    it('mode is per file: a gap is strict when the file declaring its feature is', () => {
      const m = modelOf({
        'OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: root\n    code: [lib/]\n    tests: [t/]\n',
        'packages/web/OWNERSHIP.yml': 'version: 1\nmode: strict\nfeatures:\n  - id: web\n    code: [src/]\n    tests: [test/]\n',
      });
      assert.equal(isStrictFailure(analyze(m, modified('lib/a.ts'))), false);
      assert.equal(isStrictFailure(analyze(m, modified('packages/web/src/a.ts'))), true);
      assert.deepEqual(analyze(m, modified('packages/web/src/a.ts')).features.map((f) => [f.id, f.mode, f.file]), [
        ['root', 'warn', 'OWNERSHIP.yml'],
        ['web', 'strict', 'packages/web/OWNERSHIP.yml'],
      ]);
    });
  });
});

describe('criteria carve out of code', () => {
  const CARVE = `version: 1
defaults:
  release-notes: {paths: [".changeset/*.md"], required: true}
features:
  - id: cli
    code: [packages/cli/]
    tests: ["packages/cli/**/*.test.*", "packages/cli/**/__tests__/"]
    docs: {paths: [packages/cli/README.md, docs/], required: false}
    release-notes: {paths: [".changeset/*.md", packages/cli/CHANGELOG.md], required: false}
    criteria:
      fixtures: {paths: [packages/cli/fixtures/], required: false}
  - id: core
    code: [packages/core/]
    tests: ["packages/cli/src/core-compat.ts"]
`;
  const m = () => modelOf({ 'OWNERSHIP.yml': CARVE });
  const cli = (v: ReturnType<typeof analyze>) => v.features.find((f) => f.id === 'cli')!;

  it('a co-located test under a code glob is a test only: changing it alone touches nothing', () => {
    const v = analyze(m(), modified('packages/cli/src/run.test.ts', 'packages/cli/src/__tests__/x.ts'));
    assert.equal(cli(v).touched, false);
    assert.deepEqual(cli(v).changed, { tests: ['packages/cli/src/__tests__/x.ts', 'packages/cli/src/run.test.ts'] });
    assert.deepEqual(v.summary, { touched: 0, incomplete: 0, gaps: 0 });
    assert.deepEqual(v.unowned, []);
  });

  it('optional criteria carve too: README-only, CHANGELOG-only and custom-criterion-only changes touch nothing', () => {
    for (const p of ['packages/cli/README.md', 'packages/cli/CHANGELOG.md', 'packages/cli/fixtures/a/x.ts']) {
      const v = analyze(m(), modified(p));
      assert.equal(cli(v).touched, false, p);
      assert.equal(cli(v).changed.code, undefined, p);
    }
  });

  it('carved-out paths still satisfy their criterion when code changes', () => {
    const v = analyze(m(), modified('packages/cli/src/run.ts', 'packages/cli/src/run.test.ts', '.changeset/brave-owls.md'));
    assert.deepEqual(cli(v).changed, { code: ['packages/cli/src/run.ts'], tests: ['packages/cli/src/run.test.ts'], 'release-notes': ['.changeset/brave-owls.md'] });
    assert.deepEqual(cli(v).gaps, []);
    const bare = analyze(m(), modified('packages/cli/src/run.ts'));
    assert.deepEqual(cli(bare).gaps, ['tests']);
  });

  it("another feature's criterion does not carve this feature's code", () => {
    const v = analyze(m(), modified('packages/cli/src/core-compat.ts'));
    assert.equal(cli(v).touched, true);
    assert.deepEqual(cli(v).changed, { code: ['packages/cli/src/core-compat.ts'] });
    assert.deepEqual(v.features.find((f) => f.id === 'core')!.changed, { tests: ['packages/cli/src/core-compat.ts'] });
  });

  it('a `!` in the criterion gives the path back to code', () => {
    const mm = modelOf({ 'OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: a\n    code: [src/]\n    tests: ["src/**/*.test.*", "!src/helpers.test.ts"]\n' });
    assert.equal(analyze(mm, modified('src/helpers.test.ts')).features[0]!.touched, true);
    assert.equal(analyze(mm, modified('src/x.test.ts')).features[0]!.touched, false);
  });

  it('classify and inventory agree with analyze', () => {
    assert.deepEqual(classify(m(), 'packages/cli/src/run.test.ts').memberships, [{ feature: 'cli', criterion: 'tests' }]);
    assert.deepEqual(classify(m(), 'packages/cli/README.md').memberships, [{ feature: 'cli', criterion: 'docs' }]);
    assert.deepEqual(classify(m(), 'packages/cli/src/run.ts').memberships, [{ feature: 'cli', criterion: 'code' }]);
    const inv = inventory(m(), ['packages/cli/src/run.ts', 'packages/cli/src/run.test.ts', 'packages/cli/README.md', 'packages/cli/CHANGELOG.md']).get('cli')!;
    assert.deepEqual(inv.get('code'), ['packages/cli/src/run.ts']);
    assert.deepEqual(inv.get('tests'), ['packages/cli/src/run.test.ts']);
    assert.deepEqual(inv.get('docs'), ['packages/cli/README.md']);
    assert.deepEqual(inv.get('release-notes'), ['packages/cli/CHANGELOG.md']);
  });
});
