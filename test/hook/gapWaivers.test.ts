// "Commit Anyway" in the editor lets the user choose which gaps to waive and give each its own
// reason (issue 14): the answer's per-gap waivers travel through the hook (pre-commit keeps them,
// commit-msg writes them), and a gap left out gets no trailer.
import { strict as assert } from 'node:assert';
import { Git } from '../../src/node/git';
import { startIpcServer, type IpcServer } from '../../src/node/ipc';
import { buildCli, cleanEnv, cleanup, commit, git, initRepo, lastMessage, ownership, write } from './support';

const fromVsCode = () => cleanEnv({ VSCODE_GIT_COMMAND: 'commit', OWNERSHIP_IPC_CONNECT_TIMEOUT_MS: '20000' });

/** A feature with tests, docs and release notes, its code staged alone: three gaps. */
async function threeGaps() {
  const repo = initRepo();
  write(repo, {
    'OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: checkout\n    name: Checkout flow\n    code: [src/]\n    tests: [test/]\n    docs: [docs/]\n    release-notes: [CHANGELOG.md]\n',
    'src/cart.ts': 'a\n',
  });
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '--no-verify', '-m', 'init']);
  assert.equal((await ownership(repo, ['hook', 'install'])).status, 0);
  write(repo, { 'src/cart.ts': 'b\n' });
  git(repo, ['add', '-A']);
  return { repo, gitDir: (await Git.open(repo)).gitDir };
}

describe('commit check: per-gap waivers from the editor', function () {
  this.timeout(60000);
  before(buildCli);
  const servers: IpcServer[] = [];
  afterEach(async () => { for (const s of servers.splice(0)) await s.dispose(); });
  after(cleanup);

  it('each chosen gap gets its own reason; a gap left out gets no trailer', async () => {
    const { repo, gitDir } = await threeGaps();
    servers.push(await startIpcServer(gitDir, async () => ({
      decision: 'commit',
      reason: '',
      waivers: [
        { feature: 'checkout', criterion: 'tests', reason: 'e2e covers it' },
        { feature: 'checkout', criterion: 'release-notes', reason: 'internal,\nno user impact' },
      ],
    })));
    const r = await commit(repo, ['-q', '-m', 'cart'], fromVsCode());
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^Ownership: committing anyway — recording Ownership-Waived: checkout\/tests e2e covers it, Ownership-Waived: checkout\/release-notes internal, no user impact$/m);
    assert.equal(lastMessage(repo), 'cart\n\nOwnership-Waived: checkout/tests e2e covers it\nOwnership-Waived: checkout/release-notes internal, no user impact\n');
  });

  it('waivers for gaps the change does not have are ignored; none chosen commits without a trailer', async () => {
    const { repo, gitDir } = await threeGaps();
    servers.push(await startIpcServer(gitDir, async () => ({ decision: 'commit', reason: '', waivers: [{ feature: 'search', criterion: 'docs', reason: 'x' }] })));
    const r = await commit(repo, ['-q', '-m', 'cart'], fromVsCode());
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^Ownership: committing anyway, no gap waived — /m);
    assert.equal(lastMessage(repo), 'cart\n');
  });
});
