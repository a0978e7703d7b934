// Budgets on everything an OWNERSHIP.yml can make us do (issue 12): each limit is far above real
// use, and past it the file gets one located error, the rest of the file still applies, and the
// work stays bounded.
import { strict as assert } from 'node:assert';
import schema from '../../schemas/ownership.schema.json';
import { classify, compileModel } from '../../src/core/model';
import { formatProblem, LIMITS, parseOwnership } from '../../src/core/parse';

function problems(text: string): string[] {
  return parseOwnership(text, 'OWNERSHIP.yml').problems.map(formatProblem);
}

describe('limits of OWNERSHIP.yml', () => {
  it('too many features: one error at "features", the first ones still read', () => {
    const n = LIMITS.features + 1;
    const text = `version: 1\nfeatures:\n${Array.from({ length: n }, (_, i) => `  - {id: f${i}, code: [f${i}/]}\n`).join('')}`;
    const r = parseOwnership(text, 'OWNERSHIP.yml');
    assert.deepEqual(r.problems.map(formatProblem), [
      `OWNERSHIP.yml:2:1: ${n} features in one OWNERSHIP.yml; the limit is ${LIMITS.features}: split it into one OWNERSHIP.yml per folder (only the first ${LIMITS.features} are read)`,
    ]);
    assert.equal(r.file?.features.length, LIMITS.features);
  });

  it('too many globs in a list: one error at the list, the first ones still used', () => {
    const n = LIMITS.globsPerList + 1;
    const globs = Array.from({ length: n }, (_, i) => `d${i}/`).join(', ');
    const r = parseOwnership(`version: 1\nfeatures:\n  - id: a\n    code: [${globs}]\n    tests: {paths: [${globs}]}\n`, 'OWNERSHIP.yml');
    assert.deepEqual(r.problems.map(formatProblem), [
      `OWNERSHIP.yml:4:11: ${n} globs in one list; the limit is ${LIMITS.globsPerList}: use folders ("dir/") or wider globs (only the first ${LIMITS.globsPerList} are used)`,
      `OWNERSHIP.yml:5:20: ${n} globs in one list; the limit is ${LIMITS.globsPerList}: use folders ("dir/") or wider globs (only the first ${LIMITS.globsPerList} are used)`,
    ]);
    const f = r.file!.features[0]!;
    assert.equal(f.code.length, LIMITS.globsPerList);
    assert.equal(f.criteria[0]!.patterns.length, LIMITS.globsPerList);
    const m = compileModel([r.file!]).model;
    // Both lists are used: the path is in tests, which carves it out of the same feature's code.
    assert.deepEqual(classify(m, 'd0/x').memberships.map((x) => x.criterion), ['tests']);
    assert.deepEqual(classify(m, `d${n - 1}/x`).memberships, [], 'the glob past the limit is not used');
  });

  it('too many globs in one file, counting inherited defaults once per feature: the file is refused, located at "features"', () => {
    const perFeature = Math.ceil(LIMITS.globsPerFile / LIMITS.globsPerList) + 1;
    // Small text, large work: 1,000 default globs inherited by each of a few hundred features.
    const defaults = Array.from({ length: LIMITS.globsPerList }, (_, i) => `t${i}/`).join(', ');
    const text = `version: 1\ndefaults:\n  tests: [${defaults}]\nfeatures:\n${Array.from({ length: perFeature }, (_, i) => `  - {id: f${i}, code: [f${i}/]}\n`).join('')}`;
    const r = parseOwnership(text, 'OWNERSHIP.yml');
    const n = perFeature * (LIMITS.globsPerList + 1);
    assert.deepEqual(r.problems.map(formatProblem), [
      `OWNERSHIP.yml:4:1: OWNERSHIP.yml asks for ${n} globs (each feature's lists, defaults counted once per feature that inherits them); the limit is ${LIMITS.globsPerFile}: use folders ("dir/") and wider globs, or split it into one OWNERSHIP.yml per folder`,
    ]);
    assert.equal(r.file, undefined, 'nothing is compiled');
  });

  it('a glob too long, too deep or expanding too far: located at the glob, the others kept', () => {
    const long = 'a'.repeat(LIMITS.globLength + 1);
    const deep = Array(LIMITS.globDepth + 1).fill('d').join('/');
    const wide = '{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}{q,r}';
    const r = parseOwnership(`version: 1\nfeatures:\n  - id: a\n    code:\n      - ${long}\n      - ${deep}\n      - "${wide}"\n      - src/\n`, 'OWNERSHIP.yml');
    assert.deepEqual(r.problems.map(formatProblem), [
      `OWNERSHIP.yml:5:9: glob of ${LIMITS.globLength + 1} characters; the limit is ${LIMITS.globLength}: match a folder ("dir/") or split the glob`,
      `OWNERSHIP.yml:6:9: glob with ${LIMITS.globDepth + 1} folder levels; the limit is ${LIMITS.globDepth}`,
      `OWNERSHIP.yml:7:9: invalid glob "${wide}": its braces expand to more than ${LIMITS.globAlternatives} alternatives`,
    ]);
    assert.deepEqual(r.file!.features[0]!.code, ['src/']);
  });

  it('a file too large is refused before parsing', () => {
    assert.match(problems('#'.repeat(LIMITS.fileBytes + 1))[0]!, /^OWNERSHIP\.yml:1:1: OWNERSHIP\.yml is 10\.0 MB; the limit is 10 MB/);
  });

  it('the JSON Schema states the same limits, so YAML editors flag them as you type', () => {
    const defs = schema.definitions;
    assert.equal(defs.glob.maxLength, LIMITS.globLength);
    assert.equal(defs.globs.maxItems, LIMITS.globsPerList);
    assert.equal(defs.feature.properties.code.maxItems, LIMITS.globsPerList);
    assert.equal(schema.properties.features.maxItems, LIMITS.features);
  });

  it('a file of hostile globs parses, compiles and classifies long paths', () => {
    // The work per glob and path is bounded by the engine (test/unit/globEngine.test.ts counts it);
    // here, 500 features × 20 hostile globs give the right answers end to end.
    const globs = Array.from({ length: 20 }, (_, i) => `"p${i}/{a,b}/**/*a*a*a*a*a*a*a*a*a*a*a*b"`).join(', ');
    const text = `version: 1\nfeatures:\n${Array.from({ length: 500 }, (_, i) => `  - {id: f${i}, code: [${globs}]}\n`).join('')}`;
    const r = parseOwnership(text, 'OWNERSHIP.yml');
    assert.equal(r.problems.length, 0);
    const m = compileModel([r.file!]).model;
    for (let i = 0; i < 20; i++) {
      assert.deepEqual(classify(m, `p${i}/a/${'a/'.repeat(20)}${'a'.repeat(60)}`).memberships, []);
      assert.equal(classify(m, `p${i}/b/x/${'a'.repeat(12)}b`).memberships.length, 500);
    }
  });
});
