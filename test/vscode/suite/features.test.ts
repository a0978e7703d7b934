// The extension's main body in a real extension host: the Features tree, the status bar, the
// commit-box warning, live refresh after real git commands, welcome states, filters and change
// sources. The workspace is the harness's standard fixture (test/harness/fixtures.mjs): staged
// checkout code with no tests/docs/changelog (3 gaps), staged search code and test without docs
// (1 gap), untouched accounts, an unstaged README edit. Each test restores that state.
//
// Assertions read `ownership._testState`, which renders the real tree provider and status item.
// Waiting is by polling that state until a condition holds (with a timeout), never a fixed sleep.
import * as assert from 'node:assert/strict';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TreeRow } from '../../../src/extension/testing/testState';
import { git, STANDARD_OWNERSHIP_YML, STANDARD_STAGED, STANDARD_UNSTAGED, writeFiles } from '../../harness/fixtures.mjs';

// The rows `ownership._testState` renders: the extension's own type, so the two cannot drift.
type Row = TreeRow;
interface State {
  activationMs: number;
  filter: string;
  folders: { name: string; state: string; generation: number; durationMs: number; gaps: number | null; error: string | null; source: { kind: string; label: string } }[];
  tree: Row[];
  status: { text: string; tooltip: string; visible: boolean; warning: boolean };
  context: Record<string, unknown>;
  scmWarning: string | null;
  globSiteComputations: number;
  triggers: { gitDirWatch: number; gitDirFallback: number; gitExtension: number };
  diagnosticRuns: { started: number; finished: number };
}

const EXTENSION_ID = 'feature-ownership.feature-ownership';

function root(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return folder.uri.fsPath;
}

/** Prints a measurement; the harness shows extension-host console lines only when tagged. */
const note = (m: string) => console.log(process.env.FO_TEST_TAG ? `[fo-test]       ${m}` : `      ${m}`);

const state = (depth = 3) => vscode.commands.executeCommand<State>('ownership._testState', { depth, idle: true });

/** Polls the extension's state until `ok` holds; fails with the last state when it never does. */
async function until(what: string, ok: (s: State) => boolean, timeoutMs = 15000): Promise<State> {
  const end = Date.now() + timeoutMs;
  let last: State | undefined;
  for (;;) {
    last = await state();
    try {
      if (ok(last)) return last;
    } catch {
      // a row the predicate looks for is not there yet
    }
    if (Date.now() > end) {
      const rows = last.tree.map((r) => `${r.label} [${r.description ?? ''}]`).join(', ');
      assert.fail(`timed out waiting for: ${what}\n  folders: ${JSON.stringify(last.folders)}\n  rows: ${rows}\n  status: ${last.status.text}\n  context: ${JSON.stringify(last.context)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const row = (rows: Row[] | undefined, label: string): Row => {
  const r = rows?.find((x) => x.label === label);
  assert.ok(r, `no row "${label}" among [${rows?.map((x) => x.label).join(', ')}]`);
  return r;
};

/** Puts the fixture back: committed tree, the standard staged and unstaged changes. */
function restoreFixture(): void {
  const dir = root();
  rmSync(join(dir, '.git-away'), { recursive: true, force: true });
  git(dir, 'reset', '-q', '--hard', 'HEAD');
  git(dir, 'clean', '-fdq');
  writeFiles(dir, STANDARD_STAGED);
  git(dir, 'add', '--', ...Object.keys(STANDARD_STAGED));
  writeFiles(dir, STANDARD_UNSTAGED);
}

const standard = (s: State) => s.folders[0]!.state === 'ready' && s.status.text.startsWith('$(warning) 4 gaps') && s.filter === 'all';

suite('Features view, status bar and live analysis', () => {
  suiteSetup(async function () {
    this.timeout(60000);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    await ext.activate();
    await vscode.commands.executeCommand('ownership.selectChanges', 'staged');
    await until('the first analysis', (s) => s.folders[0]?.state === 'ready');
  });

  teardown(async function () {
    this.timeout(60000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('ownership').update('tree.maxFiles', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('ownership').update('me', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('ownership.filter', 'all');
    await vscode.commands.executeCommand('ownership.selectChanges', 'staged');
    restoreFixture();
    await until('the standard scenario again', standard);
  });

  test('activates quickly and reports its activation time', async () => {
    const s = await state();
    assert.equal(typeof s.activationMs, 'number');
    note(`activation took ${s.activationMs.toFixed(1)} ms; last analysis ${s.folders[0]!.durationMs} ms`);
  });

  test('the tree lists features with owners and state, gaps first', async () => {
    const s = await until('the standard scenario', standard);
    assert.deepEqual(s.tree.map((r) => r.label), ['Checkout', 'Search', 'Accounts']);
    const checkout = row(s.tree, 'Checkout');
    assert.equal(checkout.description, '@payments · 3 missing');
    assert.equal(checkout.icon, 'warning');
    assert.equal(checkout.contextValue, 'feature');
    assert.match(checkout.tooltip ?? '', /missing/);
    assert.equal(row(s.tree, 'Search').description, '@discovery · 1 missing');
    const accounts = row(s.tree, 'Accounts');
    assert.equal(accounts.description, '@identity', 'an untouched feature shows its owners only');
    assert.notEqual(accounts.icon, 'warning');
    assert.ok(!s.tree.some((r) => r.label.startsWith('Unowned')), 'staged changes are all owned');
  });

  test('criteria say how many files match and which are missing; files list changed ones first', async () => {
    const s = await until('the standard scenario', standard);
    const checkout = row(s.tree, 'Checkout').children;
    assert.deepEqual(checkout?.map((r) => r.label), ['code', 'tests', 'docs', 'release-notes']);
    assert.equal(row(checkout, 'code').description, '1 file · 1 changed');
    assert.equal(row(checkout, 'code').icon, 'pass');
    for (const name of ['tests', 'docs', 'release-notes']) {
      assert.equal(row(checkout, name).description, 'missing · 1 file', name);
      assert.equal(row(checkout, name).contextValue, 'criterion.missing');
    }
    const search = row(s.tree, 'Search').children;
    assert.equal(row(search, 'tests').description, '2 files · 1 changed');
    assert.equal(row(search, 'docs').description, 'missing · 1 file');
    assert.equal(row(row(s.tree, 'Accounts').children, 'docs').description, '1 file · optional');

    const files = row(search, 'code').children;
    assert.deepEqual(files?.map((f) => f.label), ['rank.ts', 'index.ts'], 'the changed file comes first');
    assert.equal(files?.[0]?.description, 'added · src/search');
    assert.equal(files?.[0]?.command, 'ownership._openChange');
    assert.equal(files?.[1]?.command, 'vscode.open');
  });

  test('long file lists are capped with a "… N more" row (ownership.tree.maxFiles)', async () => {
    await vscode.workspace.getConfiguration('ownership').update('tree.maxFiles', 1, vscode.ConfigurationTarget.Global);
    const s = await until('one file per criterion', (x) => row(row(row(x.tree, 'Search').children, 'code').children, '… 1 more') !== undefined);
    const files = row(row(s.tree, 'Search').children, 'code').children;
    assert.deepEqual(files?.map((f) => f.label), ['rank.ts', '… 1 more']);
  });

  test('the status bar counts gaps with a warning background and lists them in its tooltip', async () => {
    const s = await until('the standard scenario', standard);
    assert.equal(s.status.text, '$(warning) 4 gaps');
    assert.ok(s.status.visible);
    assert.ok(s.status.warning, 'the warning background colour is set');
    assert.match(s.status.tooltip, /Checkout \(@payments\) is missing tests, docs and release-notes/);
    assert.match(s.status.tooltip, /Search \(@discovery\) is missing docs/);
  });

  test('the status bar names the active file\'s feature and owner', async () => {
    await vscode.window.showTextDocument(vscode.Uri.file(join(root(), 'src', 'accounts', 'login.ts')));
    const s = await until('the active file in the status bar', (x) => x.status.text.includes('Accounts'));
    assert.equal(s.status.text, '$(warning) 4 gaps · Accounts (@identity)');
  });

  test('the commit message box warns about the gaps', async () => {
    const s = await until('the standard scenario', standard);
    assert.match(s.scmWarning ?? '', /leave 4 gaps/);
    assert.match(s.scmWarning ?? '', /Checkout \(@payments\) is missing tests, docs and release-notes/);
    // The warning is a diagnostic on the SCM input document, once the Source Control view shows it.
    await vscode.commands.executeCommand('workbench.view.scm');
    const end = Date.now() + 15000;
    let found: vscode.Diagnostic | undefined;
    while (!found && Date.now() < end) {
      found = vscode.languages.getDiagnostics().filter(([u]) => u.scheme === 'vscode-scm').flatMap(([, d]) => d).find((d) => d.source === 'Ownership');
      if (!found) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(found, 'no Ownership diagnostic on the commit message box');
    assert.equal(found.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(found.message, /4 gaps/);
  });

  test('staging the missing files with git refreshes the tree and status bar by itself', async () => {
    const before = await until('the standard scenario', standard);
    const dir = root();
    writeFiles(dir, { 'test/checkout/cart.test.ts': '// discount\n', 'docs/checkout.md': '# Checkout\n\nDiscounts.\n', 'CHANGELOG.md': '# Changelog\n\n- Discounts\n' });
    const staged = Date.now();
    git(dir, 'add', 'test/checkout/cart.test.ts', 'docs/checkout.md', 'CHANGELOG.md');
    const s = await until('Checkout complete after git add', (x) => x.status.text === '$(warning) 1 gap');
    note(`refreshed ${Date.now() - staged} ms after git add (analysis ${s.folders[0]!.durationMs} ms)`);
    assert.ok(s.folders[0]!.generation > before.folders[0]!.generation);
    assert.equal(row(s.tree, 'Checkout').description, '@payments · ✓');
    assert.equal(row(s.tree, 'Checkout').icon, 'pass');
    assert.equal(row(row(s.tree, 'Checkout').children, 'tests').description, '1 file · 1 changed');
    // The git directory's own watch saw the index move (not only vscode.git, seconds late on big repositories).
    await until('the git-directory watch fired', (x) => x.triggers.gitDirWatch > before.triggers.gitDirWatch);
    // The diagnostics reran for the index change, yet OWNERSHIP.yml's text is unchanged: its globs are not re-read.
    const after = await until('a diagnostics run that began after git add ended', (x) => x.diagnosticRuns.finished > before.diagnosticRuns.started);
    assert.equal(after.globSiteComputations, before.globSiteComputations, 'glob sites were recomputed for an unchanged OWNERSHIP.yml');

    git(dir, 'reset', '-q', '--', 'docs/checkout.md');
    await until('unstaging brings the docs gap back', (x) => x.status.text === '$(warning) 2 gaps' && row(x.tree, 'Checkout').description === '@payments · 1 missing');
  });

  test('edits to OWNERSHIP.yml count before they are saved', async () => {
    await until('the standard scenario', standard);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(join(root(), 'OWNERSHIP.yml')));
    const editor = await vscode.window.showTextDocument(doc);
    const text = doc.getText();
    const at = text.indexOf('    docs: [docs/search.md]\n');
    assert.ok(at > 0);
    await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(at), doc.positionAt(at + '    docs: [docs/search.md]\n'.length)), ''));
    assert.ok(doc.isDirty);
    const s = await until('Search complete with the unsaved edit', (x) => x.status.text === '$(warning) 3 gaps');
    assert.equal(row(s.tree, 'Search').description, '@discovery · ✓');
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await until('the reverted text counts again', standard);
  });

  test('a save in the working tree is picked up in working-tree mode, with unowned changes', async () => {
    const choice = await vscode.commands.executeCommand('ownership.selectChanges', 'working');
    assert.deepEqual(choice, { kind: 'working' });
    let s = await until('working tree analysed', (x) => x.folders[0]!.source.kind === 'working' && x.tree.some((r) => r.label === 'Unowned changes (1)'));
    assert.deepEqual(row(s.tree, 'Unowned changes (1)').children?.map((r) => r.label), ['README.md']);
    assert.equal(s.context['ownership.changes'], 'working');
    writeFileSync(join(root(), 'docs', 'search.md'), '# Search\n\nRanking.\n');
    s = await until('the docs edit counts', (x) => x.status.text === '$(warning) 3 gaps');
    assert.equal(row(s.tree, 'Search').description, '@discovery · ✓');
  });

  test('branch mode compares with a base ref', async () => {
    const dir = root();
    git(dir, 'switch', '-q', '-c', 'feature-x');
    git(dir, 'commit', '-q', '--no-verify', '-m', 'checkout discount');
    await vscode.commands.executeCommand('ownership.selectChanges', { kind: 'branch', base: 'main' });
    const s = await until('the branch against main', (x) => x.folders[0]!.source.kind === 'branch' && x.status.text === '$(warning) 4 gaps');
    assert.equal(s.folders[0]!.source.label, 'changes since main');
    await vscode.commands.executeCommand('ownership.selectChanges', { kind: 'branch', base: 'no-such-ref' });
    const bad = await until('an unknown base ref is reported', (x) => x.folders[0]!.error !== null);
    assert.match(bad.folders[0]!.error ?? '', /unknown ref "no-such-ref"/);
    await vscode.commands.executeCommand('ownership.selectChanges', 'staged');
    git(dir, 'switch', '-q', 'main');
    git(dir, 'branch', '-q', '-D', 'feature-x');
  });

  test('filters: touched, incomplete, mine', async () => {
    await until('the standard scenario', standard);
    await vscode.commands.executeCommand('ownership.filter', 'touched');
    let s = await state();
    assert.deepEqual(s.tree.map((r) => r.label), ['Checkout', 'Search']);
    assert.equal(s.context['ownership.filtered'], true);
    await vscode.commands.executeCommand('ownership.filter', 'mine');
    s = await state();
    assert.deepEqual(s.tree, [], 'the fixture author owns nothing');
    assert.equal(s.context['ownership.welcome'], 'filteredEmpty');
    await vscode.workspace.getConfiguration('ownership').update('me', ['@identity'], vscode.ConfigurationTarget.Global);
    s = await until('ownership.me claims @identity', (x) => x.tree.length === 1);
    assert.equal(s.tree[0]!.label, 'Accounts');
    writeFiles(root(), { 'src/checkout/cart.ts': '// only checkout\n' });
    git(root(), 'add', 'src/checkout/cart.ts');
    git(root(), 'reset', '-q', '--', 'src/search/rank.ts', 'test/search/rank.test.ts');
    await vscode.commands.executeCommand('ownership.filter', 'incomplete');
    s = await until('only checkout is incomplete', (x) => x.status.text === '$(warning) 3 gaps');
    assert.deepEqual(s.tree.map((r) => r.label), ['Checkout']);
  });

  test('"Which feature owns this file?" names the feature and criterion', async () => {
    await until('the standard scenario', standard);
    const dir = root();
    const hit = await vscode.commands.executeCommand<{ path: string; features: { id: string; criteria: string[] }[] }>('ownership.revealFile', vscode.Uri.file(join(dir, 'test', 'search', 'index.test.ts')));
    assert.deepEqual(hit, { path: 'test/search/index.test.ts', features: [{ id: 'search', criteria: ['tests'] }] });
    const none = await vscode.commands.executeCommand<{ features: unknown[] }>('ownership.revealFile', vscode.Uri.file(join(dir, 'README.md')));
    assert.deepEqual(none?.features, []);
  });

  test('"Open Definition" opens OWNERSHIP.yml at the feature', async () => {
    await until('the standard scenario', standard);
    const at = await vscode.commands.executeCommand<{ file: string; line: number }>('ownership.openDefinition', 'search');
    const expected = STANDARD_OWNERSHIP_YML.split('\n').findIndex((l) => l.includes('id: search')) + 1;
    assert.deepEqual(at, { file: 'OWNERSHIP.yml', line: expected });
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && editor.document.uri.fsPath.endsWith('OWNERSHIP.yml'));
    assert.equal(editor.selection.active.line, expected - 1);
  });

  test('clicking a changed file opens its staged diff', async () => {
    await until('the standard scenario', standard);
    await vscode.commands.executeCommand('ownership._openChange', vscode.workspace.workspaceFolders![0]!.uri, 'src/checkout/cart.ts');
    const end = Date.now() + 10000;
    let input: unknown;
    while (Date.now() < end) {
      input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      if (input instanceof vscode.TabInputTextDiff) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(input instanceof vscode.TabInputTextDiff, 'no diff editor opened');
    assert.equal(input.original.scheme, 'git');
    assert.equal(input.modified.scheme, 'git', 'staged mode shows the index on the right');
  });

  test('welcome states: invalid OWNERSHIP.yml, no OWNERSHIP.yml, not a git repository', async () => {
    await until('the standard scenario', standard);
    const dir = root();
    writeFileSync(join(dir, 'OWNERSHIP.yml'), 'version: 1\nfeatures: [\n');
    let s = await until('invalid', (x) => x.context['ownership.welcome'] === 'invalid');
    assert.deepEqual(s.tree, []);
    assert.equal(s.status.text, '$(error) OWNERSHIP.yml');

    rmSync(join(dir, 'OWNERSHIP.yml'));
    s = await until('no file', (x) => x.context['ownership.welcome'] === 'noFile');
    assert.deepEqual(s.tree, []);
    assert.equal(s.status.visible, false);

    git(dir, 'checkout', '--', 'OWNERSHIP.yml');
    await until('the file is back', standard);

    renameSync(join(dir, '.git'), join(dir, '.git-away'));
    s = await until('not a git repository', (x) => x.context['ownership.welcome'] === 'notGit');
    assert.deepEqual(s.tree, []);
    renameSync(join(dir, '.git-away'), join(dir, '.git'));
    await until('the repository is back', standard);
  });
});
