// The commit prompt as a user meets it (issue 4): the commit check installed, a commit from the
// Source Control view, the extension's modal in the workbench, clicked. Cancel keeps the message
// and the staged change and VS Code shows our one-line reason; Commit Anyway asks which gaps to
// waive and a reason for each, and records one Ownership-Waived trailer per chosen gap. (The extension-host tier cannot click: VS Code
// refuses dialogs while extension tests run.)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../harness/codeServer.mjs';
import { git, makeStandardFixture } from '../harness/fixtures.mjs';
import { SEL, suite, test } from '../harness/ui-test.mjs';

const DIALOG = '.monaco-dialog-box';
const SCM_INPUT = '.scm-editor .monaco-editor';

async function until(what, ok, timeout = 60000) {
  const end = Date.now() + timeout;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Opens Source Control, writes `message` in its commit box and commits (Ctrl+Enter). */
async function commitFromScm(page, message) {
  await page.keyboard.press('Control+Shift+G');
  const input = page.locator(SCM_INPUT).first();
  await input.waitFor({ timeout: 30000 });
  await input.click();
  if (message !== undefined) {
    await page.keyboard.press('Control+A');
    await page.keyboard.type(message);
  }
  await page.keyboard.press('Control+Enter');
}

suite('commit prompt', () => {
  let head;

  test('the extension serves the repository', async ({ page, workspace }) => {
    await page.waitForSelector(SEL.statusItem('ownership.status'), { timeout: 60000 });
    await until('the channel for the hook', async () => existsSync(join(workspace, '.git', 'ownership', 'windows')) && readdirSync(join(workspace, '.git', 'ownership', 'windows')).some((n) => n.endsWith('.json')));
    head = git(workspace, 'rev-parse', 'HEAD').trim();
  });

  test('Cancel in the modal: no commit, message and staged change kept, a readable reason', async ({ page, workspace, shot }) => {
    const staged = git(workspace, 'diff', '--cached', '--name-status');
    await commitFromScm(page, 'Checkout discounts');
    const dialog = page.locator(DIALOG).first();
    await dialog.waitFor({ timeout: 60000 });
    const text = await dialog.innerText();
    assert.match(text, /Checkout \(@payments\) is missing tests, docs and release-notes, and 1 more feature has gaps in this commit\./);
    assert.match(text, /Search \(@discovery\) is missing docs/);
    await shot('modal');
    // Enter must never be the way past the guard: the focused button is not Commit Anyway.
    const focused = (await dialog.locator('button:focus, a.monaco-button:focus').first().innerText()).trim();
    assert.equal(focused, 'Show Details', 'the button Enter presses');
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    const error = page.locator('.notification-toast, .monaco-dialog-box').filter({ hasText: 'Ownership: commit cancelled' }).first();
    await error.waitFor({ timeout: 60000 });
    await shot('cancelled');
    assert.equal(git(workspace, 'rev-parse', 'HEAD').trim(), head, 'a commit was made');
    assert.equal(git(workspace, 'diff', '--cached', '--name-status'), staged, 'the staged change moved');
    assert.ok(!existsSync(join(workspace, '.git', 'index.lock')), 'index.lock left behind');
    // VS Code 1.100 shows the hook's first stderr line in a modal error: close it.
    if (await page.locator(DIALOG).count()) await page.locator(DIALOG).getByRole('button', { name: 'Cancel', exact: true }).click();
    await page.locator(DIALOG).waitFor({ state: 'detached', timeout: 10000 });
    const kept = (await page.locator('.scm-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
    assert.match(kept, /Checkout discounts/, 'the commit message was lost');
  });

  test('Commit Anyway: choose the gaps to waive, a reason for each, one Ownership-Waived trailer per chosen gap', async ({ page, workspace, shot }) => {
    await commitFromScm(page, undefined); // the kept message
    const dialog = page.locator(DIALOG).first();
    await dialog.waitFor({ timeout: 60000 });
    assert.ok(await dialog.getByRole('button', { name: 'Complete This Change…', exact: true }).isVisible(), 'the modal offers Complete This Change…');
    await dialog.getByRole('button', { name: 'Commit Anyway', exact: true }).click();
    // Which gaps: all four are preselected; leave Search's docs out.
    const pick = page.locator('.quick-input-widget');
    await pick.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 30000 });
    await shot('choose-gaps');
    await pick.locator('.quick-input-list .monaco-list-row', { hasText: 'search/docs' }).first().locator('.quick-input-list-checkbox, input[type=checkbox], .monaco-checkbox').first().click();
    await page.keyboard.press('Enter');
    // One reason per chosen gap; each box starts with the previous reason.
    const reason = page.locator('.quick-input-widget input').first();
    const reasons = ['tests follow in #42', 'docs after review', 'internal change'];
    for (const [i, text] of reasons.entries()) {
      await until(`reason box ${i + 1}`, async () => /\(\d of 3\)/.test((await page.locator('.quick-input-title').first().textContent()) ?? '') && (await page.locator('.quick-input-title').first().textContent()).includes(`(${i + 1} of 3)`));
      await reason.fill(text);
      if (i === 0) await shot('reason');
      await page.keyboard.press('Enter');
    }
    await until('the commit', async () => git(workspace, 'rev-parse', 'HEAD').trim() !== head);
    assert.equal(git(workspace, 'rev-parse', 'HEAD~1').trim(), head, 'exactly one commit');
    const message = git(workspace, 'log', '-1', '--format=%B');
    assert.match(message, /^Checkout discounts\n/);
    assert.match(message, /^Ownership-Waived: checkout\/tests tests follow in #42$/m);
    assert.match(message, /^Ownership-Waived: checkout\/docs docs after review$/m);
    assert.match(message, /^Ownership-Waived: checkout\/release-notes internal change$/m);
    assert.doesNotMatch(message, /search\/docs/, 'a gap left out gets no trailer');
  });
}, {
  timeout: 120000,
  // The standard fixture with the commit check installed from a terminal (this Node, dist/cli.js).
  workspace: (dir) => {
    const repo = makeStandardFixture(dir);
    execFileSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'hook', 'install'], { cwd: dir, stdio: 'ignore' });
    return repo;
  },
});
