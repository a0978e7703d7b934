// Several editor windows on one repository (issue 15.6): every window's extension host publishes
// its own endpoint, and the hook asks the window whose extension host started the commit, else
// the focused one, else any. Real processes: each window is an extension-host stand-in
// (extensionProcess.ts) in a process of its own, and "started by window A" means A ran `git commit`
// as its own child, so A's pid is really among the hook's ancestors.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Git } from '../../src/node/git';
import { windowsDir } from '../../src/node/ipc';
import { buildCli, cleanEnv, cleanup, commit, featureRepo, lastMessage, ownership, stageGap, startExtensionProcess, stopExtensionProcesses, type ExtensionProcess } from './support';

/** A commit made by VS Code's Git extension (its git carries VSCODE_GIT_COMMAND). */
const fromVsCode = () => cleanEnv({ VSCODE_GIT_COMMAND: 'commit', OWNERSHIP_IPC_CONNECT_TIMEOUT_MS: '20000' });
const HEADLINE = 'Checkout flow (@payments) is missing tests';

async function installedRepo() {
  const repo = featureRepo('warn');
  assert.equal((await ownership(repo, ['hook', 'install'])).status, 0);
  stageGap(repo);
  return { repo, gitDir: (await Git.open(repo)).gitDir };
}

/** Which of `windows` were asked, by name. */
const askedOf = (windows: Record<string, ExtensionProcess>) => Object.entries(windows).filter(([, w]) => w.asked.length).map(([name, w]) => `${name}: ${w.asked.join(' | ')}`);

describe('commit check: several windows on one repository', function () {
  this.timeout(120000);
  before(buildCli);
  afterEach(stopExtensionProcesses);
  after(cleanup);

  it('each window publishes its own private endpoint: one file per extension host, none overwritten', async () => {
    const { gitDir } = await installedRepo();
    const a = await startExtensionProcess(gitDir, 'commit');
    const b = await startExtensionProcess(gitDir, 'commit');
    assert.notEqual(a.file, b.file);
    assert.deepEqual(readdirSync(windowsDir(gitDir)).sort(), [a.file, b.file].map((f) => f.slice(windowsDir(gitDir).length + 1)).sort());
    for (const w of [a, b]) {
      assert.match(basename(w.file), new RegExp(`^${w.child.pid}-[0-9a-f]{16}\\.json$`));
      assert.equal(statSync(w.file).mode & 0o777, 0o600);
      assert.equal(JSON.parse(readFileSync(w.file, 'utf8')).pid, w.child.pid);
    }
    assert.equal(statSync(windowsDir(gitDir)).mode & 0o777, 0o700);
  });

  it('the window that started the commit is asked, even when another is focused and started later', async () => {
    const { repo, gitDir } = await installedRepo();
    const a = await startExtensionProcess(gitDir, 'commit');
    const b = await startExtensionProcess(gitDir, 'commit', { focused: true });
    const r = await a.git(repo, ['commit', '-q', '-m', 'from A'], fromVsCode());
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(askedOf({ a, b }), [`a: ${HEADLINE}`]);
    assert.equal(lastMessage(repo), 'from A\n\nOwnership-Waived: checkout/tests from the stand-in\n');
    // And the other way round: B's own commit goes to B.
    stageGap(repo, 'second.ts');
    const again = await b.git(repo, ['commit', '-q', '-m', 'from B'], fromVsCode());
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(askedOf({ a, b }), [`a: ${HEADLINE}`, `b: ${HEADLINE}`]);
  });

  it('a commit no window started (a GUI client, a script) goes to the focused window, and follows the focus', async () => {
    const { repo, gitDir } = await installedRepo();
    const a = await startExtensionProcess(gitDir, 'commit', { focused: true });
    const b = await startExtensionProcess(gitDir, 'commit');
    const first = await commit(repo, ['-q', '-m', 'one'], fromVsCode());
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(askedOf({ a, b }), [`a: ${HEADLINE}`]);
    // The user switches to window B: A loses focus, B gains it.
    await a.focus(false);
    await b.focus(true);
    stageGap(repo, 'two.ts');
    const second = await commit(repo, ['-q', '-m', 'two'], fromVsCode());
    assert.equal(second.status, 0, second.stderr);
    assert.deepEqual(askedOf({ a, b }), [`a: ${HEADLINE}`, `b: ${HEADLINE}`]);
    // Neither focused (the user is in another application): the one focused last, B.
    await b.focus(false);
    stageGap(repo, 'three.ts');
    const third = await commit(repo, ['-q', '-m', 'three'], fromVsCode());
    assert.equal(third.status, 0, third.stderr);
    assert.equal(b.asked.length, 2);
    assert.equal(a.asked.length, 1);
  });

  it('windows that are gone are skipped and their endpoints removed: a crashed focused window, and a dead socket whose pid is reused', async () => {
    const { repo, gitDir } = await installedRepo();
    const live = await startExtensionProcess(gitDir, 'commit');
    const crashed = await startExtensionProcess(gitDir, 'commit', { focused: true });
    const reused = await startExtensionProcess(gitDir, 'commit', { focused: true });
    crashed.child.kill('SIGKILL');
    reused.child.kill('SIGKILL');
    await Promise.all([crashed, reused].map((w) => new Promise((r) => (w.child.exitCode !== null || w.child.signalCode !== null ? r(null) : w.child.once('exit', r)))));
    // The second's endpoint now names a live process (this one), but nothing listens on its socket.
    writeFileSync(reused.file, JSON.stringify({ ...JSON.parse(readFileSync(reused.file, 'utf8')), pid: process.pid }), { mode: 0o600 });
    const r = await commit(repo, ['-q', '-m', 'cart'], fromVsCode());
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /not asked in the editor/);
    assert.deepEqual(askedOf({ live }), [`live: ${HEADLINE}`]);
    assert.equal(lastMessage(repo), 'cart\n\nOwnership-Waived: checkout/tests from the stand-in\n');
    assert.ok(!existsSync(crashed.file) && !existsSync(reused.file), 'the endpoints of windows that are gone are removed');
    assert.ok(existsSync(live.file), 'the live window keeps its endpoint');
  });

  it('a window whose pid is not running here but whose socket listens (another pid namespace: a dev container) is still asked, and kept', async () => {
    const { repo, gitDir } = await installedRepo();
    const elsewhere = await startExtensionProcess(gitDir, 'commit');
    // A pid that is certainly not running: a process that has exited and been reaped.
    const gone = spawnSync('true').pid;
    assert.ok(gone > 0);
    writeFileSync(elsewhere.file, JSON.stringify({ ...JSON.parse(readFileSync(elsewhere.file, 'utf8')), pid: gone }), { mode: 0o600 });
    const r = await commit(repo, ['-q', '-m', 'cart'], fromVsCode());
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(askedOf({ elsewhere }), [`elsewhere: ${HEADLINE}`]);
    assert.ok(existsSync(elsewhere.file), 'its endpoint is kept');
  });
});
