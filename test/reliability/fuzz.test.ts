// Reliability matrix, "Fuzzing": the two parsers that read input nobody vetted, OWNERSHIP.yml and
// git's `-z` output, are fed random input for a bounded budget per property (a few seconds: the
// run stops early at the time limit without failing). They must never throw, never hang (mocha's
// timeout catches that), and every problem must point inside the file it describes.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { parseNameStatusZ, parsePathsZ, parseStatusZ } from '../../src/core/gitParse';
import { formatProblem, parseOwnership } from '../../src/core/parse';
import type { Change, ParseResult } from '../../src/core/types';

/**
 * Per-property budget: the whole file stays within the node tier's few seconds per test.
 * OWNERSHIP_FUZZ_RUNS=20000 runs a deeper search locally, without the time limit.
 */
const DEEP = Number(process.env.OWNERSHIP_FUZZ_RUNS) || 0;
const BUDGET: fc.Parameters<unknown> = DEEP ? { numRuns: DEEP } : { numRuns: 400, interruptAfterTimeLimit: 3000, markInterruptAsFailure: false };

const VALID = `version: 1
mode: strict
defaults:
  tests: [test/]
  docs: {paths: [docs/], required: false}
ignore: ["**/*.snap"]
features:
  - id: checkout
    name: Checkout flow
    owners: ["@payments"]
    code: [src/checkout/, "!src/checkout/legacy/**"]
    release-notes: [CHANGELOG.md]
    criteria:
      metrics: [dashboards/checkout.json]
  - id: search
    owner: "@search"
    code: ["src/search/**/*.{ts,tsx}"]
    tests: {paths: [test/search/], required: true}
`;

/** Asserts the contract of parseOwnership for any input: no throw, and problems inside the text. */
function checkParse(text: string, path = 'pkg/OWNERSHIP.yml'): ParseResult {
  const r = parseOwnership(text, path);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split('\n');
  for (const p of r.problems) {
    const where = `${formatProblem(p)}\n--- input ---\n${JSON.stringify(text).slice(0, 2000)}`;
    assert.equal(p.file, path, where);
    assert.ok(p.message.length > 0 && p.code.length > 0, where);
    assert.ok(p.severity === 'error' || p.severity === 'warning', where);
    for (const [line, col] of [[p.line, p.col], [p.endLine, p.endCol]] as const) {
      assert.ok(Number.isInteger(line) && line >= 1 && line <= lines.length, `line ${line} of ${lines.length}: ${where}`);
      assert.ok(Number.isInteger(col) && col >= 1 && col <= lines[line - 1]!.length + 1, `col ${col} of ${lines[line - 1]!.length + 1}: ${where}`);
    }
    assert.ok(p.endLine > p.line || (p.endLine === p.line && p.endCol >= p.col), `range ends before it starts: ${where}`);
    // One problem, one line of output.
    assert.doesNotMatch(formatProblem(p), /[\n\r]/, where);
  }
  // A usable file, or at least one error saying why not.
  if (!r.file) assert.ok(r.problems.some((p) => p.severity === 'error'), `no file and no error for ${JSON.stringify(text).slice(0, 500)}`);
  return r;
}

/** Characters that matter to YAML, plus words that matter to OWNERSHIP.yml. */
const yamlish = fc.array(
  fc.oneof(
    fc.constantFrom('-', ' ', '  ', ':', ': ', '\n', '\n  ', '\n    - ', '[', ']', '{', '}', ',', '&a', '*a', '!', '!!str', '#', '"', "'", '|', '>', '\t', '\\', '%', '@', '`', '?', '---', '...', '\r\n', '\ufeff', '\0'),
    fc.constantFrom('version', 'features', 'id', 'code', 'tests', 'docs', 'release-notes', 'criteria', 'defaults', 'ignore', 'mode', 'owners', 'owner', 'name', 'paths', 'required', 'strict', 'warn', '1', '2', 'true', 'null', '~', 'src/', '../', '/abs', '**', '!x'),
    fc.string({ maxLength: 4 }),
  ),
  { maxLength: 80 },
).map((parts) => parts.join(''));

/** Random JSON-like structures, mostly shaped like OWNERSHIP.yml, written as YAML. */
const glob = fc.oneof(fc.constantFrom('src/', '**/*.ts', '../x', '/abs', '!neg', 'a/[b', '{a,b}', '', ' '), fc.string({ maxLength: 8 }));
const criterion = fc.oneof(fc.array(glob, { maxLength: 3 }), fc.record({ paths: fc.array(glob, { maxLength: 3 }), required: fc.oneof(fc.boolean(), fc.string({ maxLength: 3 })) }, { requiredKeys: [] }), fc.jsonValue({ maxDepth: 2 }));
const feature = fc.record({
  id: fc.oneof(fc.constantFrom('a', 'b', 'checkout', 'Bad Id', '-x', ''), fc.string({ maxLength: 6 }), fc.integer()),
  name: fc.oneof(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 1 })),
  owners: fc.oneof(fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }), fc.string({ maxLength: 5 })),
  owner: fc.string({ maxLength: 5 }),
  code: fc.oneof(fc.array(glob, { maxLength: 4 }), glob),
  tests: criterion,
  docs: criterion,
  'release-notes': criterion,
  criteria: fc.dictionary(fc.oneof(fc.constantFrom('code', 'tests', 'metrics', 'Bad'), fc.string({ maxLength: 5 })), criterion, { maxKeys: 3 }),
  extra: fc.jsonValue({ maxDepth: 2 }),
}, { requiredKeys: [] });
const ownershipLike = fc.record({
  version: fc.oneof(fc.constant(1), fc.constant(2), fc.constant('1'), fc.jsonValue({ maxDepth: 1 })),
  mode: fc.oneof(fc.constantFrom('warn', 'strict', 'loud'), fc.jsonValue({ maxDepth: 1 })),
  defaults: fc.record({ tests: criterion, docs: criterion, criteria: fc.dictionary(fc.string({ maxLength: 4 }), criterion, { maxKeys: 2 }) }, { requiredKeys: [] }),
  ignore: fc.oneof(fc.array(glob, { maxLength: 3 }), fc.jsonValue({ maxDepth: 1 })),
  features: fc.oneof(fc.array(feature, { maxLength: 5 }), fc.jsonValue({ maxDepth: 3 })),
}, { requiredKeys: [] });

/** A valid file with random edits: characters inserted, deleted or replaced at random places. */
const mutated = fc.array(
  fc.record({ at: fc.nat(), del: fc.nat({ max: 6 }), ins: fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('\n', ' ', '\t', ':', '-', '[', '"', '&x ', '*x', '\0')) }),
  { minLength: 1, maxLength: 6 },
).map((edits) => edits.reduce((text, e) => {
  const at = e.at % (text.length + 1);
  return text.slice(0, at) + e.ins + text.slice(at + e.del);
}, VALID));

describe('reliability: fuzzing', function () {
  this.timeout(DEEP ? 0 : 30000);

  describe('parseOwnership never throws, and every problem points inside the file', () => {
    it('the valid base file parses clean (so mutations start from something real)', () => {
      const r = checkParse(VALID);
      assert.deepEqual(r.problems.map(formatProblem), []);
      assert.equal(r.file?.features.length, 2);
    });

    it('random text, any code points (lone surrogates, controls, NUL)', () => {
      fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => { checkParse(s); }), BUDGET);
    });

    it('random bytes decoded as the loader would see them (lossy UTF-8)', () => {
      fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => { checkParse(Buffer.from(b).toString('utf8')); }), BUDGET);
    });

    it('YAML-ish token soup', () => {
      fc.assert(fc.property(yamlish, (s) => { checkParse(s); }), BUDGET);
    });

    it('random structures shaped like OWNERSHIP.yml, in block and flow style', () => {
      fc.assert(fc.property(ownershipLike, fc.boolean(), (doc, flow) => {
        checkParse(stringify(doc, { collectionStyle: flow ? 'flow' : 'block' }));
      }), BUDGET);
    });

    it('a valid file with random edits', () => {
      fc.assert(fc.property(mutated, (s) => { checkParse(s); }), BUDGET);
    });

    it('random nesting depth and alias chains', () => {
      fc.assert(fc.property(fc.nat({ max: 3000 }), fc.constantFrom('[', '{a: ', '- '), (depth, open) => {
        const close = open === '[' ? ']' : open === '{a: ' ? '}' : '';
        const nest = open === '- ' ? Array.from({ length: depth }, (_, i) => `${' '.repeat(i * 2)}- `).join('\n') : open.repeat(depth) + '1' + close.repeat(depth);
        checkParse(`version: 1\nfeatures:\n${nest}\n`);
      }), { ...BUDGET, numRuns: 60 });
      fc.assert(fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), (levels, width) => {
        const lines = ['version: 1', 'a0: &a0 [x]'];
        for (let i = 1; i <= levels; i++) lines.push(`a${i}: &a${i} [${Array(width).fill(`*a${i - 1}`).join(', ')}]`);
        lines.push(`features: *a${levels}`);
        checkParse(lines.join('\n'));
      }), { ...BUDGET, numRuns: 100 });
    });
  });

  describe('git -z parsers never throw, and round-trip what git writes', () => {
    const path = fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).filter((s) => !s.includes('\0'));
    const change: fc.Arbitrary<Change> = fc.oneof(
      fc.record({ status: fc.constantFrom<Change['status']>('A', 'M', 'D', 'T', 'U'), path }, { noNullPrototype: true }),
      fc.record({ status: fc.constantFrom<Change['status']>('R', 'C'), path, oldPath: path }, { noNullPrototype: true }),
    );

    it('random input to each parser', () => {
      const input = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.array(fc.oneof(fc.constantFrom('\0', 'M', 'R100', 'C050', 'A', 'UU ', '?? ', '!! ', 'R  ', ' M '), fc.string({ maxLength: 5 })), { maxLength: 30 }).map((a) => a.join('')));
      fc.assert(fc.property(input, (s) => {
        for (const parse of [parseNameStatusZ, parseStatusZ]) {
          for (const c of parse(s)) {
            assert.ok(typeof c.path === 'string' && 'AMDTRCU?'.includes(c.status), JSON.stringify(c));
            assert.ok(!c.path.includes('\0') && !(c.oldPath ?? '').includes('\0'));
          }
        }
        for (const p of parsePathsZ(s)) assert.ok(!p.includes('\0'));
      }), BUDGET);
    });

    it('git diff --name-status -z: any list of changes comes back exactly', () => {
      fc.assert(fc.property(fc.array(change, { maxLength: 20 }), fc.nat({ max: 100 }), (changes, score) => {
        const out = changes.map((c) => (c.oldPath !== undefined ? `${c.status}${String(score).padStart(3, '0')}\0${c.oldPath}\0${c.path}\0` : `${c.status}\0${c.path}\0`)).join('');
        assert.deepEqual(parseNameStatusZ(out), changes);
      }), BUDGET);
    });

    it('git status --porcelain=v1 -z: any list of entries comes back exactly', () => {
      const entry = fc.oneof(
        fc.record({ xy: fc.constantFrom('M ', ' M', 'MM', 'A ', 'AM', 'D ', ' D', 'T ', ' T'), path }),
        fc.record({ xy: fc.constantFrom('UU', 'AA', 'DD', 'AU', 'UA', 'DU', 'UD'), path }),
        fc.record({ xy: fc.constantFrom('R ', 'RM', 'C ', ' R'), path, oldPath: path }),
        fc.record({ xy: fc.constant('??'), path }),
      );
      fc.assert(fc.property(fc.array(entry, { maxLength: 20 }), (entries) => {
        const out = entries.map((e) => `${e.xy} ${e.path}\0${'oldPath' in e ? `${e.oldPath}\0` : ''}`).join('');
        const expected = entries.map((e): Change => {
          if ('oldPath' in e) return { status: e.xy.includes('C') ? 'C' : 'R', path: e.path, oldPath: e.oldPath };
          if (e.xy === '??') return { status: '?', path: e.path };
          if (/U|AA|DD/.test(e.xy)) return { status: 'U', path: e.path };
          return { status: (e.xy[0] !== ' ' ? e.xy[0] : e.xy[1]) as Change['status'], path: e.path };
        });
        assert.deepEqual(parseStatusZ(out), expected);
      }), BUDGET);
    });

    it('git ls-files -z: any list of paths comes back exactly', () => {
      fc.assert(fc.property(fc.array(path, { maxLength: 30 }), (paths) => {
        assert.deepEqual(parsePathsZ(paths.map((p) => `${p}\0`).join('')), paths);
      }), BUDGET);
    });
  });
});
