// The code under test is what users install: when the harness runs against a VSIX
// (run-ext-tests.mjs --vsix, as npm test does), the extension that activated must be the copy
// code-server unpacked into its extensions folder — not the development folder, whose
// dist/ may hold a different build. Without --vsix there is nothing to check, and the test says so.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'feature-ownership.feature-ownership';

suite('installed VSIX', () => {
  test('the running extension is the installed copy, with no sources or tests beside it', async function () {
    const expected = process.env.FO_TEST_INSTALLED_EXTENSION;
    if (!expected) this.skip();
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    await ext.activate();
    assert.equal(fs.realpathSync(ext.extensionPath), fs.realpathSync(expected));
    // An unpacked VSIX holds the bundles and docs only (test/harness/vsix-files.txt).
    assert.ok(fs.existsSync(path.join(ext.extensionPath, 'dist', 'extension.js')));
    for (const absent of ['src', 'test', 'bench', 'node_modules', 'tsconfig.json']) {
      assert.ok(!fs.existsSync(path.join(ext.extensionPath, absent)), `${absent} is in the installed extension`);
    }
  });
});
