// Renderings of a verdict: the JSON contract, GitHub workflow commands that no file name can
// inject into, SARIF 2.1.0, and text whose first line is the verdict.
import { strict as assert } from 'node:assert';
import { formatGithub, formatJson, formatSarif, formatText, formatVerdict, unownedSentence } from '../../src/core/format';
import { analyze, parseWaivers } from '../../src/core/model';
import type { Change } from '../../src/core/types';
import { modelOf, modified } from './modelOf';

const YML = `version: 1
features:
  - id: checkout
    name: Checkout flow
    owners: ["@payments", "@web"]
    code: [src/checkout/]
    tests: [test/checkout/]
    docs: [docs/checkout.md]
  - id: search
    code: [src/search/]
`;
const verdict = (changes: Change[], waivers: string[] = []) => analyze(modelOf({ 'OWNERSHIP.yml': YML }), changes, parseWaivers(waivers));

describe('formats', () => {
  describe('json', () => {
    it('has exactly the documented shape', () => {
      const out = JSON.parse(formatJson(verdict(modified('src/checkout/a.ts', 'README.md'), ['checkout/docs later'])));
      assert.deepEqual(out, {
        schemaVersion: 1,
        features: [
          { id: 'checkout', name: 'Checkout flow', owners: ['@payments', '@web'], file: 'OWNERSHIP.yml', touched: true, changed: { code: ['src/checkout/a.ts'] }, gaps: ['tests'], waived: [{ criterion: 'docs', reason: 'later' }] },
          { id: 'search', name: 'search', owners: [], file: 'OWNERSHIP.yml', touched: false, changed: {}, gaps: [], waived: [] },
        ],
        unowned: ['README.md'],
        summary: { touched: 1, incomplete: 1, gaps: 1 },
      });
    });

    it('is one object on stdout', () => {
      const s = formatVerdict(verdict([]), 'json');
      assert.ok(s.endsWith('}\n'));
      assert.equal(JSON.parse(s).schemaVersion, 1);
    });
  });

  describe('github', () => {
    it('puts a gap on the changed code file and on the feature in OWNERSHIP.yml, a notice on each unowned path, then the verdict', () => {
      const lines = formatGithub(verdict(modified('src/checkout/a.ts', 'README.md'))).trimEnd().split('\n');
      assert.deepEqual(lines, [
        '::warning file=src/checkout/a.ts,title=Ownership%3A Checkout flow::Checkout flow (@payments, @web) is missing tests and docs in this change, which edits its code here (waive with "Ownership-Waived: checkout/tests <reason>")',
        '::warning file=OWNERSHIP.yml,line=3,title=Ownership%3A Checkout flow::Checkout flow (@payments, @web) is missing tests and docs in this change (changed code: src/checkout/a.ts) (waive with "Ownership-Waived: checkout/tests <reason>")',
        '::notice file=README.md,title=Ownership%3A unowned change::README.md belongs to no feature in OWNERSHIP.yml',
        '✗ 2 gaps in 1 of 1 touched feature',
      ]);
    });

    it('gaps are errors when strict', () => {
      const lines = formatGithub(verdict(modified('src/checkout/a.ts')), true).split('\n');
      assert.match(lines[0]!, /^::error file=src\/checkout\/a\.ts,/);
      assert.match(lines[1]!, /^::error file=OWNERSHIP\.yml,line=3,/);
    });

    it('annotates the first three changed code files, and counts the rest on the OWNERSHIP.yml line', () => {
      const files = ['a', 'b', 'c', 'd', 'e'].map((n) => `src/checkout/${n}.ts`);
      const lines = formatGithub(verdict(modified(...files))).trimEnd().split('\n');
      assert.deepEqual(lines.map((l) => /^::warning file=([^,]*)/.exec(l)?.[1]), [...files.slice(0, 3), 'OWNERSHIP.yml', undefined]);
      assert.match(lines[3]!, /\(changed code: src\/checkout\/a\.ts, src\/checkout\/b\.ts, src\/checkout\/c\.ts and 2 more files\)/);
    });

    it('a file name cannot inject a workflow command', () => {
      const names = ['::error::x', 'a%0Ab,c:d', 'x\n::error file=y::injected', 'carriage\r::warning::z'];
      const out = formatGithub(verdict(modified(...names)));
      const lines = out.trimEnd().split('\n');
      assert.equal(lines.length, names.length + 1, 'one line per unowned path, plus the verdict');
      for (const l of lines.slice(0, -1)) assert.match(l, /^::notice file=[^:,\n\r]*,title=Ownership%3A unowned change::[^\n\r]*$/);
      assert.ok(!/\n::error/.test(out) && !out.startsWith('::error'));
      assert.ok(out.includes('::notice file=%3A%3Aerror%3A%3Ax,title='));
      assert.ok(out.includes('file=a%250Ab%2Cc%3Ad,'), 'a literal %0A stays literal');
      assert.ok(out.includes('::x%0A::error file=y::injected belongs to no feature'));
      assert.ok(out.includes('carriage%0D::warning::z belongs'));
    });
  });

  describe('sarif', () => {
    it('is a SARIF 2.1.0 log with one run, rules and results', () => {
      const log = JSON.parse(formatSarif(verdict(modified('src/checkout/a b#.ts', 'ünowned file.txt')), false, '1.2.3'));
      assert.equal(log.version, '2.1.0');
      assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
      assert.equal(log.runs.length, 1);
      const run = log.runs[0];
      assert.equal(run.tool.driver.name, 'ownership');
      assert.equal(run.tool.driver.version, '1.2.3');
      assert.deepEqual(run.tool.driver.rules.map((r: { id: string }) => r.id), ['ownership/gap', 'ownership/unowned']);
      assert.deepEqual(run.results.map((r: { ruleId: string; level: string }) => [r.ruleId, r.level]), [['ownership/gap', 'warning'], ['ownership/gap', 'warning'], ['ownership/unowned', 'note']]);
      assert.equal(run.tool.driver.informationUri, undefined, 'no placeholder address');
      const [atCode, gap, unowned] = run.results;
      // Where the change is: the changed code file, pointing back at the feature's definition.
      assert.equal(atCode.message.text, 'Checkout flow (@payments, @web) is missing tests and docs in this change, which edits its code here.');
      assert.deepEqual(atCode.locations[0].physicalLocation, { artifactLocation: { uri: 'src/checkout/a%20b%23.ts', uriBaseId: '%SRCROOT%' } });
      assert.deepEqual(atCode.relatedLocations[0].physicalLocation, { artifactLocation: { uri: 'OWNERSHIP.yml', uriBaseId: '%SRCROOT%' }, region: { startLine: 3 } });
      assert.equal(gap.message.text, 'Checkout flow (@payments, @web) is missing tests and docs in this change (changed code: src/checkout/a b#.ts).');
      assert.deepEqual(gap.locations[0].physicalLocation, { artifactLocation: { uri: 'OWNERSHIP.yml', uriBaseId: '%SRCROOT%' }, region: { startLine: 3 } });
      assert.equal(gap.relatedLocations[0].physicalLocation.artifactLocation.uri, 'src/checkout/a%20b%23.ts');
      assert.deepEqual(gap.properties, { feature: 'checkout', gaps: ['tests', 'docs'], owners: ['@payments', '@web'] });
      assert.deepEqual(atCode.properties, gap.properties);
      assert.equal(unowned.locations[0].physicalLocation.artifactLocation.uri, '%C3%BCnowned%20file.txt');
    });

    it('gaps are errors when strict; a clean change has no results', () => {
      assert.equal(JSON.parse(formatSarif(verdict(modified('src/checkout/a.ts')), true)).runs[0].results[0].level, 'error');
      assert.deepEqual(JSON.parse(formatSarif(verdict([]))).runs[0].results, []);
    });
  });

  it('unowned changes: the verb agrees with the count (status bar tooltip)', () => {
    assert.equal(unownedSentence(1), '1 changed file belongs to no feature.');
    assert.equal(unownedSentence(3), '3 changed files belong to no feature.');
  });

  describe('text', () => {
    it('starts with the verdict, then each touched feature, unowned paths and how to waive', () => {
      const out = formatText(verdict(modified('src/checkout/a.ts', 'test/checkout/a.ts', 'README.md'), ['search/tests']), 'staged changes');
      assert.deepEqual(out.split('\n'), [
        '✗ 1 gap in 1 of 1 touched feature (staged changes)',
        '  ✗ Checkout flow [checkout] @payments, @web: missing docs',
        '      code: src/checkout/a.ts',
        '      tests: test/checkout/a.ts',
        '  Unowned changes (1): README.md',
        '  Add the missing pieces to this change, or waive one with a commit trailer:',
        '    Ownership-Waived: checkout/docs <reason>',
        '',
      ]);
    });

    it('says so when nothing is missing', () => {
      assert.equal(formatText(verdict([])).split('\n')[0], '✓ No gaps: the change touches no feature');
      assert.equal(formatText(verdict(modified('src/search/a.ts'))).split('\n')[0], '✓ No gaps: the touched feature is complete');
      const waived = formatText(verdict(modified('src/checkout/a.ts'), ['checkout/tests flaky', 'checkout/docs']));
      assert.deepEqual(waived.split('\n').slice(0, 5), ['✓ No gaps: the touched feature is complete', '  ✓ Checkout flow [checkout] @payments, @web: complete', '      code: src/checkout/a.ts', '      waived tests: flaky', '      waived docs']);
    });
  });
});
