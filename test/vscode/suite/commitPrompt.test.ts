// The commit prompt (issue 4) in the real extension host: the commit check installed by its
// command, the extension's channel published for the hook, a question sent by the hook's own
// client reaching the editor's modal, a wrong token refused, and the check removed again. The
// real modal, clicked, with a real `git commit` from the Source Control view, is in the UI tier
// (test/ui/commitPrompt.test.mjs): VS Code refuses dialogs while extension tests run.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { askExtension } from '../../../src/node/ipc';
import { activate, note, ownEndpoint, until } from '../support';

const root = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;

suite('Commit prompt in the editor', () => {
  suiteSetup(async function () {
    this.timeout(60000);
    await activate();
    await until('the first analysis', (st) => st.folders[0]?.state === 'ready' && st.folders[0].gaps === 4);
    await vscode.commands.executeCommand('ownership.installCommitCheck');
    await ownEndpoint(root());
    assert.ok(existsSync(join(root(), '.git', 'hooks', 'pre-commit')), 'Install Commit Check installed no pre-commit hook');
    assert.ok(existsSync(join(root(), '.git', 'hooks', 'commit-msg')), 'Install Commit Check installed no commit-msg hook');
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  test('a question from the hook over the local channel reaches the editor\'s modal, worded for the user', async function () {
    this.timeout(60000);
    // The hook's own client (src/node/ipc.ts), as `ownership hook run pre-commit` uses it. VS Code
    // refuses modal dialogs while extension tests run ("refused to show dialog in tests"), and says
    // what it would have shown: so this proves the request reached showWarningMessage with the
    // right text. Answering the real modal by clicking it is the UI tier's (test/ui/commitPrompt.test.mjs).
    const r = await askExtension(join(root(), '.git'), {
      repoRoot: root(),
      headline: 'Checkout (@payments) is missing tests, and 1 more feature has gaps',
      features: [
        { id: 'checkout', name: 'Checkout', owners: ['@payments'], gaps: ['tests'], mode: 'warn', sentence: 'Checkout (@payments) is missing tests' },
        { id: 'search', name: 'Search', owners: ['@discovery'], gaps: ['docs'], mode: 'warn', sentence: 'Search (@discovery) is missing docs' },
      ],
    }, { connectTimeoutMs: 30000, answerTimeoutMs: 30000 });
    assert.ok('noAnswer' in r, `answered without a dialog: ${JSON.stringify(r)}`);
    note(`the editor: ${r.noAnswer}`);
    assert.match(r.noAnswer, /refused to show dialog in tests/);
    assert.match(r.noAnswer, /Checkout \(@payments\) is missing tests, and 1 more feature has gaps in this commit\./);
  });

  test('a wrong token is refused, and nobody is asked', async () => {
    const endpoint = await ownEndpoint(root());
    const reply = await new Promise<string>((resolve, reject) => {
      const sock = createConnection(endpoint.socket);
      let data = '';
      sock.on('connect', () => sock.write(`${JSON.stringify({ token: 'f'.repeat(64), question: { repoRoot: root(), headline: 'x', features: [] } })}\n`));
      sock.on('data', (d) => (data += d));
      sock.on('close', () => resolve(data));
      sock.on('error', reject);
    });
    assert.match(reply, /unauthorized/);
  });

  test('Remove Commit Check takes the hooks out again', async function () {
    this.timeout(30000);
    await vscode.commands.executeCommand('ownership.removeCommitCheck');
    assert.ok(!existsSync(join(root(), '.git', 'hooks', 'pre-commit')));
    assert.ok(!existsSync(join(root(), '.git', 'hooks', 'commit-msg')));
  });
});
