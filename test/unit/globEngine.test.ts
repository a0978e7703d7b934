// The glob matcher (src/core/globEngine.ts): the same answers as picomatch, the matcher it replaced,
// on every glob shape users write; different, on purpose and documented, where picomatch was
// surprising; and never slow, whatever the glob and the path (issue 12: a glob built to backtrack
// hung `ownership check` for over a minute).
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import picomatch from 'picomatch';
import { compileGlob, globError } from '../../src/core/glob';
import { compile, expandedLength, type Meter } from '../../src/core/globEngine';
import { LIMITS } from '../../src/core/limits';

const PICOMATCH = { dot: true, strictSlashes: true };

const NAMES = ['pkg', 'src', 'a', 'ab', 'b', '.hidden', 'x.md', 'a.test.ts', '.test.ts', 'md', 'mod-1', 'mod-10', 'b c', 'id', '[id]', 'A1', '-', 'ü'];
const SEGMENTS = ['*', '*.md', '*.test.ts', 'a*', '*b', 'mod-*', '.*', '*.*', 'a*b', '*a*', '**', '?', '??', 'a?', '[ab]', '[a-c]*', '[^a]*', '[[:digit:]]', '[id]', 'mod-{1,10}', '{a,ab}', '{a,b}*', '{a,{b,c}}', '{x.md,md}', '{,a}', '{1..3}', '{a..c}', 'x\\*', 'b c', 'mod-1[0-9]'];

const segment = fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...NAMES) }, { weight: 3, arbitrary: fc.constantFrom(...SEGMENTS) });
const glob = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join('/'));
const path = fc.array(fc.constantFrom(...NAMES, '1', '3', 'c', 'x*', 'aab'), { minLength: 1, maxLength: 6 }).map((s) => s.join('/'));

describe('glob engine', () => {
  it('answers as picomatch did, on random globs of every supported shape and monorepo-like paths', () => {
    fc.assert(
      fc.property(glob, fc.array(path, { minLength: 1, maxLength: 20 }), (g, paths) => {
        assert.equal(globError(g), undefined, g);
        const ours = compileGlob(g);
        const theirs = picomatch(g, PICOMATCH);
        // picomatch also matches a path equal to the glob's own text (`{a,b}` matches "{a,b}");
        // git paths that spell a glob are not what this compares.
        for (const p of paths) if (p !== g) assert.equal(ours(p), theirs(p), `glob ${JSON.stringify(g)} on ${JSON.stringify(p)}`);
      }),
      { numRuns: 1500, seed: 12 },
    );
  });

  it('agrees with picomatch on the documented rules', () => {
    const cases: [string, string, boolean][] = [
      ['src/*.ts', 'src/a.ts', true], ['src/*.ts', 'src/b/a.ts', false], ['src/*', 'src/.env', true],
      ['src/**/*.ts', 'src/a.ts', true], ['src/**/*.ts', 'src/x/.y/a.ts', true], ['**/*.ts', '.github/x.ts', true],
      ['a/**', 'a', false], ['a/**', 'a/b/c', true], ['**/x', 'x', true], ['a/**/b', 'a/b', true],
      ['app/[id]/page.tsx', 'app/[id]/page.tsx', true], ['app/[id]/page.tsx', 'app/i/page.tsx', true], ['[a-c]x', 'bx', true],
      ['{a/b,c}/d', 'a/b/d', true], ['a{,/b}', 'a/b', true], ['mod-{1,10}', 'mod-10', true], ['\\*', '*', true], ['\\*', 'a', false],
    ];
    for (const [g, p, want] of cases) {
      assert.equal(compileGlob(g)(p), want, `${g} on ${p}`);
      assert.equal(picomatch(g, PICOMATCH)(p), want, `picomatch: ${g} on ${p}`);
    }
  });

  it('differs from picomatch where picomatch surprised (README "Semantics")', () => {
    // Parentheses are literal: picomatch read them as a regex group, so `app/(auth)/**` (a Next.js
    // route group) matched `app/auth/x` and not the folder named "(auth)".
    assert.equal(compileGlob('app/(auth)/**')('app/(auth)/x'), true);
    assert.equal(compileGlob('app/(auth)/**')('app/auth/x'), false);
    // `[!a]` is "not a", as in git and bash; picomatch 4 matched "a" and "!".
    assert.equal(compileGlob('[!a]')('b'), true);
    assert.equal(compileGlob('[!a]')('a'), false);
    // A numeric range is its numbers; picomatch turned `{1..10}` into the class [1-10].
    assert.equal(compileGlob('v{1..10}')('v5'), true);
    assert.equal(compileGlob('v{01..03}')('v02'), true);
    // Two stars inside a segment are one star, as in git: picomatch let `**.md` cross folders.
    assert.equal(compileGlob('**.md')('a.md'), true);
    assert.equal(compileGlob('**.md')('docs/a.md'), false);
  });

  it('refuses extglobs, unclosed classes and braces, and classes holding "/", with the reason', () => {
    assert.match(globError('src/@(a|b).ts') ?? '', /extglob "@\(\.\.\.\)" is not supported/);
    assert.match(globError('*(x)') ?? '', /extglob/);
    assert.match(globError('a/[bc') ?? '', /unclosed "\["/);
    assert.match(globError('a/{b,c') ?? '', /unclosed "\{"/);
    assert.match(globError('a[b/c]') ?? '', /cannot contain "\/"/);
    assert.match(globError('[[:letter:]]') ?? '', /unknown character class/);
    assert.equal(globError('src/\\@(a).ts'), undefined, 'an escaped extglob is literal');
    assert.equal(globError('pkg (old)/a+b!c@d.ts'), undefined, 'parentheses, +, ! and @ alone are literal');
  });

  it('limits how many alternatives braces and ranges expand to', () => {
    const n = LIMITS.globAlternatives;
    assert.equal(globError('{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}'), undefined, `256 alternatives is within ${n}`);
    assert.match(globError('{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}{q,r}') ?? '', new RegExp(`expand to more than ${n} alternatives`));
    assert.match(globError('v{1..100000}') ?? '', new RegExp(`range "\\{1\\.\\.100000\\}" has 100000 values; the limit is ${n}`));
    assert.equal(globError(`v{1..${n}}`), undefined);
    // Few alternatives, but long ones: the total is what a match costs per path character.
    const long = `{a,b}{c,d}{e,f}{g,h}{i,j}${'*a'.repeat(200)}`;
    assert.match(globError(long) ?? '', new RegExp(`its 32 alternatives add up to \\d+ characters; the limit is ${LIMITS.globExpandedLength}`));
  });

  it('limits glob length and depth', () => {
    assert.match(globError('a'.repeat(LIMITS.globLength + 1)) ?? '', new RegExp(`the limit is ${LIMITS.globLength}`));
    assert.equal(globError('a'.repeat(LIMITS.globLength)), undefined);
    assert.match(globError(Array(LIMITS.globDepth + 1).fill('a').join('/')) ?? '', new RegExp(`the limit is ${LIMITS.globDepth}`));
    assert.equal(globError(Array(LIMITS.globDepth).fill('a').join('/')), undefined);
  });
});

/**
 * Matches `glob` against `path` and returns the answer with the steps it took, and the bound the
 * engine promises: a constant times (glob length after expansion) × (path length). Counted, not
 * timed, so a busy machine cannot fail these tests and a slow matcher cannot pass them.
 */
function metered(glob: string, path: string): { matched: boolean; steps: number; bound: number } {
  const meter: Meter = { steps: 0 };
  const matched = compile(glob, meter)(path);
  return { matched, steps: meter.steps, bound: 4 * (expandedLength(glob) + 2) * (path.length + 2) };
}

describe('glob engine: no glob and no path can make matching slow', () => {
  it('matches the classic exponential pattern for backtracking matchers within the linear bound', () => {
    // A backtracking matcher tries every way to spread 60 "a"s over 11 stars: about 10^11 ways.
    const g = 'a*a*a*a*a*a*a*a*a*a*a*b';
    for (const p of ['a'.repeat(60), 'a'.repeat(4000), `src/${'a'.repeat(60)}`, `${'a/'.repeat(1000)}${'a'.repeat(60)}`]) {
      const r = metered(g, p);
      assert.equal(r.matched, false);
      assert.ok(r.steps <= r.bound, `${g} on ${p.length} characters: ${r.steps} steps, bound ${r.bound}`);
    }
    assert.equal(compileGlob(g)('aaaaaaaaaaaab'), true);
    // The same shape one level up: many `**` between folders that never complete.
    const deep = `${'**/a/'.repeat(30)}b`;
    const r = metered(deep, Array(2000).fill('a').join('/'));
    assert.equal(r.matched, false);
    assert.ok(r.steps <= r.bound, `${deep}: ${r.steps} steps, bound ${r.bound}`);
    // One wall-clock sanity check, generous: picomatch needs hours here (docs/reliability.md).
    const t = Date.now();
    compileGlob(g)('a'.repeat(60));
    assert.ok(Date.now() - t < 5000, `${Date.now() - t} ms`);
  });

  it('the worst glob within every limit, on a 4,000-character name, stays within the bound', () => {
    // 256 alternatives would exceed the expanded length; 8 alternatives of ~490 characters do not.
    const g = `{a,b}{a,b}{a,b}${'*a'.repeat(Math.floor((LIMITS.globExpandedLength / 8 - 10) / 2))}b`;
    assert.equal(globError(g), undefined, g);
    const r = metered(g, 'a'.repeat(4000));
    assert.equal(r.matched, false);
    assert.ok(r.steps <= r.bound, `${r.steps} steps, bound ${r.bound}`);
  });

  it('fuzz: adversarial globs (star and letter runs, nested braces, classes) on long paths stay within the bound', () => {
    const piece = fc.oneof(
      fc.constantFrom('*', '*', 'a', 'a', '?', '[a]', '[!b]', '[a-z]', '**/', 'a/', '{a,aa}', '{a,{a*,*a}}', '{*,a*a}', '[[:alpha:]]', '[ab]'),
      fc.integer({ min: 1, max: 30 }).map((k) => 'a*'.repeat(k)),
      fc.integer({ min: 1, max: 10 }).map((k) => '**/a*'.repeat(k)),
    );
    const adversarial = fc.array(piece, { minLength: 1, maxLength: 60 }).map((xs) => `${xs.join('')}b`).filter((g) => g.length <= LIMITS.globLength && globError(g) === undefined);
    const longPath = fc.oneof(
      fc.integer({ min: 30, max: 4000 }).map((k) => 'a'.repeat(k)),
      fc.integer({ min: 2, max: 400 }).map((k) => Array(k).fill('aaaaaaaa').join('/')),
      fc.integer({ min: 30, max: 1000 }).map((k) => `${'a/'.repeat(k)}${'a'.repeat(k)}`),
      fc.integer({ min: 30, max: 1000 }).map((k) => `${'[ab]/'.repeat(k)}${'[ab]'.repeat(k)}`),
    );
    fc.assert(
      fc.property(adversarial, longPath, (g, p) => {
        const r = metered(g, p);
        assert.ok(r.steps <= r.bound, `${g} on a ${p.length}-character path: ${r.steps} steps, bound ${r.bound}`);
      }),
      { numRuns: 300, seed: 1212 },
    );
  });
});
