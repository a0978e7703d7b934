// Where the commit check reads its rules, per mode (issue 11), on real repositories: `--staged`
// and the hook read the OWNERSHIP.yml files in the index (the commit they judge carries them),
// `--base/--head` those of the head commit, `--working` the working tree, untracked files included.
import { strict as assert } from 'node:assert';
import { buildCli, cleanup, commit, featureRepo, git, ownership, OWNERSHIP, stageGap, write } from './support';

/** The rules with `tests` optional: the staged gap in tests is then no gap at all. */
const RELAXED = OWNERSHIP('strict').replace('    tests: [test/checkout/]\n', '    tests: { paths: [test/checkout/], required: false }\n');

async function gaps(repo: string, ...args: string[]): Promise<number> {
  const r = await ownership(repo, ['check', '--format', 'json', ...args]);
  assert.ok(r.status === 0 || r.status === 1, `check failed (${r.status}): ${r.stderr}`);
  return (JSON.parse(r.stdout) as { summary: { gaps: number } }).summary.gaps;
}

describe('where the commit check reads its rules', () => {
  before(buildCli);
  after(cleanup);

  it('an unstaged edit of OWNERSHIP.yml changes neither check --staged nor the hook; a staged one does', async () => {
    const repo = featureRepo('strict');
    assert.equal((await ownership(repo, ['hook', 'install'])).status, 0);
    stageGap(repo);
    write(repo, { 'OWNERSHIP.yml': RELAXED });
    assert.match(RELAXED, /required: false/);
    assert.equal(await gaps(repo, '--staged'), 1, '--staged judged with the unstaged rules');
    assert.equal(await gaps(repo, '--working'), 0, '--working judges with the working tree');
    const refused = await commit(repo, ['-q', '-m', 'cart']);
    assert.equal(refused.status, 1, `the hook let the commit through with the unstaged rules:\n${refused.stderr}`);

    git(repo, ['add', 'OWNERSHIP.yml']);
    assert.equal(await gaps(repo, '--staged'), 0, 'the staged edit is the rule now');
    const ok = await commit(repo, ['-q', '-m', 'cart, tests optional']);
    assert.equal(ok.status, 0, ok.stderr);
  });

  it('an untracked OWNERSHIP.yml is ignored by --staged and honoured by --working', async () => {
    const repo = featureRepo('strict');
    write(repo, { 'lib/OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: lib\n    code: [a.ts]\n    docs: [lib.md]\n', 'lib/a.ts': 'a\n' });
    git(repo, ['add', 'lib/a.ts']);
    assert.equal(await gaps(repo, '--staged'), 0, 'the untracked lib/OWNERSHIP.yml judged the staged change');
    assert.equal(await gaps(repo, '--working'), 1);
  });

  it('--base judges with the head commit\'s rules, whatever the working tree holds', async () => {
    const repo = featureRepo('strict');
    git(repo, ['checkout', '-q', '-b', 'topic']);
    stageGap(repo);
    git(repo, ['commit', '-q', '--no-verify', '-m', 'cart without tests']);
    write(repo, { 'OWNERSHIP.yml': RELAXED, 'extra/OWNERSHIP.yml': 'version: 1\nfeatures: [' });
    assert.equal(await gaps(repo, '--base', 'main'), 1, '--base used the dirty working tree\'s rules');
    git(repo, ['add', 'OWNERSHIP.yml']);
    git(repo, ['commit', '-q', '--no-verify', '-m', 'tests optional']);
    assert.equal(await gaps(repo, '--base', 'main'), 0, 'the head commit makes tests optional');
    assert.equal(await gaps(repo, '--base', 'main', '--head', 'HEAD~1'), 1, '--head names the commit whose rules count');
  });

  it('--staged without OWNERSHIP.yml in the index says how to fix it', async () => {
    const repo = featureRepo('strict');
    git(repo, ['rm', '-q', '--cached', 'OWNERSHIP.yml']);
    const r = await ownership(repo, ['check', '--staged']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no OWNERSHIP\.yml in the index.*git add OWNERSHIP\.yml/);
  });
});
