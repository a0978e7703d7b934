// Owed rows in the Features view, on the standard fixture plus a commit that leaves Checkout's
// tests and release notes owed (committed with --no-verify) and its docs owed (waived), and
// Search's docs owed: the rows, the feature's description, "settled by this commit" when the
// staged change supplies a piece, the Owed filter, the maxCount setting, and a refresh when HEAD
// moves. Waiting is by polling `ownership._testState`, never a fixed sleep.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TreeRow } from '../../../src/extension/testing/testState';
import { git, STANDARD_STAGED, STANDARD_UNSTAGED, writeFiles } from '../../harness/fixtures.mjs';

interface State {
  filter: string;
  folders: { state: string; owed: { head: string; generation: number; pieces: number; commits: number; durationMs: number; steps: number } | null }[];
  tree: TreeRow[];
}

const state = () => vscode.commands.executeCommand<State>('ownership._testState', { depth: 3, idle: true });

function root(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return folder.uri.fsPath;
}

async function until(what: string, ok: (s: State) => boolean, timeoutMs = 20000): Promise<State> {
  const end = Date.now() + timeoutMs;
  let last: State | undefined;
  for (;;) {
    last = await state();
    try {
      if (ok(last)) return last;
    } catch {
      // a row the predicate looks for is not there yet
    }
    if (Date.now() > end) assert.fail(`timed out waiting for: ${what}\n  folders: ${JSON.stringify(last.folders)}\n  rows: ${JSON.stringify(last.tree.map((r) => [r.label, r.description, r.children?.map((c) => [c.label, c.description])]))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const row = (rows: TreeRow[] | undefined, label: string): TreeRow => {
  const r = rows?.find((x) => x.label === label);
  assert.ok(r, `no row "${label}" among [${rows?.map((x) => x.label).join(', ')}]`);
  return r;
};

suite('Owed rows', () => {
  let original = '';
  let debt = '';

  suiteSetup(async function () {
    this.timeout(60000);
    const ext = vscode.extensions.getExtension('feature-ownership.feature-ownership');
    assert.ok(ext);
    await ext.activate();
    await vscode.commands.executeCommand('ownership.selectChanges', 'staged');
    const dir = root();
    original = git(dir, 'rev-parse', 'HEAD').trim();
    await until('the first analysis, nothing owed', (s) => s.folders[0]!.state === 'ready' && s.folders[0]!.owed?.head === original && s.folders[0]!.owed.pieces === 0);
    // The standard staged change, committed as it is: Checkout without tests, docs (waived) and
    // release notes; Search without docs.
    git(dir, 'commit', '-q', '--no-verify', '-m', 'checkout: discounts', '-m', 'Ownership-Waived: checkout/docs docs next sprint');
    debt = git(dir, 'rev-parse', 'HEAD').trim();
  });

  suiteTeardown(async function () {
    this.timeout(60000);
    const dir = root();
    await vscode.commands.executeCommand('ownership.filter', 'all');
    await vscode.workspace.getConfiguration('ownership').update('owed.maxCount', undefined, vscode.ConfigurationTarget.Global);
    git(dir, 'reset', '-q', '--hard', original);
    git(dir, 'clean', '-fdq');
    writeFiles(dir, STANDARD_STAGED);
    git(dir, 'add', '--', ...Object.keys(STANDARD_STAGED));
    writeFiles(dir, STANDARD_UNSTAGED);
    await until('the fixture restored, nothing owed', (s) => s.folders[0]!.owed?.head === original && s.folders[0]!.owed.pieces === 0);
  });

  test('a commit that leaves pieces out shows them under the feature, once HEAD moves', async function () {
    this.timeout(30000);
    const s = await until('owed pieces at the new HEAD', (x) => x.folders[0]!.owed?.head === debt && x.folders[0]!.owed.pieces === 4);
    const short = debt.slice(0, 7);
    const checkout = row(s.tree, 'Checkout');
    assert.equal(checkout.description, '@payments · tests, docs, release-notes owed');
    const owed = checkout.children?.filter((r) => r.label.endsWith(' owed'));
    assert.deepEqual(owed?.map((r) => [r.label, r.description, r.icon]), [
      ['tests owed', `since ${short} · left by Fixture, not waived`, 'history'],
      ['docs owed', `since ${short} · waived by Fixture: docs next sprint`, 'history'],
      ['release-notes owed', `since ${short} · left by Fixture, not waived`, 'history'],
    ].map(([l, d, i]) => [l, d!.replace('Fixture', owedAuthor()), i]));
    assert.match(row(checkout.children, 'docs owed').tooltip ?? '', /checkout: discounts/);
    assert.equal(row(s.tree, 'Search').description, '@discovery · docs owed');
    assert.equal(row(s.tree, 'Accounts').description, '@identity');
  });

  test('a staged change that supplies an owed piece says it will settle it; committing it does', async function () {
    this.timeout(30000);
    const dir = root();
    writeFiles(dir, { 'test/checkout/discount.test.ts': 'test\n' });
    git(dir, 'add', 'test/checkout/discount.test.ts');
    const s = await until('the tests row settles', (x) => row(row(x.tree, 'Checkout').children, 'tests owed').description!.endsWith('settled by this commit'));
    assert.equal(row(row(s.tree, 'Checkout').children, 'tests owed').contextValue, 'owed.settling');
    git(dir, 'commit', '-q', '--no-verify', '-m', 'checkout: tests');
    const after = await until('tests no longer owed', (x) => x.folders[0]!.owed?.pieces === 3);
    assert.equal(row(after.tree, 'Checkout').description, '@payments · docs, release-notes owed');
  });

  test('the Owed filter shows only features that owe something', async function () {
    this.timeout(30000);
    await vscode.commands.executeCommand('ownership.filter', 'owed');
    const s = await until('filtered', (x) => x.filter === 'owed' && x.tree.length === 2);
    assert.deepEqual(s.tree.map((r) => r.label), ['Checkout', 'Search']);
    await vscode.commands.executeCommand('ownership.filter', 'all');
  });

  test('ownership.owed.maxCount bounds the history read; 0 turns Owed rows off', async function () {
    this.timeout(30000);
    const config = vscode.workspace.getConfiguration('ownership');
    await config.update('owed.maxCount', 1, vscode.ConfigurationTarget.Global);
    const one = await until('one change read', (x) => x.folders[0]!.owed?.commits === 1);
    assert.equal(one.folders[0]!.owed!.pieces, 0, 'the last change (tests) owes nothing');
    await config.update('owed.maxCount', 0, vscode.ConfigurationTarget.Global);
    const none = await until('no history read', (x) => x.folders[0]!.owed?.commits === 0);
    assert.ok(!row(none.tree, 'Checkout').children?.some((r) => r.label.endsWith(' owed')));
    assert.equal(row(none.tree, 'Checkout').description, '@payments');
  });
});

function owedAuthor(): string {
  return git(root(), 'log', '-1', '--format=%an', 'HEAD').trim();
}
