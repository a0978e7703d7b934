// Multi-root workspaces (issue 3) and folders changing under the editor (issue 6, "Editor under
// stress"). Runs in the harness's `multi-root` workbench: multi.code-workspace with `alpha` (the
// standard fixture: 4 gaps) and `beta` (Billing: 1 gap) — see makeMultiRootFixture.
import * as assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { BILLING_OWNERSHIP_YML, makeFixtureRepo, STANDARD_OWNERSHIP_YML } from '../../harness/fixtures.mjs';
import { activate, folderOf, note, row, settle, until, type State } from '../support';

const folderPath = (name: string) => {
  const f = vscode.workspace.workspaceFolders?.find((x) => x.name === name);
  assert.ok(f, `no workspace folder ${name}`);
  return f.uri.fsPath;
};

/** The git commands the extension runs (src/node/git.ts), to tell its failures from vscode.git's. */
const OUR_GIT = /--absolute-git-dir|--name-status|ls-files|user\.(name|email)|--is-shallow-repository/;

const bothReady = (s: State) => s.folders.length === 2 && s.folders.every((f) => f.state === 'ready');

/** Adds a folder at the end of the workspace and waits until VS Code reports it. */
async function addFolder(dir: string): Promise<void> {
  const n = vscode.workspace.workspaceFolders?.length ?? 0;
  const changed = new Promise<void>((r) => { const d = vscode.workspace.onDidChangeWorkspaceFolders(() => { d.dispose(); r(); }); });
  assert.ok(vscode.workspace.updateWorkspaceFolders(n, 0, { uri: vscode.Uri.file(dir) }), 'updateWorkspaceFolders refused the addition');
  await changed;
}

async function removeFolder(dir: string): Promise<void> {
  const i = vscode.workspace.workspaceFolders?.findIndex((f) => f.uri.fsPath === dir) ?? -1;
  assert.ok(i >= 0, `${dir} is not a workspace folder`);
  const changed = new Promise<void>((r) => { const d = vscode.workspace.onDidChangeWorkspaceFolders(() => { d.dispose(); r(); }); });
  assert.ok(vscode.workspace.updateWorkspaceFolders(i, 1), 'updateWorkspaceFolders refused the removal');
  await changed;
}

/**
 * What must come back to what it was once an added folder is removed again. vscode.git keeps a
 * repository open after its folder leaves the workspace, so the subscriptions to repositories are
 * compared with how many vscode.git has open (they must not pile up beyond them).
 */
const stable = (r: Record<string, number>) => {
  const { repositorySubscriptions, gitExtensionRepositories, ...rest } = r;
  assert.equal(repositorySubscriptions, gitExtensionRepositories, 'one subscription per repository vscode.git has open');
  return rest;
};

suite('Multi-root workspace', () => {
  let baseline: Record<string, number>;

  suiteSetup(async function () {
    this.timeout(60000);
    assert.ok(vscode.workspace.workspaceFile, 'this suite runs in a .code-workspace (harness run "multi-root")');
    await activate();
    const s = await until('both folders analysed', bothReady);
    // vscode.git follows both repositories once it has found them.
    baseline = stable((await until('vscode.git follows both repositories', (x) => x.resources.repositorySubscriptions === 2)).resources);
    note(`resources: ${JSON.stringify(baseline)}`);
    assert.equal(s.folders.length, 2);
  });

  test('each folder is analysed on its own and the tree groups by folder', async () => {
    const s = await until('both folders analysed', bothReady);
    assert.deepEqual(s.tree.map((r) => r.label), ['alpha', 'beta']);
    assert.equal(row(s.tree, 'alpha').description, '4 gaps');
    assert.equal(row(s.tree, 'beta').description, '1 gap');
    assert.deepEqual(row(s.tree, 'alpha').children?.map((r) => r.label), ['Checkout', 'Search', 'Accounts']);
    assert.deepEqual(row(s.tree, 'beta').children?.map((r) => r.label), ['Billing']);
    assert.equal(row(row(s.tree, 'beta').children, 'Billing').description, '@finance · 1 missing');
    assert.equal(folderOf(s, 'alpha').gaps, 4);
    assert.equal(folderOf(s, 'beta').gaps, 1);
    assert.equal(s.status.text, '$(warning) 5 gaps');
    assert.match(s.status.tooltip, /\*\*alpha\*\*[\s\S]*\*\*beta\*\*/);
  });

  test('a folder added to the workspace is analysed and shown; removed, it leaves nothing behind', async function () {
    this.timeout(90000);
    const dir = join(process.env.FO_TEST_RUN_DIR!, 'mr', 'gamma');
    makeFixtureRepo(dir, {
      files: { 'OWNERSHIP.yml': STANDARD_OWNERSHIP_YML, 'src/search/index.ts': '//\n', 'docs/search.md': '#\n' },
      staged: { 'src/search/index.ts': '// changed\n' },
    });
    for (let round = 0; round < 5; round++) {
      await addFolder(dir);
      const s = await until('gamma analysed', (x) => x.folders.length === 3 && folderOf(x, 'gamma').state === 'ready' && x.resources.gitExtensionRepositories === 3);
      assert.deepEqual(s.tree.map((r) => r.label), ['alpha', 'beta', 'gamma']);
      assert.equal(row(s.tree, 'gamma').description, '2 gaps', 'Search is missing its tests and docs in gamma');
      assert.equal(s.status.text, '$(warning) 7 gaps');
      assert.deepEqual(
        { folderStores: s.resources.folderStores, folderWatches: s.resources.folderWatches, gitDirWatchers: s.resources.gitDirWatchers },
        { folderStores: 3, folderWatches: 3, gitDirWatchers: 3 },
      );
      await removeFolder(dir);
      const after = await until('gamma gone again', (x) => x.folders.length === 2 && x.resources.gitExtensionRepositories === 2);
      assert.deepEqual(after.tree.map((r) => r.label), ['alpha', 'beta']);
      assert.equal(after.status.text, '$(warning) 5 gaps');
      assert.deepEqual(stable(after.resources), baseline, `round ${round}: listeners or watchers were left behind`);
      assert.ok(after.resources.repositorySubscriptions! <= 3, `round ${round}: ${after.resources.repositorySubscriptions} repository subscriptions`);
    }
  });

  test('OWNERSHIP.yml deleted and re-created: "no OWNERSHIP.yml", then the features again; the other folder is left alone', async function () {
    this.timeout(90000);
    const before = await until('both folders analysed', bothReady);
    const file = join(folderPath('beta'), 'OWNERSHIP.yml');
    rmSync(file);
    let s = await until('beta has no OWNERSHIP.yml', (x) => folderOf(x, 'beta').state === 'noFile');
    assert.equal(row(s.tree, 'beta').description, 'no OWNERSHIP.yml');
    assert.deepEqual(row(s.tree, 'beta').children?.map((r) => r.label), ['no OWNERSHIP.yml']);
    assert.equal(s.status.text, '$(warning) 4 gaps');
    writeFileSync(file, BILLING_OWNERSHIP_YML);
    s = await until('beta has its features again', (x) => folderOf(x, 'beta').state === 'ready' && folderOf(x, 'beta').gaps === 1);
    assert.deepEqual(row(s.tree, 'beta').children?.map((r) => r.label), ['Billing']);
    s = await settle('alpha');
    assert.equal(folderOf(s, 'alpha').generation, folderOf(before, 'alpha').generation, 'alpha was analysed again for a change in beta');
  });

  test('a repository deleted under the editor: a clear state, no crash, no stream of errors', async function () {
    this.timeout(60000);
    const dir = join(process.env.FO_TEST_RUN_DIR!, 'mr', 'delta');
    makeFixtureRepo(dir, { files: { 'OWNERSHIP.yml': BILLING_OWNERSHIP_YML, 'lib/a.js': '//\n' }, staged: { 'lib/a.js': '// x\n' } });
    await addFolder(dir);
    await until('delta analysed', (x) => folderOf(x, 'delta').state === 'ready');
    const rejections: unknown[] = [];
    const onRejection = (e: unknown) => rejections.push(e);
    process.on('unhandledRejection', onRejection);
    try {
      rmSync(dir, { recursive: true, force: true });
      assert.ok(!existsSync(dir));
      let s = await until('delta reported gone', (x) => folderOf(x, 'delta').state === 'gone');
      assert.equal(row(s.tree, 'delta').description, 'the folder no longer exists');
      assert.match(folderOf(s, 'delta').error ?? '', /no longer exists/);
      const gen = folderOf(s, 'delta').generation;
      // More events for the vanished folder (a refresh, a trigger) change nothing and log nothing.
      await vscode.commands.executeCommand('ownership.refresh');
      s = await settle('delta');
      assert.equal(folderOf(s, 'delta').generation, gen, 'the gone state was announced again');
      assert.equal(folderOf(s, 'delta').analysisErrors, 0);
      assert.ok(bothReady({ ...s, folders: s.folders.filter((f) => f.name !== 'delta') }), 'the other folders kept working');
      // vscode.git keeps polling the vanished repository and its spawns fail (cwd gone); ours
      // would carry our frames or one of our git commands.
      for (const e of rejections) note(`unhandled rejection (not ours): ${String(e)} ${JSON.stringify((e as { spawnargs?: unknown }).spawnargs ?? null)}`);
      const ours = rejections.filter((e) => /ownership|extension\.js/i.test(String((e as Error)?.stack ?? e)) || OUR_GIT.test(JSON.stringify((e as { spawnargs?: unknown }).spawnargs ?? '')));
      assert.deepEqual(ours.map(String), [], 'unhandled rejections from the extension');
    } finally {
      process.off('unhandledRejection', onRejection);
      await removeFolder(dir);
    }
    const after = await until('delta removed', (x) => x.folders.length === 2 && x.resources.gitExtensionRepositories === 2);
    assert.deepEqual(stable(after.resources), baseline);
  });
});
