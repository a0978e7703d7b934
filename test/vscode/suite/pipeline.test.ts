// The one analysis pipeline (src/node/folderAnalysis.ts) as the editor shows it, in the harness's
// `multi-root` workbench: the Problems panel, the Features view and the commit prompt agree with
// the CLI on the cases where their separate copies used to differ — an OWNERSHIP.yml kept out of
// the working tree by sparse checkout, one that is a symbolic link leading outside the
// repository, a feature id declared in two workspace folders of one repository, a repository
// created with `git init` after start-up — and `git add` with the Features view open runs no
// `git ls-files` listing of the repository when no file was added or removed (counted by the
// extension's probe; the OWNERSHIP.yml entries looked up by pathspec count apart).
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { git, makeFixtureRepo, STANDARD_OWNERSHIP_YML } from '../../harness/fixtures.mjs';
import { activate, folderOf, ownEndpoint, row, settle, until, type State } from '../support';

const runDir = () => {
  const d = process.env.FO_TEST_RUN_DIR;
  assert.ok(d, 'FO_TEST_RUN_DIR is not set (harness run "multi-root")');
  return d;
};

async function addFolders(...dirs: string[]): Promise<void> {
  const n = vscode.workspace.workspaceFolders?.length ?? 0;
  const changed = new Promise<void>((r) => { const d = vscode.workspace.onDidChangeWorkspaceFolders(() => { d.dispose(); r(); }); });
  assert.ok(vscode.workspace.updateWorkspaceFolders(n, 0, ...dirs.map((dir) => ({ uri: vscode.Uri.file(dir) }))), 'updateWorkspaceFolders refused the addition');
  await changed;
}

async function removeFolders(...dirs: string[]): Promise<void> {
  for (const dir of dirs) {
    const i = vscode.workspace.workspaceFolders?.findIndex((f) => f.uri.fsPath === dir) ?? -1;
    if (i < 0) continue;
    const changed = new Promise<void>((r) => { const d = vscode.workspace.onDidChangeWorkspaceFolders(() => { d.dispose(); r(); }); });
    assert.ok(vscode.workspace.updateWorkspaceFolders(i, 1), 'updateWorkspaceFolders refused the removal');
    await changed;
  }
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'ownership');
}

async function diagnosticsUntil(file: string, ok: (codes: string[]) => boolean, what: string): Promise<string[]> {
  const uri = vscode.Uri.file(file);
  const end = Date.now() + 20000;
  for (;;) {
    const codes = ours(uri).map((d) => String(d.code));
    if (ok(codes)) return codes;
    if (Date.now() > end) assert.fail(`${what}; diagnostics of ${file}: ${codes.join(', ') || '(none)'}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const probe = (s: State, event: string) => s.probe[event] ?? 0;

const PKG_YML = 'version: 1\nfeatures:\n  - id: packaging\n    name: Packaging\n    code: [pkg/src/]\n    tests: [pkg/test/]\n';

suite('One analysis pipeline in the editor', () => {
  suiteSetup(async function () {
    this.timeout(60000);
    await activate();
  });

  test('an OWNERSHIP.yml outside the sparse-checkout cone counts in the Features view, as in the CLI', async function () {
    this.timeout(60000);
    const dir = join(runDir(), 'mr', 'sparse');
    makeFixtureRepo(dir, { files: { 'OWNERSHIP.yml': STANDARD_OWNERSHIP_YML, 'src/checkout/cart.ts': '//\n', 'pkg/OWNERSHIP.yml': PKG_YML, 'pkg/src/a.ts': '//\n' } });
    git(dir, 'sparse-checkout', 'set', '--no-cone', '/*', '!/pkg/');
    assert.ok(!existsSync(join(dir, 'pkg', 'OWNERSHIP.yml')), 'sparse checkout kept pkg/ out of the working tree');
    await addFolders(dir);
    try {
      const s = await until('sparse analysed', (x) => folderOf(x, 'sparse').state === 'ready');
      assert.ok(row(s.tree, 'sparse').children?.some((r) => r.label === 'Packaging'), 'the feature declared in the sparse OWNERSHIP.yml is missing');
    } finally {
      await removeFolders(dir);
    }
  });

  test('an OWNERSHIP.yml that is a symbolic link leading outside the repository has its error in the Problems panel', async function () {
    this.timeout(60000);
    const outside = join(runDir(), 'mr', 'outside');
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'secret.yml'), PKG_YML);
    const dir = join(runDir(), 'mr', 'linked');
    makeFixtureRepo(dir, { files: { 'OWNERSHIP.yml': STANDARD_OWNERSHIP_YML, 'pkg/src/a.ts': '//\n' } });
    symlinkSync(join(outside, 'secret.yml'), join(dir, 'pkg', 'OWNERSHIP.yml'));
    await addFolders(dir);
    try {
      await until('linked analysed', (x) => folderOf(x, 'linked').state === 'invalid');
      const codes = await diagnosticsUntil(join(dir, 'pkg', 'OWNERSHIP.yml'), (c) => c.includes('outside-repository'), 'no "outside-repository" problem');
      assert.deepEqual(codes, ['outside-repository']);
    } finally {
      await removeFolders(dir);
    }
  });

  test('a feature id declared in two workspace folders of one repository is an error in the Problems panel', async function () {
    this.timeout(60000);
    const dir = join(runDir(), 'mr', 'mono');
    makeFixtureRepo(dir, {
      files: {
        'web/OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: shared\n    name: Web\n    code: [src/]\n',
        'api/OWNERSHIP.yml': 'version: 1\nfeatures:\n  - id: shared\n    name: Api\n    code: [src/]\n',
        'web/src/a.ts': '//\n',
        'api/src/a.ts': '//\n',
      },
    });
    await addFolders(join(dir, 'web'), join(dir, 'api'));
    try {
      await until('both halves analysed', (x) => folderOf(x, 'web').state === 'invalid' && folderOf(x, 'api').state === 'invalid');
      const web = vscode.Uri.file(join(dir, 'web', 'OWNERSHIP.yml'));
      const api = vscode.Uri.file(join(dir, 'api', 'OWNERSHIP.yml'));
      const both = () => [...ours(web), ...ours(api)].map((d) => String(d.code));
      const end = Date.now() + 20000;
      while (!both().includes('duplicate-id')) {
        assert.ok(Date.now() < end, `no duplicate-id problem in the Problems panel: ${both().join(', ') || '(none)'}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const codes = both();
      assert.deepEqual(codes.filter((c) => c === 'duplicate-id'), ['duplicate-id'], 'exactly one duplicate-id problem, on the file that repeats the id');
    } finally {
      await removeFolders(join(dir, 'web'), join(dir, 'api'));
    }
  });

  test('a repository created with git init after start-up gets the commit prompt', async function () {
    this.timeout(90000);
    const dir = join(runDir(), 'mr', 'late');
    mkdirSync(join(dir, 'src'), { recursive: true });
    writeFileSync(join(dir, 'OWNERSHIP.yml'), PKG_YML);
    writeFileSync(join(dir, 'src', 'a.ts'), '//\n');
    await addFolders(dir);
    try {
      await until('late is not a repository yet', (x) => folderOf(x, 'late').state === 'notGit');
      makeFixtureRepo(dir, {});
      await until('late analysed as a repository', (x) => folderOf(x, 'late').state === 'ready', 30000);
      await ownEndpoint(dir, 30000);
    } finally {
      await vscode.commands.executeCommand('notifications.clearAll');
      await removeFolders(dir);
    }
  });

  test('git add of a modified file with the Features view open runs no git ls-files', async function () {
    this.timeout(60000);
    const dir = join(runDir(), 'mr', 'quiet');
    makeFixtureRepo(dir, { files: { 'OWNERSHIP.yml': STANDARD_OWNERSHIP_YML, 'src/checkout/cart.ts': '//\n', 'test/checkout/cart.test.ts': '//\n' } });
    await addFolders(dir);
    try {
      await until('quiet analysed', (x) => folderOf(x, 'quiet').state === 'ready');
      await settle('quiet');
      // The tree rendered three levels deep (criterion rows ask for the inventory), and the inventory computed.
      await vscode.commands.executeCommand('ownership._testState', { depth: 4, idle: true, inventory: true });
      const before = await settle('quiet');
      writeFileSync(join(dir, 'src', 'checkout', 'cart.ts'), '// changed\n');
      git(dir, 'add', 'src/checkout/cart.ts');
      const s = await until('the staged change seen', (x) => (folderOf(x, 'quiet').gaps ?? 0) > 0, 20000, 4);
      await vscode.commands.executeCommand('ownership._testState', { depth: 4, idle: true, inventory: true });
      const after = await settle('quiet');
      assert.ok(folderOf(s, 'quiet').generation > folderOf(before, 'quiet').generation);
      assert.equal(probe(after, 'git ls-files'), probe(before, 'git ls-files'), 'git ls-files ran for a git add that added no file');
      assert.ok(probe(after, 'git diff') > probe(before, 'git diff'), 'the staged change was diffed');
    } finally {
      await removeFolders(dir);
    }
  });

  test('staged mode: an unstaged edit of OWNERSHIP.yml is announced in the Features view and the status bar, and its action stages it', async function () {
    this.timeout(60000);
    const dir = join(runDir(), 'mr', 'rules');
    makeFixtureRepo(dir, { files: { 'OWNERSHIP.yml': PKG_YML, 'pkg/src/a.ts': '//\n' }, staged: { 'pkg/src/a.ts': '// changed\n' } });
    await addFolders(dir);
    const NOTICE = 'OWNERSHIP.yml has unstaged edits: the commit check will use the staged version';
    try {
      let s = await until('rules analysed, no notice', (x) => folderOf(x, 'rules').state === 'ready' && !row(x.tree, 'rules').children?.some((r) => r.label === NOTICE));
      assert.ok(!s.status.tooltip.includes(NOTICE));
      writeFileSync(join(dir, 'OWNERSHIP.yml'), PKG_YML.replace('    tests: [pkg/test/]\n', ''));
      s = await until('the notice', (x) => !!row(x.tree, 'rules').children?.some((r) => r.label === NOTICE) && x.status.tooltip.includes(NOTICE));
      const notice = row(row(s.tree, 'rules').children, NOTICE);
      assert.equal(notice.command, 'ownership.stageOwnershipFiles');
      assert.equal(folderOf(s, 'rules').gaps, 0, 'the view analyses the rules on disk');
      const staged = await vscode.commands.executeCommand<string[]>('ownership.stageOwnershipFiles', vscode.Uri.file(dir));
      assert.deepEqual(staged, ['OWNERSHIP.yml']);
      assert.equal(git(dir, 'diff', '--name-only'), '', 'OWNERSHIP.yml is staged');
      s = await until('the notice gone', (x) => !row(x.tree, 'rules').children?.some((r) => r.label === NOTICE) && !x.status.tooltip.includes(NOTICE));
    } finally {
      await removeFolders(dir);
    }
  });
});
