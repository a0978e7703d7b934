// The hook asking the extension over the local channel, with the real server of src/node/ipc.ts
// in this process standing in for the extension; and the channel's guards.
import { strict as assert } from 'node:assert';
import { chmodSync, lstatSync, mkdirSync, readFileSync, statSync, writeFileSync, chownSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { Git } from '../../src/node/git';
import { socketDir, startIpcServer, windowsDir, type CommitQuestion, type IpcServer } from '../../src/node/ipc';
import { buildCli, cleanEnv, cleanup, commit, featureRepo, git, head, lastMessage, ownership, stageGap, staged, tempDir } from './support';

/** The environment of a commit made by VS Code's Git extension. */
const fromVsCode = () => cleanEnv({ VSCODE_GIT_COMMAND: 'commit', OWNERSHIP_IPC_CONNECT_TIMEOUT_MS: '20000' });

async function installedRepo(mode: 'warn' | 'strict' = 'warn') {
  const repo = featureRepo(mode);
  assert.equal((await ownership(repo, ['hook', 'install'])).status, 0);
  stageGap(repo);
  return { repo, gitDir: (await Git.open(repo)).gitDir };
}

describe('commit check: asking the extension', function () {
  this.timeout(60000);
  before(buildCli);
  const servers: IpcServer[] = [];
  afterEach(async () => { for (const s of servers.splice(0)) await s.dispose(); });
  after(cleanup);

  it('"Commit Anyway" with a reason: the waiver lands in the commit', async () => {
    const { repo, gitDir } = await installedRepo('strict');
    const asked: CommitQuestion[] = [];
    servers.push(await startIpcServer(gitDir, async (q) => { asked.push(q); return { decision: 'commit', reason: 'hotfix,\nreviewed by @lee' }; }));
    const r = await commit(repo, ['-q', '-m', 'cart'], fromVsCode());
    assert.equal(r.status, 0, r.stderr);
    assert.equal(asked.length, 1);
    assert.equal(asked[0]!.headline, 'Checkout flow (@payments) is missing tests');
    assert.deepEqual(asked[0]!.features.map((f) => [f.id, f.gaps]), [['checkout', ['tests']]]);
    assert.equal(lastMessage(repo), 'cart\n\nOwnership-Waived: checkout/tests hotfix, reviewed by @lee\n');
  });

  it('Cancel: the commit stops with a first stderr line that stands alone in VS Code\'s dialog', async () => {
    const { repo, gitDir } = await installedRepo('warn');
    servers.push(await startIpcServer(gitDir, async () => ({ decision: 'cancel' })));
    const was = head(repo);
    const r = await commit(repo, ['-m', 'cart'], fromVsCode());
    assert.equal(r.status, 1);
    assert.equal(r.stderr.split('\n')[0], 'Ownership: commit cancelled — Checkout flow (@payments) is missing tests');
    assert.equal(head(repo), was);
    assert.deepEqual(staged(repo), ['src/checkout/cart.ts']);
  });

  it('a wrong token is refused, and the hook falls through to printing the gaps', async () => {
    const { repo, gitDir } = await installedRepo('warn');
    let called = 0;
    const server = await startIpcServer(gitDir, async () => { called++; return { decision: 'commit', reason: '' }; });
    servers.push(server);
    // Directly: the server answers a bad token with an error and nothing else.
    const reply = await new Promise<string>((resolve, reject) => {
      const s = createConnection(server.endpoint.socket, () => s.write(JSON.stringify({ token: 'f'.repeat(64), question: { repoRoot: repo, headline: '', features: [] } }) + '\n'));
      let data = '';
      s.setEncoding('utf8').on('data', (d: string) => (data += d)).on('close', () => resolve(data)).on('error', reject);
    });
    assert.deepEqual(JSON.parse(reply), { error: 'unauthorized' });
    // Through a commit: an endpoint file carrying the wrong token.
    writeFileSync(server.file, JSON.stringify({ ...server.endpoint, token: 'a'.repeat(64) }), { mode: 0o600 });
    const r = await commit(repo, ['-q', '-m', 'cart'], fromVsCode());
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^Ownership: Checkout flow \(@payments\) is missing tests — committing anyway \(warn mode\)/);
    assert.equal(called, 0);
  });

  it('an extension that does not respond: the hook falls through', async () => {
    const { repo, gitDir } = await installedRepo('strict');
    const sock = join(socketDir(), `silent-${process.pid}.sock`);
    const silent = createServer(() => { /* accepts, never answers */ });
    await new Promise<void>((r) => silent.listen(sock, r));
    try {
      mkdirSync(windowsDir(gitDir), { recursive: true, mode: 0o700 });
      writeFileSync(join(windowsDir(gitDir), 'silent.json'), JSON.stringify({ version: 1, socket: sock, token: 'x', pid: process.pid }), { mode: 0o600 });
      const r = await commit(repo, ['-m', 'cart'], cleanEnv({ VSCODE_GIT_COMMAND: 'commit' }));
      assert.equal(r.status, 1, 'strict, nobody answered: refused');
      assert.match(r.stderr, /commit blocked \(strict mode\)/);
    } finally {
      silent.close();
    }
  });

  it('an endpoint file others could read or write is not trusted', async () => {
    const { repo, gitDir } = await installedRepo('warn');
    let called = 0;
    const server = await startIpcServer(gitDir, async () => { called++; return { decision: 'cancel' }; });
    servers.push(server);
    chmodSync(server.file, 0o644);
    const r = await commit(repo, ['-q', '-m', 'cart'], fromVsCode());
    assert.equal(r.status, 0, r.stderr);
    assert.equal(called, 0);
  });

  it('a commit from a terminal without a terminal (a GUI client) still asks the extension', async () => {
    const { repo, gitDir } = await installedRepo('warn');
    servers.push(await startIpcServer(gitDir, async () => ({ decision: 'commit', reason: '' })));
    const r = await commit(repo, ['-q', '-m', 'cart'], cleanEnv({ OWNERSHIP_IPC_CONNECT_TIMEOUT_MS: '20000' }));
    assert.equal(r.status, 0, r.stderr);
    assert.equal(lastMessage(repo), 'cart\n\nOwnership-Waived: checkout/tests\n');
  });
});

describe('IPC channel: where the socket lives', function () {
  const saved = { TMPDIR: process.env.TMPDIR, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR };
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  });
  after(cleanup);

  it('listens on a socket in a 0700 directory of this user, with a 0600 endpoint file; never a port', async () => {
    const repo = featureRepo();
    const gitDir = (await Git.open(repo)).gitDir;
    const server = await startIpcServer(gitDir, async () => ({ decision: 'cancel' }));
    try {
      const dir = server.endpoint.socket.slice(0, server.endpoint.socket.lastIndexOf('/'));
      const st = lstatSync(dir);
      assert.ok(st.isDirectory());
      assert.equal(st.uid, process.getuid!());
      assert.equal(st.mode & 0o777, 0o700);
      assert.ok(lstatSync(server.endpoint.socket).isSocket());
      assert.equal(statSync(windowsDir(gitDir)).mode & 0o777, 0o700);
      assert.equal(statSync(server.file).mode & 0o777, 0o600);
      assert.equal(JSON.parse(readFileSync(server.file, 'utf8')).token, server.endpoint.token);
      assert.match(server.endpoint.token, /^[0-9a-f]{64}$/);
    } finally {
      await server.dispose();
    }
    assert.throws(() => statSync(server.file), 'dispose removes the endpoint file');
    git(repo, ['status']);
  });

  it('does not use a socket directory someone else owns or others can enter', function () {
    if (process.getuid!() !== 0) this.skip(); // giving a directory to another user needs root
    delete process.env.XDG_RUNTIME_DIR;
    const tmp = tempDir();
    process.env.TMPDIR = tmp;
    const squatted = join(tmp, `ownership-${process.getuid!()}`);
    mkdirSync(squatted, { mode: 0o777 });
    chownSync(squatted, 65534, 65534);
    const dir = socketDir();
    assert.notEqual(dir, squatted);
    assert.equal(lstatSync(dir).uid, process.getuid!());
    assert.equal(lstatSync(dir).mode & 0o777, 0o700);
  });

  it('tightens its own directory when it was left open', () => {
    delete process.env.XDG_RUNTIME_DIR;
    const tmp = tempDir();
    process.env.TMPDIR = tmp;
    const own = join(tmp, `ownership-${process.getuid!()}`);
    mkdirSync(own);
    chmodSync(own, 0o777);
    assert.equal(socketDir(), own);
    assert.equal(lstatSync(own).mode & 0o777, 0o700);
  });
});
