// Acting on a gap (issue 14) in the real extension host, in the `layouts` workbench: one real
// repository per layout (test/harness/fixtures.mjs, makeLayoutsFixture), each with its code staged
// and one piece missing. "Add Missing Piece" creates or opens the file the layout calls for, with
// its content, stages it because the code is staged, and the row stops saying "missing"; "Waive…"
// puts the trailer into the repository's Source Control box and the row says "waived: <reason>".
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { removeWaiverTrailer } from '../../../src/core/commitMessage';
import { activate, folderOf, row, until, type State } from '../support';

interface AddResult {
  kind: 'created' | 'opened' | 'inserted' | 'revealed';
  path: string;
  staged: boolean;
}

const folderPath = (name: string) => {
  const f = vscode.workspace.workspaceFolders?.find((x) => x.name === name);
  assert.ok(f, `workspace folder ${name}`);
  return f.uri.fsPath;
};

const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
const staged = (dir: string) => git(dir, 'diff', '--cached', '--name-only').split('\n').filter(Boolean);

/** The description of `feature`'s `criterion` row in folder `folder`. */
function criterionRow(s: State, folder: string, feature: string, criterion: string): string {
  return row(row(row(s.tree, folder).children, feature).children, criterion).description ?? '';
}

async function addMissing(folder: string, feature: string, criterion: string, extra: Record<string, string> = {}): Promise<{ result: AddResult; text: string }> {
  const result = await vscode.commands.executeCommand<AddResult>('ownership.addMissing', { feature, criterion, folder: folderPath(folder), ...extra });
  assert.ok(result, `Add Missing Piece did nothing in ${folder}`);
  return { result, text: readFileSync(join(folderPath(folder), result.path), 'utf8') };
}

async function missingThenDone(folder: string, feature: string, criterion: string): Promise<void> {
  await until(`${folder}: ${feature} ${criterion} no longer missing`, (s) => !criterionRow(s, folder, feature, criterion).startsWith('missing'), 30000);
}

suite('Acting on a gap: Add Missing Piece and Waive… per layout', () => {
  suiteSetup(async function () {
    this.timeout(90000);
    await activate();
    await until('every layout analysed', (s) => s.folders.length === 7 && s.folders.every((f) => f.state === 'ready' && (f.gaps ?? 0) > 0), 60000);
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the missing rows say so before anything is done', async () => {
    const s = await until('rows', (x) => criterionRow(x, 'mirrored', 'Checkout', 'tests').startsWith('missing'));
    assert.equal(folderOf(s, 'changelog').gaps, 2);
    assert.match(criterionRow(s, 'changesets', 'Web', 'release-notes'), /^missing/);
  });

  test('co-located TypeScript (mocha): src/cart.test.ts beside src/cart.ts, staged, row turns green', async function () {
    this.timeout(60000);
    const { result, text } = await addMissing('colocated', 'cart', 'tests');
    assert.deepEqual(result, { kind: 'created', path: 'src/cart.test.ts', staged: true });
    assert.equal(text, "describe('cart', () => {\n  it('cart: ');\n});\n");
    assert.ok(staged(folderPath('colocated')).includes('src/cart.test.ts'));
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, join(folderPath('colocated'), 'src/cart.test.ts'));
    await missingThenDone('colocated', 'Cart', 'tests');
  });

  test('mirrored TypeScript (jest): test/checkout/cart.test.ts, it.todo', async function () {
    this.timeout(60000);
    const { result, text } = await addMissing('mirrored', 'checkout', 'tests');
    assert.deepEqual(result, { kind: 'created', path: 'test/checkout/cart.test.ts', staged: true });
    assert.match(text, /it\.todo\('cart: '\)/);
    await missingThenDone('mirrored', 'Checkout', 'tests');
    // Again: the file exists now and is opened, not replaced.
    const again = await vscode.commands.executeCommand<AddResult>('ownership.addMissing', { feature: 'checkout', criterion: 'tests', folder: folderPath('mirrored') });
    assert.equal(again, undefined, 'no gap left to act on');
  });

  test('Python tests/ (pytest): tests/test_cart.py', async function () {
    this.timeout(60000);
    const { result, text } = await addMissing('python', 'shop', 'tests');
    assert.deepEqual(result, { kind: 'created', path: 'tests/test_cart.py', staged: true });
    assert.match(text, /^import pytest\n[^]*def test_cart\(\):/);
    await missingThenDone('python', 'Shop', 'tests');
  });

  test('Go: cart/cart_test.go in package cart', async function () {
    this.timeout(60000);
    const { result, text } = await addMissing('golang', 'cart', 'tests');
    assert.deepEqual(result, { kind: 'created', path: 'cart/cart_test.go', staged: true });
    assert.match(text, /^package cart\n\nimport "testing"\n\nfunc TestCart\(t \*testing\.T\)/);
    await missingThenDone('golang', 'Cart', 'tests');
  });

  test('Changesets: a three-word .changeset file naming @acme/web at patch, summary from the commit box', async function () {
    this.timeout(60000);
    const repo = await scmRepository('changesets');
    repo.inputBox.value = 'Fix the cart total\n\nDetails.';
    const { result, text } = await addMissing('changesets', 'web', 'release-notes');
    assert.equal(result.kind, 'created');
    assert.match(result.path, /^\.changeset\/[a-z]+-[a-z]+-[a-z]+\.md$/);
    assert.equal(result.staged, true);
    assert.equal(text, '---\n"@acme/web": patch\n---\n\nFix the cart total\n');
    await missingThenDone('changesets', 'Web', 'release-notes');
  });

  test('towncrier: the chosen type and the branch issue name the fragment', async function () {
    this.timeout(60000);
    const { result, text } = await addMissing('towncrier', 'shop', 'release-notes', { choice: 'bugfix' });
    assert.deepEqual(result, { kind: 'created', path: 'changes/123.bugfix.md', staged: true });
    assert.equal(text, '\n');
    await missingThenDone('towncrier', 'Shop', 'release-notes');
  });

  test('plain CHANGELOG: an Unreleased section with a bullet, the cursor in it', async function () {
    this.timeout(60000);
    const repo = await scmRepository('changelog');
    repo.inputBox.value = 'Cart keeps its items';
    const { result, text } = await addMissing('changelog', 'cart', 'release-notes');
    assert.deepEqual(result, { kind: 'inserted', path: 'CHANGELOG.md', staged: true });
    assert.equal(text, '# Changelog\n\n## [Unreleased]\n\n- Cart keeps its items\n\n## [1.0.0] - 2026-01-01\n\n- First release.\n');
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, join(folderPath('changelog'), 'CHANGELOG.md'));
    assert.deepEqual([editor.selection.active.line, editor.selection.active.character], [4, '- Cart keeps its items'.length]);
    await missingThenDone('changelog', 'Cart', 'release-notes');
  });

  test('the commit box\'s warning offers quick fixes: Complete This Change…, and add or waive each gap of its repository', async function () {
    this.timeout(60000);
    await vscode.commands.executeCommand('workbench.view.scm');
    const root = vscode.Uri.file(folderPath('changelog')).toString();
    let doc: vscode.TextDocument | undefined;
    const end = Date.now() + 30000;
    while (!(doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'vscode-scm' && new URLSearchParams(d.uri.query).get('rootUri') === root))) {
      assert.ok(Date.now() < end, `no commit box document for the changelog repository among ${vscode.workspace.textDocuments.map((d) => d.uri.toString()).join(', ')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const scm = doc;
    await until('the warning on the commit box', () => vscode.languages.getDiagnostics(scm.uri).some((d) => d.source === 'Ownership'), 30000);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', scm.uri, new vscode.Range(0, 0, 0, 0));
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Complete This Change…'), titles.join(', '));
    assert.ok(titles.includes('Add docs for Cart'), titles.join(', '));
    assert.ok(titles.includes('Waive cart/docs…'), titles.join(', '));
    assert.ok(!titles.some((t) => /Checkout|Web\b/.test(t)), `only this repository's gaps: ${titles.join(', ')}`);
  });

  test('Waive…: the trailer goes into the commit box, the row says "waived: <reason>"; removing it un-waives', async function () {
    this.timeout(60000);
    const repo = await scmRepository('changelog');
    repo.inputBox.value = 'Cart keeps its items';
    const messages = await vscode.commands.executeCommand<string[]>('ownership.waive', { feature: 'cart', criterion: 'docs', folder: folderPath('changelog'), reason: 'docs after the design review' });
    assert.deepEqual(messages, ['Cart keeps its items\n\nOwnership-Waived: cart/docs docs after the design review\n']);
    assert.equal(repo.inputBox.value, messages[0]);
    await until('the row says waived', (s) => criterionRow(s, 'changelog', 'Cart', 'docs').startsWith('waived: docs after the design review'), 30000);
    repo.inputBox.value = removeWaiverTrailer(repo.inputBox.value, 'cart', 'docs');
    await vscode.commands.executeCommand('ownership.refresh');
    await until('missing again', (s) => criterionRow(s, 'changelog', 'Cart', 'docs').startsWith('missing'), 30000);
  });

  test('Copy Owners gives the handles, space-separated', async () => {
    assert.equal(await vscode.commands.executeCommand<string>('ownership.contactOwners', 'checkout'), '@payments');
  });
});

interface ScmRepository {
  rootUri: vscode.Uri;
  inputBox: { value: string };
}

async function scmRepository(folder: string): Promise<ScmRepository> {
  const ext = vscode.extensions.getExtension<{ getAPI(v: 1): { repositories: ScmRepository[] } }>('vscode.git');
  assert.ok(ext, 'vscode.git');
  const api = (ext.isActive ? ext.exports : await ext.activate()).getAPI(1);
  const end = Date.now() + 20000;
  for (;;) {
    const r = api.repositories.find((x) => x.rootUri.fsPath === folderPath(folder));
    if (r) return r;
    assert.ok(Date.now() < end, `vscode.git opened no repository for ${folder}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}
