// The glob index must answer exactly what trying every compiled glob on every path answers:
// fast-check generates globs (with `!`, `*`, `**`, classes, braces, trailing `/`, dotfiles and
// nested base folders) and paths, and compares the two.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { globError } from '../../src/core/glob';
import { GlobIndex } from '../../src/core/globIndex';
import { bruteForce, indexOf, viaIndex } from './globOracle';

const SEGMENTS = ['a', 'b', 'ab', '.c', 'd e', 'x.md', 'ü', '*', '**', '?', '[ab]', '{a,b}', '*.md', 'a*', '.*', '(x)'];
const PATH_SEGMENTS = ['a', 'b', 'ab', '.c', 'd e', 'x.md', 'ü', 'a.md', '(x)', 'ba'];
const BASES = ['', 'a', 'a/b', 'd e', '(x)'];

const pattern = fc
  .tuple(fc.boolean(), fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 4 }), fc.boolean(), fc.boolean())
  .map(([neg, segs, slash, dot]) => `${neg ? '!' : ''}${dot ? './' : ''}${segs.join('/')}${slash ? '/' : ''}`)
  .filter((p) => globError(p) === undefined);
const list = fc.record({ base: fc.constantFrom(...BASES), patterns: fc.array(pattern, { minLength: 1, maxLength: 4 }) });
const path = fc.array(fc.constantFrom(...PATH_SEGMENTS), { minLength: 1, maxLength: 5 }).map((s) => s.join('/'));

describe('GlobIndex', () => {
  it('agrees with compiling every glob, on random globs and paths', () => {
    fc.assert(
      fc.property(fc.array(list, { minLength: 1, maxLength: 6 }), fc.array(path, { minLength: 1, maxLength: 20 }), (lists, paths) => {
        const index = indexOf(lists);
        for (const p of paths) assert.deepEqual(viaIndex(index, p), bruteForce(lists, p), `path ${JSON.stringify(p)}`);
      }),
      { numRuns: 400, seed: 20240101 },
    );
  });

  it('agrees on the edge cases the generator might miss', () => {
    const cases: [string, string, string][] = [
      ['a/', '', 'a'], // a file named like the folder is not below it
      ['a/**', '', 'a/b'],
      ['**', 'a', 'a'],
      ['**/x.md', '', 'x.md'],
      ['a/**/b', '', 'a/b'],
      ['*', 'd e', 'd e/.c'],
      ['x.md', '(x)', '(x)/x.md'],
    ];
    for (const [pat, base, p] of cases) {
      const lists = [{ base, patterns: [pat] }];
      assert.deepEqual(viaIndex(indexOf(lists), p), bruteForce(lists, p), `${pat} in ${base || '(root)'} on ${p}`);
    }
  });

  it('indexes literal folders so a path only tests globs rooted on its walk', () => {
    const index = new GlobIndex();
    index.add('src/**', 0, false);
    index.add('docs/*.md', 1, false);
    index.add('CHANGELOG.md', 2, false);
    assert.equal(index.globCount, 3);
    assert.deepEqual(viaIndex(index, 'src/a/b.ts'), [0]);
    assert.deepEqual(viaIndex(index, 'docs/x.md'), [1]);
    assert.deepEqual(viaIndex(index, 'docs/x/y.md'), []);
    assert.deepEqual(viaIndex(index, 'CHANGELOG.md'), [2]);
    assert.deepEqual(viaIndex(index, 'sub/CHANGELOG.md'), []);
  });

  it('places globs lazily: globs added after a lookup, and brace lists of plain file names, still match', () => {
    const index = new GlobIndex();
    index.add('pkg/{a,b}/README.md', 0, false);
    index.add('pkg/a/**', 1, false);
    assert.deepEqual(viaIndex(index, 'pkg/a/README.md'), [0, 1]);
    assert.deepEqual(viaIndex(index, 'pkg/c/README.md'), []);
    // Added after the first lookup settled the nodes on that walk.
    index.add('pkg/{a,c}/*.md', 2, false);
    index.add('pkg/b/**', 3, false);
    assert.deepEqual(viaIndex(index, 'pkg/a/README.md'), [0, 1, 2]);
    assert.deepEqual(viaIndex(index, 'pkg/c/README.md'), [2]);
    assert.deepEqual(viaIndex(index, 'pkg/b/README.md'), [0, 3]);
  });
});
