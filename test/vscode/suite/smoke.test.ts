// Smoke test of the extension-host tier: the extension under development is loaded, activates
// by itself in a workspace holding an OWNERSHIP.yml, and the built-in Git extension sees the
// fixture repository the harness opened (test/harness/fixtures.mjs, standard scenario).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';

const EXTENSION_ID = 'feature-ownership.feature-ownership';

/** The part of vscode.git's API (extensions/git/src/api/git.d.ts, version 1) used here. */
interface GitApi {
  readonly repositories: readonly { readonly rootUri: vscode.Uri }[];
}
interface GitExtension {
  getAPI(version: 1): GitApi;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return folder.uri;
}

suite('smoke', () => {
  test('the workspace is a fixture repository with an OWNERSHIP.yml', async () => {
    const found = await vscode.workspace.findFiles('OWNERSHIP.yml');
    assert.equal(found.length, 1);
    assert.ok(fs.existsSync(vscode.Uri.joinPath(workspaceRoot(), '.git').fsPath));
  });

  test(`${EXTENSION_ID} is present and activates by itself`, async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    const active = await waitFor(() => extension.isActive, 15000);
    assert.ok(active, 'the extension did not activate on its own in a workspace with OWNERSHIP.yml');
  });

  test('vscode.git sees the repository', async () => {
    const git = vscode.extensions.getExtension<GitExtension>('vscode.git');
    assert.ok(git, 'the built-in Git extension is missing');
    const api = (await git.activate()).getAPI(1);
    const root = fs.realpathSync(workspaceRoot().fsPath);
    const seen = await waitFor(() => api.repositories.some((r) => fs.realpathSync(r.rootUri.fsPath) === root), 15000);
    assert.ok(seen, `git repositories: [${api.repositories.map((r) => r.rootUri.fsPath).join(', ')}], expected ${root}`);
  });
});
