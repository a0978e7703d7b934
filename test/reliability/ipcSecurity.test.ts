// Reliability matrix, "Security" of the commit path: the channel between the hook and the editor
// is a Unix socket only this user can reach (never a network port), guarded by a token only this
// user can read; and the installed hooks never hand a path to a shell unquoted.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, statSync, symlinkSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { Git } from '../../src/node/git';
import { startIpcServer, type IpcServer } from '../../src/node/ipc';
import { buildCli, cleanEnv, cleanup, commit, featureRepo, git, HANG_GUARD_MS, lastMessage, ownership, run, stageGap, startExtensionProcess, stopExtensionProcesses, tempDir } from '../hook/support';

const fromVsCode = () => cleanEnv({ VSCODE_GIT_COMMAND: 'commit', OWNERSHIP_IPC_CONNECT_TIMEOUT_MS: '20000' });
const isRoot = process.getuid!() === 0;
const AS_NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups', '--'];

/** Inodes of every socket in /proc/net/<table> (the 10th column). */
function socketInodes(table: string): Set<string> {
  try {
    return new Set(readFileSync(`/proc/net/${table}`, 'utf8').split('\n').slice(1).map((l) => l.trim().split(/\s+/)[9]).filter((i): i is string => !!i));
  } catch {
    return new Set();
  }
}

/** What one reply to `message` on `socket` says (the raw text the server sent before closing). */
function exchange(socket: string, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = createConnection(socket, () => s.write(message));
    let data = '';
    const guard = setTimeout(() => { s.destroy(); reject(new Error('no reply')); }, HANG_GUARD_MS);
    s.setEncoding('utf8').on('data', (d: string) => (data += d)).on('close', () => { clearTimeout(guard); resolve(data); }).on('error', reject);
  });
}

describe('reliability: IPC and hook security', function () {
  this.timeout(2 * HANG_GUARD_MS);
  before(buildCli);
  const servers: IpcServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.dispose();
    stopExtensionProcesses();
  });
  after(cleanup);

  it('the extension side listens on a Unix socket only: no TCP or UDP port; socket in a 0700 folder of the user, socket and token file 0600', async function () {
    if (process.platform !== 'linux') this.skip(); // reads /proc
    const repo = featureRepo();
    const gitDir = (await Git.open(repo)).gitDir;
    const ext = await startExtensionProcess(gitDir, 'cancel');
    const fds = readdirSync(`/proc/${ext.child.pid}/fd`).map((fd) => { try { return readlinkSync(`/proc/${ext.child.pid}/fd/${fd}`); } catch { return ''; } });
    const own = new Set(fds.map((l) => /^socket:\[(\d+)\]$/.exec(l)?.[1]).filter((i): i is string => !!i));
    assert.ok(own.size > 0, 'it has sockets');
    for (const table of ['tcp', 'tcp6', 'udp', 'udp6', 'raw', 'raw6']) {
      const net = socketInodes(table);
      assert.deepEqual([...own].filter((i) => net.has(i)), [], `no ${table} socket`);
    }
    // The listening socket is the Unix one at the published path.
    const unix = readFileSync('/proc/net/unix', 'utf8').split('\n').filter((l) => own.has(l.trim().split(/\s+/)[6] ?? ''));
    assert.ok(unix.some((l) => l.endsWith(` ${ext.endpoint.socket}`)), unix.join('\n'));
    const dir = ext.endpoint.socket.slice(0, ext.endpoint.socket.lastIndexOf('/'));
    assert.equal(lstatSync(dir).uid, process.getuid!());
    assert.equal(lstatSync(dir).mode & 0o777, 0o700);
    assert.equal(lstatSync(ext.endpoint.socket).mode & 0o777, 0o600);
    assert.equal(statSync(ext.file).mode & 0o777, 0o600);
    assert.match(ext.endpoint.token, /^[0-9a-f]{64}$/);
  });

  it('wrong, partial or missing tokens are refused before anyone is asked', async () => {
    const repo = featureRepo();
    const gitDir = (await Git.open(repo)).gitDir;
    const ext = await startExtensionProcess(gitDir, 'commit');
    const q = { repoRoot: repo, headline: 'h', features: [] };
    const t = ext.endpoint.token;
    for (const token of [t.slice(0, -1) + (t.endsWith('0') ? '1' : '0'), t.slice(0, 32), '', undefined, 42]) {
      const reply = await exchange(ext.endpoint.socket, JSON.stringify({ token, question: q }) + '\n');
      assert.deepEqual(JSON.parse(reply), { error: 'unauthorized' }, String(token));
    }
    assert.deepEqual(ext.asked, []);
  });

  it('another user cannot reach the socket', async function () {
    if (!isRoot || spawnSync('setpriv', [...AS_NOBODY, 'true']).status !== 0) this.skip(); // needs another user to be
    const repo = featureRepo();
    const ext = await startExtensionProcess((await Git.open(repo)).gitDir, 'commit');
    // The probe is fixed code; the socket path is an argument, not part of it.
    const probe = "require('net').createConnection(process.argv[1]).on('connect',()=>{console.log('connected');process.exit(0)}).on('error',e=>{console.log(e.code);process.exit(0)})";
    const r = spawnSync('setpriv', [...AS_NOBODY, process.execPath, '-e', probe, ext.endpoint.socket], { encoding: 'utf8', timeout: HANG_GUARD_MS });
    assert.equal(r.stdout.trim(), 'EACCES', r.stderr);
    assert.deepEqual(ext.asked, []);
  });

  describe('a token file that is not private to the user is ignored, and the hook says so', () => {
    const cases: [string, (file: string) => void][] = [
      ['group-readable (0640)', (f) => chmodSync(f, 0o640)],
      ['world-readable (0604)', (f) => chmodSync(f, 0o604)],
      ['a symbolic link to a private copy', (f) => { renameSync(f, `${f}.real`); symlinkSync(`${f}.real`, f); }],
      ['owned by another user (0600)', (f) => chownSync(f, 65534, 65534)],
    ];
    for (const [name, spoil] of cases) {
      it(name, async function () {
        if (name.startsWith('owned') && !isRoot) this.skip(); // giving a file away needs root
        const repo = featureRepo('warn');
        assert.equal((await ownership(repo, ['hook', 'install'])).status, 0);
        stageGap(repo);
        const gitDir = (await Git.open(repo)).gitDir;
        let asked = 0;
        const server = await startIpcServer(gitDir, async () => { asked++; return { decision: 'commit', reason: 'should not be asked' }; });
        servers.push(server);
        spoil(server.file);
        const r = await commit(repo, ['-m', 'cart'], fromVsCode());
        assert.equal(r.status, 0, r.stderr);
        assert.equal(asked, 0);
        assert.match(r.stderr, /^Ownership: not asked in the editor — ignored the endpoint file: it is not private to you \(owner or permissions\)$/m);
        assert.equal(lastMessage(repo), 'cart\n');
      });
    }
  });

  it('paths with quotes, $(…), backticks, ; and a newline (repository, core.hooksPath, CLI) reach no shell', async () => {
    const base = tempDir();
    const evil = "it's $(touch pwned1) `touch pwned2` ;touch pwned3 \"q\"\nline2";
    const repo = featureRepo('strict', join(base, `repo ${evil}`));
    const hooksDir = join(base, `hooks ${evil}`);
    git(repo, ['config', 'core.hooksPath', hooksDir]);
    const cliDir = join(base, `cli ${evil}`);
    mkdirSync(cliDir);
    for (const f of ['cli.js', 'cliMain.js']) copyFileSync(join(__dirname, '../../dist', f), join(cliDir, f));
    // Installed by the copy of the CLI in the hostile folder: the runner records that path.
    const inst = await run(repo, process.execPath, [join(cliDir, 'cli.js'), 'hook', 'install']);
    assert.equal(inst.status, 0, inst.stderr);
    const runner = readFileSync(join(repo, '.git/ownership/hook.sh'), 'utf8');
    assert.ok(runner.includes(`OWNERSHIP_CLI='${join(cliDir, 'cli.js').replace(/'/g, `'\\''`)}'\n`), 'the CLI path is single-quoted');
    stageGap(repo);
    const r = await commit(repo, ['-m', 'cart']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /commit blocked \(strict mode\)/, 'the check ran through the hostile paths');
    const ok = await commit(repo, ['-m', 'cart\n\nOwnership-Waived: checkout/tests e2e']);
    assert.equal(ok.status, 0, ok.stderr);
    const un = await ownership(repo, ['hook', 'uninstall']);
    assert.equal(un.status, 0, un.stderr);
    assert.deepEqual(readdirSync(hooksDir), []);
    const everything = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? everything(join(dir, e.name)) : [e.name]));
    assert.deepEqual(everything(base).filter((n) => n.startsWith('pwned')), [], 'nothing ran');
  });
});
