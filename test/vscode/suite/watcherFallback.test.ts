// An OWNERSHIP.yml rewritten by another program while VS Code's file watcher does not report it
// (issue 12): on the 100k-file benchmark folder the watcher missed such a rewrite for 10 minutes.
// Here the watcher is blinded the way a user can blind it, `files.watcherExclude`, and the file is
// written with Node's fs, outside the editor: the extension's periodic stat of the known
// OWNERSHIP.yml files (src/extension/analysis/ownershipFileStat.ts) must still see it.
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activate, folderOf, note, settle, state, until, type State } from '../support';

const yml = (ids: string[]) => `version: 1\nfeatures:\n${ids.map((id) => `  - id: ${id}\n    code: [src/${id}/]\n`).join('')}`;

interface StatState extends State {
  triggers: { ownershipStat: number };
  ownershipFilesStatted: number;
}

suite('An OWNERSHIP.yml changed where VS Code\'s file watcher does not look', () => {
  suiteSetup(async function () {
    this.timeout(60000);
    await activate();
  });

  test('is seen by the stat fallback: the view updates, and again when the file is deleted', async function () {
    this.timeout(120000);
    const folder = vscode.workspace.workspaceFolders![0]!;
    const name = folder.name;
    const dir = join(folder.uri.fsPath, 'unwatched');
    const file = join(dir, 'OWNERSHIP.yml');
    const files = vscode.workspace.getConfiguration('files');
    const before = files.inspect<Record<string, boolean>>('watcherExclude')?.globalValue;
    await files.update('watcherExclude', { ...(before ?? {}), '**/unwatched/**': true }, vscode.ConfigurationTarget.Global);
    try {
      const base = folderOf(await settle(name), name).features ?? 0;
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, yml(['unwatched-a']));
      // Found by a full refresh (what the Refresh command does): the watcher does not report it.
      let s = await vscode.commands.executeCommand<StatState>('ownership._testState', { depth: 0, refresh: 1, full: true });
      s = (await until('the new file is read and looked at', (x) => folderOf(x, name).features === base + 1 && (x as StatState).ownershipFilesStatted >= 2, 30000, 0)) as StatState;
      const triggered = s.triggers.ownershipStat;

      // Rewritten by "another program", a different size (two features now).
      const t0 = Date.now();
      writeFileSync(file, yml(['unwatched-a', 'unwatched-b']));
      s = (await until('the rewrite is seen', (x) => folderOf(x, name).features === base + 2, 30000, 0)) as StatState;
      note(`a rewrite the watcher did not report was seen after ${Date.now() - t0} ms`);
      assert.ok(s.triggers.ownershipStat > triggered, 'the stat fallback asked for the refresh');

      // Deleted outside the editor: the folder forgets it.
      rmSync(dir, { recursive: true, force: true });
      s = (await until('the deletion is seen', (x) => folderOf(x, name).features === base, 30000, 0)) as StatState;
      assert.equal(folderOf(s, name).error, null);
      assert.ok(!(await state(1)).tree.some((r) => /unwatched/.test(r.label)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await files.update('watcherExclude', before, vscode.ConfigurationTarget.Global);
    }
  });
});
