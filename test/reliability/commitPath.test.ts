// Reliability matrix, "Commit path": real `git commit` with the built CLI's hooks installed over a
// user's own pre-commit hook, when the editor is slow, crashed or busy, when two commits run at
// once, on Ctrl-C, in a read-only git directory, with spaces in paths, with Windows line endings
// and when the user abandons the message. In every case the message, the staged content and the
// user's hook survive, and no index.lock or pending decision is left behind.
import { strict as assert } from 'node:assert';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Git } from '../../src/node/git';
import { oneQuestionAtATime, startIpcServer, type CommitAnswer, type IpcServer, type QuestionHandler } from '../../src/node/ipc';
import {
  buildCli, cleanEnv, cleanup, CLI, commit, featureRepo, git, HANG_GUARD_MS, head, lastMessage, ownership, run, script, stageGap,
  startExtensionProcess, stopExtensionProcesses, tempDir, type Run,
} from '../hook/support';

/** The user's own pre-commit hook, there before ours: it must run and survive every case. */
const USER_HOOK = '#!/bin/sh\necho ran >> "$(git rev-parse --git-dir)/user-hook.log"\n';

/** A commit made by VS Code's Git extension (its git carries VSCODE_GIT_COMMAND). */
const fromVsCode = (extra: NodeJS.ProcessEnv = {}) => cleanEnv({ VSCODE_GIT_COMMAND: 'commit', OWNERSHIP_IPC_CONNECT_TIMEOUT_MS: '20000', ...extra });
/** Timeouts no test may reach: a case that waits for one has hung. */
const NEVER = String(10 * 60_000);

interface Fixture {
  repo: string;
  gitDir: string;
  /** `git diff --cached` before the commit: the staged content that must not be lost. */
  cached: string;
}

/** A repository with the user's hook, our hooks installed over it, and a change with a gap staged. */
/** `cli`: the dist/cli.js the hook is installed from (and so runs); default the repository's. */
async function fixture(mode: 'warn' | 'strict' = 'warn', dir?: string, cli?: string): Promise<Fixture> {
  const repo = featureRepo(mode, dir);
  writeFileSync(join(repo, '.git/hooks/pre-commit'), USER_HOOK, { mode: 0o755 });
  const r = cli ? await run(repo, process.execPath, [cli, 'hook', 'install']) : await ownership(repo, ['hook', 'install']);
  assert.equal(r.status, 0, r.stderr);
  stageGap(repo);
  return { repo, gitDir: (await Git.open(repo)).gitDir, cached: git(repo, ['diff', '--cached']) };
}

function pendingFiles(gitDir: string): string[] {
  try {
    return readdirSync(join(gitDir, 'ownership')).filter((n) => n.startsWith('pending'));
  } catch {
    return [];
  }
}

/** Nothing lost, nothing left: the staged change is staged (or is exactly the new commit). */
function assertIntact(f: Fixture, outcome: 'committed' | 'not committed', hooksDir = join(f.gitDir, 'hooks')): void {
  assert.ok(!existsSync(join(f.gitDir, 'index.lock')), 'no index.lock left');
  assert.deepEqual(pendingFiles(f.gitDir), [], 'no pending decision left');
  assert.equal(readFileSync(join(hooksDir, 'pre-commit.ownership-chained'), 'utf8'), USER_HOOK, "the user's hook is kept");
  if (outcome === 'committed') assert.equal(git(f.repo, ['diff', 'HEAD~1', 'HEAD']), f.cached, 'the commit holds exactly the staged change');
  else assert.equal(git(f.repo, ['diff', '--cached']), f.cached, 'the staged change is intact');
}

/** Waits (bounded) until `file` exists: an editor script or a server has reached a point. */
async function until(what: string, done: () => boolean): Promise<void> {
  for (let i = 0; i < HANG_GUARD_MS / 50; i++) {
    if (done()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting: ${what}`);
}

/** An editor that says it has opened, waits until released, then saves `message`. */
function pausedEditor(message: string): { editor: string; opened: string; release(): void } {
  const dir = tempDir('own-editor-');
  const opened = join(dir, 'opened');
  const released = join(dir, 'released');
  const editor = script(`touch '${opened}'\ni=0\nwhile [ ! -f '${released}' ] && [ $i -lt 900 ]; do sleep 0.05; i=$((i+1)); done\nprintf '%s\\n' '${message}' > "$1"\n`);
  return { editor, opened, release: () => writeFileSync(released, '') };
}

/** Runs `git commit` inside `script` (a pseudo-terminal), calling `onScreen` with all output so far. */
function commitOnTerminal(repo: string, gitArgs: string[], onScreen: (screen: string, type: (keys: string) => void) => void, env = cleanEnv()): Promise<Run> {
  // script's -c takes a shell command line; the arguments are fixed test strings, quoted here.
  const cmd = ['git', 'commit', ...gitArgs].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolvePromise, reject) => {
    const child = spawn('script', ['-qec', cmd, '/dev/null'], { cwd: repo, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    const guard = setTimeout(() => child.kill('SIGKILL'), HANG_GUARD_MS);
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      screen += s;
      onScreen(screen, (keys) => child.stdin.write(keys));
    });
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(guard);
      child.stdin.destroy();
      resolvePromise({ status, stdout: screen, stderr: '' });
    });
  });
}

describe('reliability: commit path', function () {
  this.timeout(2 * HANG_GUARD_MS);
  before(buildCli);
  const servers: IpcServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.dispose();
    stopExtensionProcesses();
  });
  after(cleanup);

  describe('the editor is slow, crashed, or busy with another commit', () => {
    it('acknowledges but never answers: when the answer time is up the commit falls through (warn commits, strict refuses), nothing lost', async () => {
      for (const mode of ['warn', 'strict'] as const) {
        const f = await fixture(mode);
        let gone: AbortSignal | undefined;
        servers.push(await startIpcServer(f.gitDir, (_q, signal) => new Promise<CommitAnswer>((resolve) => {
          gone = signal;
          signal.addEventListener('abort', () => resolve({ decision: 'cancel' }));
        })));
        const was = head(f.repo);
        const r = await commit(f.repo, ['-m', 'cart'], fromVsCode({ OWNERSHIP_IPC_ANSWER_TIMEOUT_MS: '1500' }));
        assert.match(r.stderr, /^Ownership: not asked in the editor — no answer from the editor in time$/m, r.stderr);
        assert.ok(gone?.aborted, 'the editor learns that the hook has gone, so its late answer applies to nothing');
        if (mode === 'warn') {
          assert.equal(r.status, 0, r.stderr);
          assert.equal(lastMessage(f.repo), 'cart\n');
          assertIntact(f, 'committed');
        } else {
          assert.equal(r.status, 1, r.stderr);
          assert.match(r.stderr, /^Ownership: commit blocked \(strict mode\)/m);
          assert.equal(head(f.repo), was);
          assert.equal(readFileSync(join(f.gitDir, 'COMMIT_EDITMSG'), 'utf8'), 'cart\n', 'the message is kept for the next try');
          assertIntact(f, 'not committed');
        }
        assert.equal(readFileSync(join(f.gitDir, 'user-hook.log'), 'utf8'), 'ran\n');
      }
    });

    it('a frozen extension host (SIGSTOP): the kernel accepts, nobody acknowledges; the hook falls through, and the host, woken, does not ask about a commit that has moved on', async () => {
      const f = await fixture('warn');
      const ext = await startExtensionProcess(f.gitDir, 'cancel');
      ext.child.kill('SIGSTOP');
      const r = await commit(f.repo, ['-m', 'cart'], fromVsCode({ OWNERSHIP_IPC_CONNECT_TIMEOUT_MS: '1000', OWNERSHIP_IPC_ANSWER_TIMEOUT_MS: NEVER }));
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /^Ownership: not asked in the editor — the extension did not respond$/m);
      assertIntact(f, 'committed');
      ext.child.kill('SIGCONT');
      // A fresh commit is asked (and cancelled): by then the host has read the stale question too.
      stageGap(f.repo, 'later.ts');
      const again = await commit(f.repo, ['-m', 'later'], fromVsCode());
      assert.equal(again.status, 1, again.stderr);
      assert.deepEqual(ext.asked, ['Checkout flow (@payments) is missing tests'], 'asked once: only about the commit still waiting');
    });

    it('crashed (SIGKILL: ipc.json and the socket file left behind): falls through at once, without waiting for any timeout', async () => {
      const f = await fixture('strict');
      const ext = await startExtensionProcess(f.gitDir, 'commit');
      ext.child.kill('SIGKILL');
      await until('the stand-in to die', () => ext.child.signalCode !== null);
      assert.ok(existsSync(ext.file) && existsSync(ext.endpoint.socket), 'a crash leaves both behind');
      // Timeouts the test would never outlive: falling through must not wait for either.
      const slow = { OWNERSHIP_IPC_CONNECT_TIMEOUT_MS: NEVER, OWNERSHIP_IPC_ANSWER_TIMEOUT_MS: NEVER };
      const r = await commit(f.repo, ['-m', 'cart'], fromVsCode(slow));
      assert.equal(r.status, 1, 'strict, nobody to ask: refused');
      assert.match(r.stderr, /^Ownership: not asked in the editor — extension no longer running$/m);
      assertIntact(f, 'not committed');
      // Its pid reused by a live process: the dead socket refuses the connection at once.
      assert.ok(!existsSync(ext.file), 'the hook removed the endpoint of the window that is gone');
      writeFileSync(ext.file, JSON.stringify({ ...ext.endpoint, pid: process.pid }), { mode: 0o600 });
      const reused = await commit(f.repo, ['-m', 'cart'], fromVsCode(slow));
      assert.equal(reused.status, 1);
      assert.match(reused.stderr, /^Ownership: not asked in the editor — cannot reach the extension \(ECONNREFUSED\)$/m);
      assertIntact(f, 'not committed');
    });

    it('busy with another commit: a second question is refused at once (not queued behind the open modal), and the first still gets its answer', async () => {
      // Two repositories served by one window, as the extension wires them: one modal at a time.
      const a = await fixture('warn');
      const b = await fixture('strict');
      let release!: () => void;
      const modalClosed = new Promise<void>((r) => (release = r));
      const asked: string[] = [];
      // Without the gate a second modal waits behind the first: this one waits for `release`.
      const modal: QuestionHandler = async (q) => { asked.push(q.repoRoot); await modalClosed; return { decision: 'commit', reason: 'asked first' }; };
      const answer = oneQuestionAtATime(modal);
      servers.push(await startIpcServer(a.gitDir, answer), await startIpcServer(b.gitDir, answer));
      const first = commit(a.repo, ['-m', 'first'], fromVsCode({ OWNERSHIP_IPC_ANSWER_TIMEOUT_MS: NEVER }));
      await until('the first question', () => asked.length === 1);
      const second = await commit(b.repo, ['-m', 'second'], fromVsCode({ OWNERSHIP_IPC_ANSWER_TIMEOUT_MS: NEVER }));
      assert.equal(second.status, 1, 'strict and nobody free to ask: refused, not hung');
      assert.match(second.stderr, /^Ownership: not asked in the editor — the editor is already asking about another commit$/m);
      assertIntact(b, 'not committed');
      release();
      const r = await first;
      assert.equal(r.status, 0, r.stderr);
      assert.equal(lastMessage(a.repo), 'first\n\nOwnership-Waived: checkout/tests asked first\n');
      assert.deepEqual(asked, [a.repo]);
      assertIntact(a, 'committed');
    });
  });

  describe('two commits at once in the same repository', () => {
    // A plain `git commit` holds no index.lock while its hooks run: both commits are in their
    // hooks at the same time, with the same staged change (so the same fingerprint).
    it('a waiver given for one commit never lands on another running at the same time', async () => {
      const f = await fixture('warn');
      const one = pausedEditor('one');
      const first = commit(f.repo, [], cleanEnv({ GIT_EDITOR: one.editor }));
      await until("the first commit's editor", () => existsSync(one.opened));
      // The second: "Commit Anyway" in the editor, then the user abandons it (the editor fails).
      servers.push(await startIpcServer(f.gitDir, async () => ({ decision: 'commit', reason: 'for the second' })));
      const second = await commit(f.repo, [], fromVsCode({ GIT_EDITOR: 'false' }));
      assert.notEqual(second.status, 0);
      one.release();
      const r = await first;
      assert.equal(r.status, 0, r.stderr);
      assert.equal(lastMessage(f.repo), 'one\n', 'the waiver was given for the other commit');
      // The abandoned commit's decision is swept by the next commit, and applies to nothing.
      await servers.splice(0)[0]!.dispose();
      stageGap(f.repo, 'next.ts');
      const next = await commit(f.repo, ['-m', 'next'], cleanEnv());
      assert.equal(next.status, 0, next.stderr);
      assert.equal(lastMessage(f.repo), 'next\n');
      assert.deepEqual(pendingFiles(f.gitDir), []);
    });

    it('a second commit starting while the first waits in its editor does not erase the first one\'s decision', async () => {
      const f = await fixture('warn');
      const answers: CommitAnswer[] = [{ decision: 'commit', reason: 'first' }, { decision: 'cancel' }];
      servers.push(await startIpcServer(f.gitDir, async () => answers.shift() ?? { decision: 'cancel' }));
      const one = pausedEditor('one');
      const first = commit(f.repo, [], fromVsCode({ GIT_EDITOR: one.editor }));
      await until("the first commit's editor", () => existsSync(one.opened));
      const second = await commit(f.repo, ['-m', 'two'], fromVsCode());
      assert.equal(second.status, 1, 'the second is cancelled in the editor');
      one.release();
      const r = await first;
      assert.equal(r.status, 0, r.stderr);
      assert.equal(lastMessage(f.repo), 'one\n\nOwnership-Waived: checkout/tests first\n');
      assertIntact(f, 'committed');
    });

    it('git commit -a: git\'s own index.lock stops the second at once; the first keeps its decision', async () => {
      const f = await fixture('warn');
      servers.push(await startIpcServer(f.gitDir, async () => ({ decision: 'commit', reason: 'first' })));
      const one = pausedEditor('one');
      const first = commit(f.repo, ['-a'], fromVsCode({ GIT_EDITOR: one.editor }));
      await until("the first commit's editor", () => existsSync(one.opened));
      const second = await commit(f.repo, ['-a', '-m', 'two'], fromVsCode());
      assert.equal(second.status, 128);
      assert.match(second.stderr, /index\.lock': File exists/);
      one.release();
      const r = await first;
      assert.equal(r.status, 0, r.stderr);
      assert.equal(lastMessage(f.repo), 'one\n\nOwnership-Waived: checkout/tests first\n');
      assertIntact(f, 'committed');
    });
  });

  describe('Ctrl-C during the terminal prompt', function () {
    before(function () {
      if (spawnSync('script', ['-qec', 'true', '/dev/null']).status !== 0) this.skip();
    });

    it('aborts the commit: message file, staged change and hook kept; no index.lock, no decision left', async () => {
      const f = await fixture('strict');
      // The message of an earlier attempt, and the -F file of this one: neither may be touched.
      const earlier = 'earlier attempt\n\nkept for git commit -c\n';
      writeFileSync(join(f.gitDir, 'COMMIT_EDITMSG'), earlier);
      const msg = join(tempDir(), 'message.txt');
      writeFileSync(msg, 'cart\n\nlong description\n');
      const was = head(f.repo);
      let pressed = false;
      const r = await commitOnTerminal(f.repo, ['-F', msg], (screen, type) => {
        if (!pressed && screen.includes('Commit anyway? [y]es, [N]o, [d]etails: ')) {
          pressed = true;
          type('\x03'); // the terminal turns it into SIGINT for git and its hooks
        }
      });
      assert.ok(pressed, r.stdout);
      assert.notEqual(r.status, 0, r.stdout);
      assert.equal(head(f.repo), was);
      assert.equal(readFileSync(join(f.gitDir, 'COMMIT_EDITMSG'), 'utf8'), earlier);
      assert.equal(readFileSync(msg, 'utf8'), 'cart\n\nlong description\n');
      assertIntact(f, 'not committed');
    });
  });

  describe('a read-only git directory', function () {
    // As root, permissions do not restrict: the commits run as "nobody" in a repository it owns.
    const asUser = process.getuid!() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'] : [];
    let base: string;
    let env: NodeJS.ProcessEnv;
    /** The CLI the hook runs: a copy that "nobody" can read when the checkout is private to root (a clone in a 0700 folder, say). */
    let cli = CLI;
    let copyCli = false;
    before(function () {
      if (asUser.length && spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', 'true']).status !== 0) this.skip();
      copyCli = asUser.length > 0 && spawnSync(asUser[0]!, [...asUser.slice(1), 'test', '-r', CLI]).status !== 0;
    });
    beforeEach(() => {
      base = tempDir('own-ro-');
      chmodSync(base, 0o755);
      if (copyCli) {
        mkdirSync(join(base, 'cli'));
        for (const f of readdirSync(dirname(CLI))) if (f.endsWith('.js')) copyFileSync(join(dirname(CLI), f), join(base, 'cli', f));
        cli = join(base, 'cli', 'cli.js');
      }
      mkdirSync(join(base, 'home'));
      env = cleanEnv({ HOME: join(base, 'home'), XDG_CONFIG_HOME: join(base, 'home/.config'), XDG_RUNTIME_DIR: '' });
    });
    const handOver = () => { if (asUser.length) execFileSync('chown', ['-R', '65534:65534', base]); };
    // Back to root before root's git looks (git refuses a repository another user owns).
    const handBack = () => { if (asUser.length) execFileSync('chown', ['-R', '0:0', base]); };
    const runAs = (f: Fixture, cmd: string, args: string[], input = '') => {
      const [exe, ...rest] = [...asUser, cmd, ...args];
      const r = spawnSync(exe!, rest, { cwd: f.repo, env, input, encoding: 'utf8', timeout: HANG_GUARD_MS, killSignal: 'SIGKILL' });
      assert.ok(!r.error, String(r.error));
      return r;
    };

    it('$GIT_DIR/ownership read-only: "Commit Anyway" still commits, and one line says the waiver could not be recorded', async function () {
      if (spawnSync('script', ['-qec', 'true', '/dev/null']).status !== 0) this.skip();
      const f = await fixture('strict', join(base, 'repo'), cli);
      handOver();
      chmodSync(join(f.gitDir, 'ownership'), 0o500);
      const r = runAs(f, 'script', ['-qec', "git commit -m cart", '/dev/null'], 'y\ntests next sprint\n');
      handBack();
      assert.equal(r.status, 0, r.stdout);
      assert.match(r.stdout, /Ownership: committing anyway, but the waiver is not recorded \(cannot write \S+\/ownership\/pending-\d+\.json: permission denied\) — add "Ownership-Waived: checkout\/tests tests next sprint" to the message yourself/);
      assert.doesNotMatch(r.stdout, /commit not checked|EACCES/);
      assert.equal(lastMessage(f.repo), 'cart\n');
      assertIntact(f, 'committed');
    });

    it('$GIT_DIR/ownership read-only, strict, nobody to ask: the commit goes through with one line saying strict mode was not enforced', async () => {
      const f = await fixture('strict', join(base, 'repo'), cli);
      handOver();
      chmodSync(join(f.gitDir, 'ownership'), 0o500);
      const r = runAs(f, 'setsid', ['-w', 'git', 'commit', '-m', 'cart']);
      handBack();
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr.split('\n')[0]!, /^Ownership: Checkout flow \(@payments\) is missing tests — strict mode is not enforced for this commit \(cannot write \S+: permission denied\); the range check in CI still sees the gaps$/);
      assert.equal(lastMessage(f.repo), 'cart\n');
      assertIntact(f, 'committed');
    });

    it('hooks folder read-only: install and uninstall say so in one line (exit 2), commits are still checked, the user\'s hook is untouched', async () => {
      const f = await fixture('strict', join(base, 'repo'), cli);
      const other = featureRepo('warn', join(base, 'other'));
      writeFileSync(join(other, '.git/hooks/pre-commit'), USER_HOOK, { mode: 0o755 });
      handOver();
      for (const repo of [f.repo, other]) chmodSync(join(repo, '.git/hooks'), 0o555);
      const un = runAs(f, process.execPath, [cli, 'hook', 'uninstall']);
      assert.equal(un.status, 2, un.stderr);
      assert.match(un.stderr, /^ownership: cannot write \S+\/\.git\/hooks\/pre-commit: permission denied\n$/);
      const inst = runAs({ ...f, repo: other }, process.execPath, [cli, 'hook', 'install']);
      assert.equal(inst.status, 2, inst.stderr);
      assert.match(inst.stderr, /^ownership: cannot write \S+\/\.git\/hooks\/pre-commit: permission denied\n$/);
      assert.equal(readFileSync(join(other, '.git/hooks/pre-commit'), 'utf8'), USER_HOOK);
      const r = runAs(f, 'setsid', ['-w', 'git', 'commit', '-m', 'cart']);
      handBack();
      assert.equal(r.status, 1, 'the installed strict check still runs');
      assert.match(r.stderr, /commit blocked \(strict mode\)/);
      assertIntact(f, 'not committed');
    });
  });

  it('paths with spaces: the repository and core.hooksPath (with a hook of the user\'s in it)', async () => {
    const base = tempDir();
    const repo = featureRepo('strict', join(base, 'my repo'));
    const hooksDir = join(base, 'shared hooks', 'git hooks');
    mkdirSync(hooksDir, { recursive: true });
    writeFileSync(join(hooksDir, 'pre-commit'), USER_HOOK, { mode: 0o755 });
    git(repo, ['config', 'core.hooksPath', hooksDir]);
    const f: Fixture = { repo, gitDir: join(repo, '.git'), cached: '' };
    assert.equal((await ownership(repo, ['hook', 'install'])).status, 0);
    stageGap(repo);
    f.cached = git(repo, ['diff', '--cached']);
    const r = await commit(repo, ['-m', 'cart']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /commit blocked \(strict mode\)/, 'the check ran');
    assert.equal(readFileSync(join(repo, '.git/user-hook.log'), 'utf8'), 'ran\n', "and the user's hook before it");
    assertIntact(f, 'not committed', hooksDir);
    const ok = await commit(repo, ['-m', 'cart\n\nOwnership-Waived: checkout/tests e2e']);
    assert.equal(ok.status, 0, ok.stderr);
    assertIntact(f, 'committed', hooksDir);
    assert.equal((await ownership(repo, ['hook', 'uninstall'])).status, 0);
    assert.deepEqual(readdirSync(hooksDir), ['pre-commit']);
    assert.equal(readFileSync(join(hooksDir, 'pre-commit'), 'utf8'), USER_HOOK);
  });

  describe('Windows line endings in the message', () => {
    // What a Windows editor saves: the whole file with "\r\n".
    const crlfEditor = (message: string) => script(`printf '${message}' | sed 's/$/\\r/' > "$1"\n`);

    it('--cleanup=verbatim: the trailer goes after the existing ones, and every line keeps its "\\r\\n"', async () => {
      const f = await fixture('warn');
      servers.push(await startIpcServer(f.gitDir, async () => ({ decision: 'commit', reason: 'hotfix' })));
      const r = await commit(f.repo, ['--cleanup=verbatim'], fromVsCode({ GIT_EDITOR: crlfEditor('Subject\\n\\nBody line.\\n\\nSigned-off-by: A <a@example.invalid>\\n') }));
      assert.equal(r.status, 0, r.stderr);
      assert.equal(lastMessage(f.repo), 'Subject\r\n\r\nBody line.\r\n\r\nSigned-off-by: A <a@example.invalid>\r\nOwnership-Waived: checkout/tests hotfix\r\n');
      assertIntact(f, 'committed');
    });

    it('default cleanup: git drops the "\\r"s, the message and trailers come out whole; a waiver typed with "\\r\\n" is honoured in strict mode', async () => {
      const f = await fixture('strict');
      servers.push(await startIpcServer(f.gitDir, async () => ({ decision: 'commit', reason: 'hotfix' })));
      const r = await commit(f.repo, [], fromVsCode({ GIT_EDITOR: crlfEditor('Subject\\n\\nBody line.\\n\\nSigned-off-by: A <a@example.invalid>\\n# a comment\\n') }));
      assert.equal(r.status, 0, r.stderr);
      assert.equal(lastMessage(f.repo), 'Subject\n\nBody line.\n\nSigned-off-by: A <a@example.invalid>\nOwnership-Waived: checkout/tests hotfix\n');
      assertIntact(f, 'committed');
      await servers.splice(0)[0]!.dispose();
      stageGap(f.repo, 'typed.ts');
      const typed = await commit(f.repo, [], cleanEnv({ GIT_EDITOR: crlfEditor('Typed\\n\\nOwnership-Waived: checkout/tests typed by hand\\n') }));
      assert.equal(typed.status, 0, typed.stderr);
      assert.equal(lastMessage(f.repo), 'Typed\n\nOwnership-Waived: checkout/tests typed by hand\n');
    });
  });

  describe('the user abandons the message in the editor', () => {
    it('an emptied message aborts the commit after "Commit Anyway" (no trailer makes it non-empty), and nothing carries over', async () => {
      const f = await fixture('warn');
      servers.push(await startIpcServer(f.gitDir, async () => ({ decision: 'commit', reason: 'r' })));
      const was = head(f.repo);
      // What VS Code's commit editor leaves when its tab is closed, or a user who deletes every line.
      const r = await commit(f.repo, [], fromVsCode({ GIT_EDITOR: script("printf '# Please enter the commit message.\\n#\\n' > \"$1\"\n") }));
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /Aborting commit due to empty commit message/);
      assert.equal(head(f.repo), was);
      assertIntact(f, 'not committed');
      // Verbose: the diff below the scissors line is not a message either.
      const v = await commit(f.repo, ['-v'], fromVsCode({ GIT_EDITOR: script('sed -i "/^[^#]/d" "$1"\n') }));
      assert.equal(v.status, 1, v.stderr);
      assert.equal(head(f.repo), was);
      assertIntact(f, 'not committed');
      // The next commit, from a plain script with nobody to ask, carries no waiver.
      await servers.splice(0)[0]!.dispose();
      const next = await commit(f.repo, ['-m', 'cart'], cleanEnv());
      assert.equal(next.status, 0, next.stderr);
      assert.equal(lastMessage(f.repo), 'cart\n');
      assertIntact(f, 'committed');
    });

    it('an editor that fails aborts the commit; its decision never reaches the next one', async () => {
      const f = await fixture('warn');
      servers.push(await startIpcServer(f.gitDir, async () => ({ decision: 'commit', reason: 'r' })));
      const r = await commit(f.repo, [], fromVsCode({ GIT_EDITOR: 'false' }));
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /problem with the editor/);
      await servers.splice(0)[0]!.dispose();
      const next = await commit(f.repo, ['-m', 'cart'], cleanEnv());
      assert.equal(next.status, 0, next.stderr);
      assert.equal(lastMessage(f.repo), 'cart\n');
      assertIntact(f, 'committed');
    });
  });
});
