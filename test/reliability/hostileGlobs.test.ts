// Reliability matrix, "Hostile globs": an OWNERSHIP.yml from a pull request cannot hang the check
// (issue 12). The built CLI on a real repository, as a CI job or the commit hook runs it.
import { strict as assert } from 'node:assert';
import { assertNoCrash, buildCli, cleanup, cli, commitAll, git, initRepo, write } from './support';


describe('reliability: hostile globs', function () {
  before(buildCli);
  after(cleanup);

  it('a glob built to backtrack, against a long staged name: check answers', () => {
    // picomatch took over 60 s on this (docs/reliability.md); a backtracking matcher grows as n^11.
    const hostile = `${'a*'.repeat(11)}b`;
    const dir = initRepo();
    write(dir, {
      'OWNERSHIP.yml': `version: 1\nfeatures:\n  - id: evil\n    code: ["${hostile}", "**/${hostile}", "{x,y}/**/${hostile}"]\n  - id: app\n    code: [src/]\n`,
      'src/a.ts': 'a\n',
    });
    commitAll(dir);
    const name = 'a'.repeat(200);
    write(dir, { [name]: 'x\n', [`x/${'a/'.repeat(50)}${name}`]: 'x\n', 'src/a.ts': 'b\n' });
    git(dir, ['add', '-A']);
    // support.ts's hang guard fails the test if the CLI does not exit (picomatch never did).
    const r = cli(dir, ['check', '--staged', '--format', 'json']);
    assertNoCrash(r);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { unowned: string[]; features: { id: string; touched: boolean }[] };
    assert.deepEqual(out.features.map((f) => [f.id, f.touched]), [['evil', false], ['app', true]]);
    assert.equal(out.unowned.length, 2);
  });

  it('a glob past a budget is a located error, not work', () => {
    const dir = initRepo();
    const braces = '{a,b}'.repeat(9);
    write(dir, { 'OWNERSHIP.yml': `version: 1\nfeatures:\n  - id: app\n    code:\n      - "${braces}"\n      - "src/@(a|b).ts"\n`, 'src/a.ts': 'a\n' });
    git(dir, ['add', '-A']);
    const r = cli(dir, ['validate']);
    assertNoCrash(r);
    assert.equal(r.status, 2);
    assert.deepEqual(r.stderr.trim().split('\n').slice(0, 2), [
      `OWNERSHIP.yml:5:9: invalid glob "${braces}": its braces expand to more than 256 alternatives`,
      'OWNERSHIP.yml:6:9: invalid glob "src/@(a|b).ts": extglob "@(...)" is not supported: write alternatives as {a,b}, or escape the parenthesis as "\\("',
    ]);
  });
});
