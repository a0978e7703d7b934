// Runs the extension-host suite in a downloaded desktop VS Code through @vscode/test-electron,
// for machines that can reach update.code.visualstudio.com (this project's CI cannot, and uses
// test/harness/run-ext-tests.mjs with code-server instead; both call the same index.ts).
// Usage: npm run test:electron  [env VSCODE_VERSION=stable|insiders|1.90.0]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { makeStandardFixture } from '../harness/fixtures.mjs';
import type { Results } from './index';

async function main(): Promise<number> {
  const root = path.resolve(__dirname, '..', '..', '..');
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fo-e-'));
  const workspace = makeStandardFixture(path.join(runDir, 'ws')).dir;
  const resultsFile = path.join(root, '.test-output', 'vscode', 'results.json');
  fs.rmSync(resultsFile, { force: true });
  try {
    await runTests({
      version: process.env.VSCODE_VERSION || 'stable',
      // Next to code-server's install rather than .vscode-test/ in the repository.
      cachePath: path.join(process.env.FO_CACHE || path.join(os.homedir(), '.cache', 'feature-ownership'), 'vscode-test'),
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(__dirname, 'index.js'),
      launchArgs: [
        workspace,
        '--user-data-dir', path.join(runDir, 'ud'),
        '--extensions-dir', path.join(runDir, 'ext'),
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
      ],
      extensionTestsEnv: { FO_TEST_RESULTS: resultsFile, FO_TEST_WORKSPACE: workspace, FO_TEST_RUN_DIR: runDir },
    });
  } catch (e) {
    console.error(`test-electron: ${String(e)}`);
  } finally {
    fs.rmSync(runDir, { recursive: true, force: true });
  }
  let results: Results | undefined;
  try {
    results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as Results;
  } catch {
    // no results: VS Code could not be downloaded or started, or the suite never ran
  }
  const passed = results?.passed.length ?? 0;
  const failed = (results?.failed.length ?? 0) + (results && !results.error ? 0 : 1);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
