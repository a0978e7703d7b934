import * as assert from 'node:assert/strict';
import { compileGlob, normalizeGlob } from '../../src/core/glob';
import { matchGlobs } from '../../src/core/globMatches';
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
