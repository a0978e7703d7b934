// Two windows on one repository (issue 15.6): each window's extension host publishes its own
// endpoint, and the commit hook's question goes to the window whose extension host started the
// commit, else to the focused window. The harness opens a second window (page) on this folder; it
// has an extension host of its own running the extension, and no tests.
//
// Which window was asked shows in the hook's answer: this window runs extension tests, and VS Code
// refuses its modal ("refused to show dialog in tests", which the hook reports, and the warn-mode
// commit goes through), while the other window shows a real modal, which the harness reads and
// cancels there (the hook reports the commit cancelled).
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { git } from '../../harness/fixtures.mjs';
import { activate, harness, note, ownEndpoint, sleep, until, windowEndpoints, type WindowEndpoint } from '../support';

const root = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
const REFUSED_HERE = /not asked in the editor — the extension refused: .*refused to show dialog in tests/;
/** The hook's environment: a commit from VS Code's Git extension, timeouts a loaded machine meets. */
const hookEnv = (): NodeJS.ProcessEnv => ({ ...process.env, VSCODE_GIT_COMMAND: 'commit', OWNERSHIP_IPC_CONNECT_TIMEOUT_MS: '30000', OWNERSHIP_IPC_ANSWER_TIMEOUT_MS: '45000' });

let staged = 0;
/** Stages a change to Checkout's code without its tests: a gap for the next commit. */
function stageGap(): void {
  staged++;
  writeFileSync(join(root(), 'src', 'checkout', `change${staged}.ts`), `export const n = ${staged};\n`);
  git(root(), 'add', '-A', 'src');
}

/** Polls until `ok` holds for the published endpoints; fails with what they said last. */
async function endpointsUntil(what: string, ok: (mine: WindowEndpoint | undefined, other: WindowEndpoint | undefined) => boolean, timeoutMs = 30000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const all = windowEndpoints(root());
    if (ok(all.find((e) => e.pid === process.pid), all.find((e) => e.pid !== process.pid))) return;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}: ${JSON.stringify(all)}`);
    await sleep(100);
  }
}

/** `git commit` as a child of this extension host: this window started the commit. */
function commitFromHere(message: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['commit', '-q', '-m', message], { cwd: root(), env: hookEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

/**
 * `git commit` started by no window: a subshell that its parent shell leaves behind at once, so
 * it is adopted by init and no extension host is among the hook's ancestors (like a commit from a
 * GUI client). Its status and stderr land in files; resolves with them.
 */
async function commitFromNowhere(message: string, whileWaiting?: () => Promise<void>): Promise<{ status: number; stderr: string }> {
  const dir = mkdtempSync(join(process.env.FO_TEST_RUN_DIR ?? root(), 'orphan-'));
  const out = join(dir, 'stderr');
  const rc = join(dir, 'status');
  // The script is fixed; the message and the files are its arguments, never part of it.
  const sh = spawn('sh', ['-c', '(git commit -q -m "$1" 2>"$2"; echo $? >"$3.tmp"; mv "$3.tmp" "$3") </dev/null >/dev/null &', 'sh', message, out, rc], { cwd: root(), env: hookEnv(), stdio: 'ignore' });
  await new Promise((r) => sh.on('close', r));
  await whileWaiting?.();
  const end = Date.now() + 120000;
  while (!existsSync(rc)) {
    assert.ok(Date.now() < end, `the commit "${message}" did not end`);
    await sleep(100);
  }
  return { status: Number(readFileSync(rc, 'utf8').trim()), stderr: readFileSync(out, 'utf8') };
}

/** Moves the focus to window `w` (0: this one) and waits until both windows' endpoints say so. */
async function focusWindow(w: 0 | 1): Promise<void> {
  const r = await harness({ action: 'focus', window: w });
  assert.ok(r.ok, r.error);
  await endpointsUntil(`window ${w} focused`, (mine, other) => !!mine && !!other && mine.focused === (w === 0) && other.focused === (w === 1));
}

suite('Two windows on one repository', () => {
  suiteSetup(async function () {
    this.timeout(240000);
    await activate();
    await until('the first analysis', (st) => st.folders[0]?.state === 'ready');
    await vscode.commands.executeCommand('ownership.installCommitCheck');
    assert.ok(existsSync(join(root(), '.git', 'hooks', 'pre-commit')), 'Install Commit Check installed no pre-commit hook');
    await ownEndpoint(root());
    const opened = await harness({ action: 'openWindow', timeoutMs: 180000 });
    assert.ok(opened.ok, opened.error);
    await endpointsUntil('the second window\'s endpoint', (mine, other) => !!mine && !!other, 120000);
    // Whatever staged change the fixture had: one commit-ready gap per test instead.
    git(root(), 'commit', '-q', '--no-verify', '-m', 'fixture');
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  test('each window publishes its own endpoint, with its own extension host and focus', async () => {
    const all = windowEndpoints(root());
    assert.equal(all.length, 2, JSON.stringify(all));
    assert.notEqual(all[0]!.pid, all[1]!.pid, 'two extension hosts');
    assert.notEqual(all[0]!.socket, all[1]!.socket);
    await focusWindow(1);
    await focusWindow(0);
  });

  test('a commit this window\'s extension host started is asked here, though the other window has the focus and started last', async function () {
    this.timeout(120000);
    await focusWindow(1);
    stageGap();
    const r = await commitFromHere('from this window');
    note(`hook: ${r.stderr.trim().split('\n')[0]}`);
    assert.match(r.stderr, REFUSED_HERE, 'this window was not the one asked');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(git(root(), 'log', '-1', '--format=%s').trim(), 'from this window');
  });

  test('a commit no window started goes to the focused window: the other one, then this one', async function () {
    this.timeout(240000);
    await focusWindow(1);
    stageGap();
    let dialog = '';
    const there = await commitFromNowhere('from nowhere, other focused', async () => {
      // The other window asks with its real modal: read it there and cancel the commit.
      const text = await harness({ action: 'dialogText', window: 1, timeoutMs: 90000 });
      assert.ok(text.ok, `no modal in the focused window: ${text.error}`);
      dialog = text.text ?? '';
      const click = await harness({ action: 'click', name: 'Cancel', dialog: true, window: 1 });
      assert.ok(click.ok, click.error);
    });
    note(`the other window asked: ${dialog.split('\n').find((l) => l.includes('missing')) ?? dialog}`);
    assert.match(dialog, /Checkout \(@payments\) is missing tests/);
    assert.equal(there.status, 1, there.stderr);
    assert.match(there.stderr, /^Ownership: commit cancelled — Checkout \(@payments\) is missing tests/);
    assert.notEqual(git(root(), 'log', '-1', '--format=%s').trim(), 'from nowhere, other focused');

    await focusWindow(0);
    const here = await commitFromNowhere('from nowhere, this focused');
    assert.match(here.stderr, REFUSED_HERE, 'this window, focused, was not the one asked');
    assert.equal(here.status, 0, here.stderr);
    assert.equal(git(root(), 'log', '-1', '--format=%s').trim(), 'from nowhere, this focused');
  });
});
