// The report's core: judging a change over a model of just the features it reaches gives exactly
// analyze()'s verdicts over the whole model; merges' waivers go to the merge that brings their
// commit in; Markdown escaping leaves no markup.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { mdCode, mdText } from '../../src/core/markdown';
import { analyze, parseWaivers } from '../../src/core/model';
import { broughtWaivers, Judge, type HistoryCommit } from '../../src/core/report';
import type { Change } from '../../src/core/types';
import { modelOf } from './modelOf';

// Overlapping features, negations, criteria inside code, a nested file and an ignore list.
const ROOT = `version: 1
ignore: ["**/*.lock"]
features:
  - id: app
    code: [src/, "!src/vendor/"]
    tests: ["src/**/*.test.ts", test/]
    docs: {paths: [docs/], required: false}
  - id: api
    code: [src/api/, shared/]
    tests: [test/api/]
    release-notes: [CHANGELOG.md]
  - id: vendor
    code: [src/vendor/]
    tests: [src/vendor/**/*.spec.ts]
`;
const NESTED = `version: 1
features:
  - id: web
    code: [./, "!README.md"]
    tests: [e2e/]
    docs: [README.md]
`;
const model = modelOf({ 'OWNERSHIP.yml': ROOT, 'packages/web/OWNERSHIP.yml': NESTED });
const PATHS = [
  'src/a.ts', 'src/a.test.ts', 'src/api/x.ts', 'src/api/x.test.ts', 'src/vendor/v.ts', 'src/vendor/v/k.spec.ts', 'shared/s.ts',
  'test/t.ts', 'test/api/t.ts', 'docs/d.md', 'CHANGELOG.md', 'yarn.lock', 'README.md',
  'packages/web/index.ts', 'packages/web/README.md', 'packages/web/e2e/a.ts', 'packages/web/x.lock', 'other/z.ts',
];

describe('report core', () => {
  it('judges a change over the features it reaches exactly as analyze judges it over all of them', () => {
    const judge = new Judge(model);
    const change = fc.record({
      paths: fc.uniqueArray(fc.constantFrom(...PATHS), { maxLength: 8 }),
      renamed: fc.option(fc.tuple(fc.constantFrom(...PATHS), fc.constantFrom(...PATHS))),
      waivers: fc.subarray(['app/tests', 'api/tests later', 'api/release-notes', 'web/docs no', 'vendor/tests']),
    });
    fc.assert(fc.property(change, ({ paths, renamed, waivers }) => {
      const changes: Change[] = paths.map((path) => ({ status: 'M', path }));
      if (renamed) changes.push({ status: 'R', oldPath: renamed[0], path: renamed[1] });
      const w = parseWaivers(waivers);
      const full = analyze(model, changes, w).features
        .map((f, n) => ({ n, id: f.id, touched: f.touched, changed: Object.keys(f.changed), gaps: f.gaps, waived: f.waived }))
        .filter((f) => f.changed.length > 0);
      // Prepared ahead (as the report does while git writes) or not, the verdicts are the same.
      if (paths.length % 2) judge.prepare(changes);
      assert.deepEqual(judge.verdicts(changes, w), full);
    }), { numRuns: 1000 });
  });

  it('gives each merge the waivers of the commits it brings in, and no commit twice', () => {
    const c = (sha: string, parents: string[]): HistoryCommit => ({ sha, parents, author: '', date: '', subject: '', body: '', waivers: [], changes: [] });
    // m1 brings in a1 (on top of o, below the chain's range); m2 brings in b2 -> b1 -> a1 (already m1's).
    const chain = [c('m2', ['x', 'b2']), c('x', ['m1']), c('m1', ['o', 'a1'])];
    const brought = [
      { sha: 'a1', parents: ['o'], waivers: ['app/tests a'] },
      { sha: 'b1', parents: ['a1'], waivers: ['api/tests b1'] },
      { sha: 'b2', parents: ['b1', 'm1'], waivers: ['api/docs b2'] },
    ];
    assert.deepEqual(Object.fromEntries(broughtWaivers(chain, brought)), { m1: ['app/tests a'], m2: ['api/docs b2', 'api/tests b1'] });
  });

  it('Markdown text and code spans carry no markup, whatever the input', () => {
    assert.equal(mdText('<b>*x*</b> | [a](b) @team `c` _u_ # h\n- l'), '&#60;b&#62;&#42;x&#42;&#60;&#47;b&#62; &#124; &#91;a&#93;&#40;b&#41; &#64;team &#96;c&#96; &#95;u&#95; &#35; h&#92;n&#45; l');
    assert.equal(mdCode('src/a|b.ts'), '`src/a\\|b.ts`');
    assert.equal(mdCode('a`b``c'), '```a`b``c```');
    assert.equal(mdCode('`x'), '`` `x ``');
    assert.equal(mdCode('x\ny', false), '`x\\ny`');
    fc.assert(fc.property(fc.string({ unit: 'grapheme-ascii' }), (s) => {
      assert.doesNotMatch(mdText(s), /[<>[\]()*_`|!@\\\n\r~]/);
    }));
  });
});
