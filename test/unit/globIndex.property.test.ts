// The index's fast paths must give the answers of brute force: every glob compiled by picomatch
// and tried on every path. This property test aims fast-check at the shapes the fast paths take
// (brace lists of names that the index expands; a rest of `**/` and one segment with at most one
// `*` that it matches without a regular expression) and at their near misses (ranges, empty
// alternatives, two stars, `**` last), on monorepo-like paths with dotfiles and look-alike names.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { compileGlob, globError, normalizeGlob } from '../../src/core/glob';
import { expandBraces, GlobIndex } from '../../src/core/globIndex';

const NAMES = ['pkg', 'src', 'test', 'a', 'ab', '.hidden', 'x.md', 'a.test.ts', '.test.ts', 'test.ts', 'md', 'mod-1', 'mod-10', 'b c'];
const STAR_SEGMENTS = ['*', '*.md', '*.test.ts', 'a*', '*b', 'mod-*', '.*', '*.*', 'a*b', '*a*', '**', '?', '[ab]'];
const BRACES = ['{a,ab}', '{mod-1,mod-10}', 'mod-{1,10}', '{a,.hidden}', '{x.md,md}', '{a}', '{,a}', '{1..3}', '{a,1..3}', '{a,{b,c}}', '{a,*}', '{src,test}*'];

const segment = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 3, arbitrary: fc.constantFrom(...STAR_SEGMENTS) },
  { weight: 2, arbitrary: fc.constantFrom(...BRACES) },
);
const pattern = fc
  .tuple(fc.boolean(), fc.array(segment, { minLength: 1, maxLength: 5 }), fc.boolean())
  .map(([neg, segs, slash]) => `${neg ? '!' : ''}${segs.join('/')}${slash ? '/' : ''}`)
  .filter((p) => globError(p) === undefined);
const lists = fc.array(fc.record({ base: fc.constantFrom('', 'pkg', 'pkg/src', '.hidden'), patterns: fc.array(pattern, { minLength: 1, maxLength: 4 }) }), { minLength: 1, maxLength: 8 });
const path = fc.array(fc.constantFrom(...NAMES, '1', '10', 'b', '{a,ab}'), { minLength: 1, maxLength: 6 }).map((s) => s.join('/'));

/**
 * A path made to nearly match a glob: each `**` becomes zero to two folders, each `*` nothing or
 * a few characters (possibly a leading dot), each brace list one of its names; sometimes a segment
 * is dropped or added. Random paths alone rarely hit the edges (a `*` matching nothing).
 */
function instantiate(glob: string, choices: number[]): string {
  let k = 0;
  const pick = <T>(xs: T[]): T => xs[choices[k++ % choices.length]! % xs.length]!;
  const segs: string[] = [];
  for (const s of glob.split('/')) {
    if (s === '**') segs.push(...pick([[], ['q'], ['q', '.r']]));
    else segs.push(s.replace(/\{([^{}]*)\}/g, (_m, body: string) => pick(body.split(','))).replace(/\*/g, () => pick(['', 'z', '.z', 'a'])).replace(/\?/g, 'y').replace(/\[ab\]/g, () => pick(['a', 'c'])));
  }
  const edit = pick([0, 0, 0, 1, 2]);
  if (edit === 1 && segs.length > 1) segs.pop();
  if (edit === 2) segs.push(pick(['x.md', 'a', '.test.ts']));
  // git never lists empty, `.` or `..` segments.
  return segs.filter((x) => x !== '').map((x) => (x === '.' || x === '..' ? '.x' : x)).join('/') || 'a';
}

function bruteForce(ls: { base: string; patterns: string[] }[], p: string): number[] {
  const out: number[] = [];
  ls.forEach((l, id) => {
    const globs = l.patterns.map((x) => normalizeGlob(x, l.base));
    if (globs.some((g) => !g.negated && compileGlob(g.glob)(p)) && !globs.some((g) => g.negated && compileGlob(g.glob)(p))) out.push(id);
  });
  return out;
}

function viaIndex(index: GlobIndex, p: string): number[] {
  const pos = new Set<number>();
  const neg = new Set<number>();
  index.query(p, (e) => (e.negated ? neg : pos).add(e.list));
  return [...pos].filter((l) => !neg.has(l)).sort((a, b) => a - b);
}

function indexOf(ls: { base: string; patterns: string[] }[]): GlobIndex {
  const index = new GlobIndex();
  ls.forEach((l, id) => {
    for (const x of l.patterns) {
      const { glob, negated } = normalizeGlob(x, l.base);
      index.add(glob, id, negated);
    }
  });
  return index;
}

describe('GlobIndex fast paths (property)', () => {
  it('answer as brute-force picomatch does, on random brace, star and globstar globs', () => {
    fc.assert(
      fc.property(lists, fc.array(path, { minLength: 1, maxLength: 30 }), fc.nat(8), (ls, paths, ahead) => {
        const index = indexOf(ls);
        // Some globs placed ahead of the lookups (as the CLI does while git works), the rest by them.
        index.settleSome(ahead);
        for (const p of paths) assert.deepEqual(viaIndex(index, p), bruteForce(ls, p), `path ${JSON.stringify(p)} with ${JSON.stringify(ls)}`);
      }),
      { numRuns: 600, seed: 5 },
    );
  });

  it('answer as brute force on paths made to nearly match the globs', () => {
    fc.assert(
      fc.property(lists, fc.array(fc.nat(), { minLength: 16, maxLength: 16 }), (ls, choices) => {
        const index = indexOf(ls);
        for (const l of ls) {
          for (const x of l.patterns) {
            const p = instantiate(normalizeGlob(x, l.base).glob, choices);
            assert.deepEqual(viaIndex(index, p), bruteForce(ls, p), `path ${JSON.stringify(p)} with ${JSON.stringify(ls)}`);
          }
        }
      }),
      { numRuns: 600, seed: 7 },
    );
  });

  it('answer the same when a path is asked again (matchers compiled lazily, then reused)', () => {
    fc.assert(
      fc.property(lists, path, (ls, p) => {
        const index = indexOf(ls);
        const first = viaIndex(index, p);
        assert.deepEqual(viaIndex(index, p), first);
        assert.deepEqual(first, bruteForce(ls, p));
      }),
      { numRuns: 200, seed: 6 },
    );
  });

  it('expand only brace lists of two or more plain, non-empty names', () => {
    assert.deepEqual(expandBraces('p/test/{a,ab}/**/*.ts'), ['p/test/a/**/*.ts', 'p/test/ab/**/*.ts']);
    assert.deepEqual(expandBraces('p/mod-{1,10}.md'), ['p/mod-1.md', 'p/mod-10.md']);
    for (const g of ['p/{a}/x', 'p/{,a}/x', 'p/{1..3}/x', 'p/{a,{b,c}}/x', 'p/{a,*}/x', 'p/*/{a,b}', 'p/x']) assert.equal(expandBraces(g), undefined, g);
  });

  it('count the globs added, not their expansions', () => {
    const index = new GlobIndex();
    index.add('p/{a,b,c}/**', 0, false);
    assert.equal(index.globCount, 1);
    assert.deepEqual(viaIndex(index, 'p/b/x.ts'), [0]);
    assert.deepEqual(viaIndex(index, 'p/d/x.ts'), []);
  });
});
