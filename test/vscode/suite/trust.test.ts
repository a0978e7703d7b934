// Workspace trust (issue 3; issue 6: "in an untrusted workspace no git process runs at all").
// Runs in the harness's `trust` workbench: workspace trust on, the standard fixture opened
// untrusted, and `git` on PATH replaced by a wrapper that logs every process to $FO_GIT_LOG
// before running the real git. A repository's config can make git run programs (core.fsmonitor,
// diff drivers, hooks), so "no git" is checked on real processes, not on our own bookkeeping.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activate, harness, note, row, sleep, until } from '../support';

const workspace = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;

/** git processes started with their working directory inside the workspace: "<cwd>\t<args>". */
function gitRunsInWorkspace(): string[] {
  const log = process.env.FO_GIT_LOG;
  assert.ok(log, 'FO_GIT_LOG is not set: this suite runs in the harness run "trust"');
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8').split('\n').filter((l) => l && (l.startsWith(`${workspace()}\t`) || l.startsWith(`${workspace()}/`)));
}

suite('Workspace trust', () => {
  suiteSetup(async function () {
    this.timeout(60000);
    await activate();
  });

  test('untrusted: the features of OWNERSHIP.yml are listed, the restricted mode is explained, and no git process runs', async function () {
    this.timeout(60000);
    assert.equal(vscode.workspace.isTrusted, false, 'the harness opened the folder untrusted');
    let s = await until('restricted analysis', (x) => x.folders[0]?.state === 'ready' && x.folders[0].restricted);
    assert.deepEqual(s.tree.map((r) => r.label), ['Checkout', 'Search', 'Accounts']);
    assert.equal(row(s.tree, 'Checkout').description, '@payments', 'no change is analysed, so no state');
    assert.equal(s.status.text, '$(shield)');
    assert.match(s.status.tooltip, /Restricted mode: git is not run in an untrusted workspace/);
    assert.equal(s.folders[0]!.gaps, 0);

    // Everything that would run git when trusted: saves, file events, Refresh, the commit check.
    writeFileSync(join(workspace(), 'src', 'checkout', 'cart.ts'), '// edited while untrusted\n');
    await vscode.commands.executeCommand('ownership.refresh');
    await vscode.commands.executeCommand('ownership.installCommitCheck');
    await vscode.commands.executeCommand('ownership.selectChanges', 'working');
    await vscode.commands.executeCommand('ownership.revealFile', vscode.Uri.file(join(workspace(), 'src', 'search', 'index.ts')));
    await sleep(1500); // longer than the refresh debounce: any analysis these caused has run
    s = await until('still restricted', (x) => x.folders[0]!.state === 'ready' && x.folders[0]!.restricted);
    assert.deepEqual(gitRunsInWorkspace(), [], 'git ran in the untrusted workspace');
    assert.ok(!existsSync(join(workspace(), '.git', 'hooks', 'pre-commit')), 'the commit check was installed while untrusted');
    assert.ok(!existsSync(join(workspace(), '.git', 'ownership')), 'something was written under .git while untrusted');
    await vscode.commands.executeCommand('ownership.selectChanges', 'staged');
  });

  test('granting trust (the workbench\'s own dialog) runs git and shows the gaps', async function () {
    this.timeout(90000);
    // The trust dialog VS Code shows on opening an untrusted folder, or the Trust editor.
    let r = await harness({ action: 'click', name: 'Yes, I trust the authors', dialog: true, timeoutMs: 5000 });
    if (!r.ok) {
      await vscode.commands.executeCommand('workbench.trust.manage');
      r = await harness({ action: 'click', name: 'Trust', timeoutMs: 15000 });
    }
    assert.ok(r.ok, `could not grant trust: ${r.error}`);
    const s = await until('trusted analysis with gaps', (x) => vscode.workspace.isTrusted && x.folders[0]!.state === 'ready' && !x.folders[0]!.restricted && x.folders[0]!.gaps === 4, 60000);
    assert.equal(row(s.tree, 'Checkout').description, '@payments · 3 missing');
    assert.equal(s.status.text.startsWith('$(warning) 4 gaps'), true, s.status.text);
    const runs = gitRunsInWorkspace();
    note(`git processes in the workspace once trusted: ${runs.length}`);
    assert.ok(runs.some((l) => l.includes('diff --cached --name-status')), 'the extension ran git once trusted');
  });
});
