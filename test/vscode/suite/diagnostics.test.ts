// OWNERSHIP.yml in the editor, in a real extension host: problems at their exact ranges (from disk
// and from unsaved edits), "matches no tracked file" warnings, the glob hover, and the command that
// scaffolds a new file. The workspace is the harness's standard fixture repository; every test
// leaves its OWNERSHIP.yml as it found it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseOwnership } from '../../../src/core/parse';

const EXTENSION_ID = 'feature-ownership.feature-ownership';
const TIMEOUT_MS = 15000;

function root(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return folder.uri;
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'ownership');
}

function show(ds: vscode.Diagnostic[]): string {
  return ds.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.code} ${d.message}`).join('\n') || '(none)';
}

/** Waits until the diagnostics of `uri` satisfy `ok`; fails with what they were. */
async function diagnosticsUntil(uri: vscode.Uri, ok: (ds: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
  const end = Date.now() + TIMEOUT_MS;
  for (;;) {
    const ds = ours(uri);
    if (ok(ds)) return ds;
    if (Date.now() > end) assert.fail(`${what}; diagnostics of ${vscode.workspace.asRelativePath(uri)}:\n${show(ds)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The range of the `n`-th occurrence of `needle` in `text`. */
function rangeOf(text: string, needle: string, n = 0): vscode.Range {
  let at = -1;
  for (let i = 0; i <= n; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `"${needle}" not in the text`);
  const before = text.slice(0, at).split('\n');
  const line = before.length - 1;
  const col = before[line]!.length;
  return new vscode.Range(line, col, line, col + needle.length);
}

function sameRange(d: vscode.Diagnostic, r: vscode.Range): boolean {
  return d.range.isEqual(r);
}

async function write(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}

async function read(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/**
 * Resolves once the workspace's file watcher reports events. Right after the window opens it may
 * not yet run, and files written before then are never reported, to the extension or to anyone.
 */
async function fileEventsFlowing(): Promise<void> {
  const watcher = vscode.workspace.createFileSystemWatcher('**/.fo-watch-probe-*');
  let seen = false;
  const sub = watcher.onDidCreate(() => { seen = true; });
  try {
    const end = Date.now() + TIMEOUT_MS;
    for (let i = 0; !seen; i++) {
      assert.ok(Date.now() < end, 'the workspace file watcher never reported an event');
      const probe = vscode.Uri.joinPath(root(), `.fo-watch-probe-${i}`);
      await write(probe, '');
      await new Promise((r) => setTimeout(r, 100));
      await vscode.workspace.fs.delete(probe);
    }
  } finally {
    sub.dispose();
    watcher.dispose();
  }
}

suite('OWNERSHIP.yml diagnostics, hover and create command', () => {
  let main: vscode.Uri;
  let original: string;

  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    await extension.activate();
    main = vscode.Uri.joinPath(root(), 'OWNERSHIP.yml');
    original = await read(main);
    await fileEventsFlowing();
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if ((await read(main).catch(() => undefined)) !== original) await write(main, original);
  });

  test('a file on disk shows every problem at its exact range, including ids declared in another file', async () => {
    const sub = vscode.Uri.joinPath(root(), 'sub', 'OWNERSHIP.yml');
    const text = 'version: 1\nfeatures:\n  - id: Bad Id\n    code: [src/]\n  - id: checkout\n    code: [lib/]\n    tset: [test/]\n';
    await write(sub, text);
    try {
      const ds = await diagnosticsUntil(sub, (d) => d.some((x) => x.code === 'duplicate-id'), 'no duplicate-id problem');
      const badId = ds.find((d) => d.code === 'bad-id');
      assert.ok(badId && sameRange(badId, rangeOf(text, 'Bad Id')), show(ds));
      assert.equal(badId.severity, vscode.DiagnosticSeverity.Error);
      assert.match(badId.message, /invalid feature id "Bad Id"/);
      const unknown = ds.find((d) => d.code === 'unknown-key');
      assert.ok(unknown && sameRange(unknown, rangeOf(text, 'tset')), show(ds));
      const dup = ds.find((d) => d.code === 'duplicate-id')!;
      // The nested file's feature is the duplicate, reported where its entry starts.
      assert.deepEqual([dup.range.start.line, dup.range.start.character], [4, 4], show(ds));
      assert.match(dup.message, /already declared in OWNERSHIP\.yml:4/);
      // sub/ holds no tracked file: its globs match nothing, each warned at its own range.
      const noMatch = ds.filter((d) => d.code === 'no-match');
      assert.deepEqual(noMatch.map((d) => d.severity), [vscode.DiagnosticSeverity.Warning, vscode.DiagnosticSeverity.Warning], show(ds));
      assert.ok(sameRange(noMatch[0]!, rangeOf(text, 'src/')) && sameRange(noMatch[1]!, rangeOf(text, 'lib/')), show(ds));
      assert.equal(ds.length, 5, show(ds));
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(root(), 'sub'), { recursive: true });
    }
    await diagnosticsUntil(sub, (d) => d.length === 0, 'problems of a deleted file stay');
  });

  test('a file whose globs match nothing by the thousand lists 100 warnings and counts the rest in one more, located', async () => {
    const many = vscode.Uri.joinPath(root(), 'many', 'OWNERSHIP.yml');
    // 1,500 features, each with a glob that no tracked file matches.
    const text = `version: 1\nfeatures:\n${Array.from({ length: 1500 }, (_, i) => `  - id: nothing-${i}\n    code: [gone-${i}/]\n`).join('')}`;
    await write(many, text);
    try {
      const ds = await diagnosticsUntil(many, (d) => d.some((x) => x.code === 'no-match-more'), 'no summary of the no-match warnings left out');
      const listed = ds.filter((d) => d.code === 'no-match');
      assert.equal(listed.length, 100, show(ds.slice(0, 5)));
      assert.ok(listed.every((d, i) => sameRange(d, rangeOf(text, `gone-${i}/`))), 'the first 100, each at its glob');
      const more = ds.filter((d) => d.code === 'no-match-more');
      assert.equal(more.length, 1);
      assert.equal(more[0]!.severity, vscode.DiagnosticSeverity.Warning);
      assert.equal(more[0]!.message, '1400 more globs in this file match no tracked file (the first 100 are listed): check the paths, or drop the globs');
      assert.ok(sameRange(more[0]!, rangeOf(text, 'gone-100/')), 'located at the first glob left out');
      assert.equal(ds.length, 101, 'nothing else');
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(root(), 'many'), { recursive: true });
    }
    await diagnosticsUntil(many, (d) => d.length === 0, 'problems of a deleted file stay');
  });

  test('unsaved edits update the problems, and fixing the text clears them', async () => {
    assert.deepEqual(ours(main), [], `the fixture starts clean:\n${show(ours(main))}`);
    const editor = await vscode.window.showTextDocument(main);
    const doc = editor.document;
    const at = rangeOf(doc.getText(), 'warn');
    assert.ok(await editor.edit((e) => e.replace(at, 'loud')));
    const ds = await diagnosticsUntil(main, (d) => d.length > 0, 'no problem for "mode: loud"');
    assert.equal(ds.length, 1, show(ds));
    assert.ok(sameRange(ds[0]!, rangeOf(doc.getText(), 'loud')), show(ds));
    assert.match(ds[0]!.message, /"mode" must be one of: warn, strict/);
    assert.ok(doc.isDirty, 'the edit must stay unsaved: diagnostics come from the editor text');

    // A typo in a glob is valid YAML: it is a warning, at the glob.
    const glob = rangeOf(doc.getText(), 'docs/checkout.md');
    assert.ok(await editor.edit((e) => { e.replace(rangeOf(doc.getText(), 'loud'), 'warn'); e.replace(glob, 'docs/chekout.md'); }));
    const warned = await diagnosticsUntil(main, (d) => d.length === 1 && d[0]!.code === 'no-match', 'no no-match warning for the typo');
    assert.ok(sameRange(warned[0]!, rangeOf(doc.getText(), 'docs/chekout.md')), show(warned));
    assert.equal(warned[0]!.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(warned[0]!.message, /"docs\/chekout\.md" matches no tracked file \(feature "checkout", docs\)/);

    assert.ok(await editor.edit((e) => e.replace(rangeOf(doc.getText(), 'docs/chekout.md'), 'docs/checkout.md')));
    await diagnosticsUntil(main, (d) => d.length === 0, 'problems stay after the fix');
  });

  test('hovering a glob shows how many tracked files it matches', async () => {
    const doc = await vscode.workspace.openTextDocument(main);
    const text = doc.getText();
    const hoverText = async (needle: string, n = 0) => {
      const r = rangeOf(text, needle, n);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', main, r.start.translate(0, 1));
      return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    };
    // src/search/ holds index.ts, committed, and rank.ts, staged: both are tracked.
    const search = await hoverText('src/search/');
    assert.match(search, /`src\/search\/` — feature `search`, code/);
    assert.match(search, /Matches \*\*2 tracked files\*\*/);
    assert.match(search, /`src\/search\/index\.ts`/);
    assert.match(search, /`src\/search\/rank\.ts`/);
    const changelog = await hoverText('CHANGELOG.md');
    assert.match(changelog, /Matches \*\*1 tracked file\*\*/);
    // Not on a glob: no hover of ours.
    assert.doesNotMatch(await hoverText('Checkout'), /tracked file/);
  });

  test('hovering a code glob counts what stays code: the feature\'s criteria carve their files out', async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(main));
    // Unsaved: search's code also claims test/search/, which its tests criterion already holds.
    assert.ok(await editor.edit((e) => e.replace(rangeOf(editor.document.getText(), 'code: [src/search/]'), 'code: [src/search/, test/search/]')));
    const hoverText = async (needle: string, n = 0) => {
      const r = rangeOf(editor.document.getText(), needle, n);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', main, r.start.translate(0, 1));
      return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    };
    const carved = await hoverText('test/search/');
    assert.match(carved, /`test\/search\/` — feature `search`, code/);
    assert.match(carved, /Matches no tracked file as code/);
    assert.match(carved, /It matches \*\*2 tracked files\*\* that are this feature's tests \(2\)/);
    // The same glob under tests counts every file: nothing carves tests.
    assert.match(await hoverText('test/search/', 1), /Matches \*\*2 tracked files\*\*:/);
    // A code glob that its criteria leave alone reads as before.
    assert.match(await hoverText('src/search/'), /Matches \*\*2 tracked files\*\*:/);
  });

  test('"Create OWNERSHIP.yml" opens an existing file rather than overwrite it', async () => {
    const created = await vscode.commands.executeCommand<vscode.Uri>('ownership.createOwnershipFile');
    assert.equal(created?.toString(), main.toString());
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), main.toString());
    assert.equal(await read(main), original);
  });

  test('"Create OWNERSHIP.yml" scaffolds a parseable file from the repository and opens it', async () => {
    await vscode.workspace.fs.delete(main);
    const created = await vscode.commands.executeCommand<vscode.Uri>('ownership.createOwnershipFile');
    assert.equal(created?.toString(), main.toString());
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), main.toString());
    const text = await read(main);
    const parsed = parseOwnership(text, 'OWNERSHIP.yml');
    assert.deepEqual(parsed.problems, [], text);
    const features = parsed.file!.features.map((f) => [f.id, f.code, f.criteria.find((c) => c.name === 'tests')?.patterns]);
    assert.deepEqual(features, [
      ['accounts', ['src/accounts/'], ['test/accounts/']],
      ['checkout', ['src/checkout/'], ['test/checkout/']],
      ['search', ['src/search/'], ['test/search/']],
    ]);
  });
});
