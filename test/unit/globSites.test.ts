import * as assert from 'node:assert/strict';
import { compileGlob, normalizeGlob } from '../../src/core/glob';
import { matchCodeGlob, matchGlobs } from '../../src/core/globMatches';
import { inventory } from '../../src/core/model';
import { modelOf } from './modelOf';
import { findGlobSites } from '../../src/core/globSites';

const TEXT = `version: 1
ignore: [dist/]
defaults:
  release-notes: [CHANGELOG.md]
features:
  - id: checkout
    code: [src/checkout/, "!src/checkout/gen/"]
    tests:
      paths:
        - test/checkout/
      required: false
    criteria:
      migration: ['db/*.sql']
  - code: [orphan/]
`;

describe('findGlobSites', () => {
  it('finds every glob with its list, feature and exact range', () => {
    const sites = findGlobSites(TEXT);
    assert.deepEqual(
      sites.map((s) => [s.pattern, s.list, s.feature, `${s.line}:${s.col}-${s.endLine}:${s.endCol}`]),
      [
        ['dist/', 'ignore', undefined, '2:10-2:15'],
        ['CHANGELOG.md', 'release-notes', undefined, '4:19-4:31'],
        ['src/checkout/', 'code', 'checkout', '7:12-7:25'],
        // Quoted: the range covers the quotes, as the parser's own ranges do.
        ['!src/checkout/gen/', 'code', 'checkout', '7:27-7:47'],
        ['test/checkout/', 'tests', 'checkout', '10:11-10:25'],
        ['db/*.sql', 'migration', 'checkout', '13:19-13:29'],
        ['orphan/', 'code', undefined, '14:12-14:19'],
      ],
    );
    const lines = TEXT.split('\n');
    for (const s of sites.filter((x) => x.line === x.endLine)) {
      assert.match(lines[s.line - 1]!.slice(s.col - 1, s.endCol - 1), new RegExp(`^["']?${s.pattern.replace(/[.*!/]/g, '\\$&')}["']?$`));
    }
  });

  it('still finds globs in a file with errors, and nothing in one that is not a mapping', () => {
    assert.deepEqual(findGlobSites('version: 1\nfeatures:\n  - id: a\n    code: [src/]\n    bogus: [\n').map((s) => s.pattern), ['src/']);
    assert.deepEqual(findGlobSites('- a\n- b\n'), []);
    assert.deepEqual(findGlobSites(''), []);
  });
});

describe('matchGlobs', () => {
  it('counts what compileGlob matches, with the first examples', () => {
    const files = ['src/a.ts', 'src/b/c.ts', 'src/b/d.md', 'docs/x.md', '.github/ci.yml'];
    const globs = ['src/', '**/*.md', 'src/*', '.github/**', 'nothing/', 'src/b/c.ts'].map((g) => normalizeGlob(g, '').glob);
    const m = matchGlobs(globs, files, 2);
    for (const g of globs) {
      const expected = files.filter((f) => compileGlob(g)(f));
      assert.equal(m.get(g)!.count, expected.length, g);
      assert.deepEqual(m.get(g)!.examples, expected.slice(0, 2), g);
    }
    assert.equal(m.get('nothing/**')!.count, 0);
  });
});

describe('matchCodeGlob', () => {
  // Criteria carve out of code (model.ts): the hover on a code glob counts what stays code.
  const text = `version: 1
defaults:
  release-notes: [CHANGELOG.md]
features:
  - id: cart
    code: [src/cart/]
    tests: ['**/*.test.ts', '!src/cart/legacy/**']
    docs: [src/cart/README.md]
    criteria:
      schema: ['src/cart/*.sql']
`;
  const files = [
    'src/cart/a.ts',
    'src/cart/a.test.ts',
    'src/cart/legacy/old.test.ts',
    'src/cart/README.md',
    'src/cart/tables.sql',
    'src/cart/deep/b.ts',
    'src/other/c.test.ts',
    'CHANGELOG.md',
  ];

  it('counts the matches that stay code, and which criteria take the rest', () => {
    const feature = modelOf({ 'pkg/OWNERSHIP.yml': text }).features[0]!;
    const m = matchCodeGlob('pkg/src/cart/**', feature, files.map((f) => `pkg/${f}`), 10);
    assert.deepEqual(m.examples, ['pkg/src/cart/a.ts', 'pkg/src/cart/legacy/old.test.ts', 'pkg/src/cart/deep/b.ts']);
    assert.equal(m.count, 3);
    assert.equal(m.carved, 3);
    assert.deepEqual(m.carvedBy, [['tests', 1], ['docs', 1], ['schema', 1]]);
  });

  it('agrees with the model\'s inventory of code on a one-glob code list', () => {
    const model = modelOf({ 'OWNERSHIP.yml': text });
    const code = inventory(model, files).get('cart')!.get('code')!;
    const m = matchCodeGlob(normalizeGlob('src/cart/', '').glob, model.features[0]!, files, 100);
    assert.deepEqual(m.examples, code);
    assert.equal(m.count + m.carved, files.filter((f) => compileGlob('src/cart/**')(f)).length);
  });
});
