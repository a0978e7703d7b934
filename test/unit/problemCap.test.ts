// The editor's cap on the problems it lists per OWNERSHIP.yml (issue 12): a hostile file cannot
// flood the Problems panel; what is left out is counted in one problem at the first one left out.
import { strict as assert } from 'node:assert';
import { capProblems, MAX_PROBLEMS_PER_FILE } from '../../src/core/problemCap';
import { noMatchCandidates, findGlobSites } from '../../src/core/globSites';
import type { Problem } from '../../src/core/types';

const at = (line: number, severity: Problem['severity'], code: string): Problem => ({ file: 'OWNERSHIP.yml', line, col: 3, endLine: line, endCol: 9, severity, code, message: `${code} at ${line}` });

describe('capProblems', () => {
  it('leaves a file with up to the limit of each severity as it is', () => {
    const list = [...Array.from({ length: MAX_PROBLEMS_PER_FILE }, (_, i) => at(i + 1, 'error', 'bad-glob')), ...Array.from({ length: MAX_PROBLEMS_PER_FILE }, (_, i) => at(i + 200, 'warning', 'no-match'))];
    assert.deepEqual(capProblems(list), list);
  });

  it('lists the first 100 no-match warnings and counts the rest in one warning at the first left out', () => {
    const list = Array.from({ length: 5000 }, (_, i) => at(i + 1, 'warning', 'no-match'));
    const out = capProblems(list);
    assert.equal(out.length, 101);
    assert.deepEqual(out.slice(0, 100), list.slice(0, 100));
    assert.deepEqual(out[100], { ...list[100]!, code: 'no-match-more', message: '4900 more globs in this file match no tracked file (the first 100 are listed): check the paths, or drop the globs' });
  });

  it('caps errors apart from warnings, and words a mixed rest generically', () => {
    const list = [
      ...Array.from({ length: 3 }, (_, i) => at(i + 1, 'warning', 'no-match')),
      ...Array.from({ length: 12 }, (_, i) => at(i + 10, 'error', i % 2 ? 'bad-glob' : 'unknown-key')),
    ];
    const out = capProblems(list, 10);
    assert.deepEqual(out.map((p) => `${p.severity} ${p.line} ${p.code}`), [
      ...Array.from({ length: 10 }, (_, i) => `error ${i + 10} ${i % 2 ? 'bad-glob' : 'unknown-key'}`),
      'error 20 more-problems',
      'warning 1 no-match', 'warning 2 no-match', 'warning 3 no-match',
    ]);
    assert.equal(out[10]!.message, '2 more problems in this file (the first 10 are listed): run "ownership validate" to see them all');
    assert.equal(capProblems([...Array.from({ length: 2 }, (_, i) => at(i + 1, 'warning', 'no-match'))], 1)[1]!.message, '1 more glob in this file matches no tracked file (the first 1 are listed): check the paths, or drop the globs');
  });
});

describe('noMatchCandidates', () => {
  it('keeps the globs that can match nothing, relative to the repository; not ignore, "!" or invalid globs', () => {
    const text = 'version: 1\nignore: ["build/**"]\nfeatures:\n  - id: a\n    code: ["src/", "!src/gen/**", "x/[b"]\n    tests: ["./t/*.ts"]\n';
    const { sites, globs } = noMatchCandidates(findGlobSites(text), 'pkg');
    assert.deepEqual(sites.map((s) => s.pattern), ['src/', './t/*.ts']);
    assert.deepEqual(globs, ['pkg/src/**', 'pkg/t/*.ts']);
  });
});
