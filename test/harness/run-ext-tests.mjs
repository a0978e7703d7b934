// Runs the extension-host mocha suite inside code-server's real extension host.
//
// code-server has no --extensionTestsPath, but the workbench URL takes a `payload` (the mechanism
// @vscode/test-web uses) with extensionDevelopmentPath / extensionTestsPath; the workbench then
// loads the extension under development, calls the test entry's run() and reports its outcome by
// calling window.codeAutomationExit(0|1), which we expose to the page before navigating.
//
// Usage: node test/harness/run-ext-tests.mjs [--extension DIR] [--tests FILE] [--workspace DIR]
//          [--results FILE] [--timeout MS]
// Defaults: the repository as the extension, out/test/vscode/index.js (npm run build:vscode-tests
// first), a fresh standard fixture repository, .test-output/vscode/results.json, 300000 ms.
// Prints the suite's reporter output and "N passed, N failed"; exits 0 only if all passed.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser, workbenchUrl } from './browser.mjs';
import { REPO_ROOT, ensureCodeServer, makeRunDir, since, startCodeServer } from './codeServer.mjs';
import { makeStandardFixture } from './fixtures.mjs';

const { values: opts } = parseArgs({
  options: {
    extension: { type: 'string', default: REPO_ROOT },
    tests: { type: 'string', default: join(REPO_ROOT, 'out', 'test', 'vscode', 'index.js') },
    workspace: { type: 'string' },
    results: { type: 'string', default: join(REPO_ROOT, '.test-output', 'vscode', 'results.json') },
    timeout: { type: 'string', default: '300000' },
  },
});

const TAG = '[fo-test] ';

async function main() {
  const t0 = Date.now();
  const extension = resolve(opts.extension);
  const tests = resolve(opts.tests);
  const resultsFile = resolve(opts.results);
  if (!existsSync(tests)) throw new Error(`no test entry at ${tests} (run: node test/vscode/build.mjs)`);
  rmSync(resultsFile, { force: true });
  mkdirSync(join(resultsFile, '..'), { recursive: true });

  const entry = await ensureCodeServer();
  const run = makeRunDir();
  let server;
  let browser;
  let outcome;
  try {
    const workspace = opts.workspace ? resolve(opts.workspace) : makeStandardFixture(join(run.dir, 'ws')).dir;
    server = await startCodeServer({
      entry,
      stateDir: join(run.dir, 's'),
      extensionsDir: join(run.dir, 'e'),
      env: {
        FO_TEST_RESULTS: resultsFile,
        FO_TEST_TAG: '1',
        FO_TEST_WORKSPACE: workspace,
        FO_TEST_RUN_DIR: run.dir,
      },
    });
    console.log(`[harness] code-server up on port ${server.port} (${since(t0)})`);

    browser = await launchBrowser({ profileParent: run.dir });
    const { page } = browser;
    console.log(`[harness] browser launched (${since(t0)})`);
    let exit;
    const exited = new Promise((r) => (exit = r));
    await page.exposeFunction('codeAutomationExit', (code) => exit(code));
    page.on('console', (msg) => {
      const text = msg.text();
      if (!text.includes(TAG)) return;
      for (const line of text.split('\n')) if (line.includes(TAG)) console.log(line.slice(line.indexOf(TAG) + TAG.length));
    });
    page.on('pageerror', (e) => console.log(`[harness] page error: ${e.message.split('\n')[0]}`));
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://remote${extension}`],
      ['extensionTestsPath', `vscode-remote://remote${tests}`],
    ];
    await page.goto(workbenchUrl(server.port, workspace, payload));
    page
      .waitForSelector('.monaco-workbench', { timeout: 120000 })
      .then(() => console.log(`[harness] workbench ready (${since(t0)})`))
      .catch(() => {});
    let timer;
    outcome = await Promise.race([
      exited,
      new Promise((r) => (timer = setTimeout(() => r('timeout'), Number(opts.timeout)))),
    ]);
    clearTimeout(timer);
    console.log(`[harness] suite finished with ${outcome === 'timeout' ? 'a timeout' : `exit code ${outcome}`} (${since(t0)})`);
    if (outcome !== 0) printExtensionHostLog(join(run.dir, 's', 'ud', 'logs'));
  } finally {
    await browser?.close();
    await server?.stop();
    run.dispose();
  }
  return report(resultsFile, outcome);
}

/** Prints the summary from the results file; a missing file counts as one failure. */
function report(resultsFile, outcome) {
  let results;
  try {
    results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  } catch {
    console.log(`[harness] the suite wrote no results to ${resultsFile}`);
    console.log('0 passed, 1 failed');
    return 1;
  }
  for (const f of results.failed) console.log(`  FAIL ${f.title}: ${f.error}`);
  if (results.error) console.log(`[harness] suite error: ${results.error}`);
  const failed = results.failed.length + (results.error && results.failed.length === 0 ? 1 : 0);
  console.log(`${results.passed.length} passed, ${failed} failed`);
  return failed === 0 && outcome === 0 ? 0 : 1;
}

/** Shows the tail of the extension host's log: where activation errors and crashes end up. */
function printExtensionHostLog(logsDir) {
  const logs = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/^(remote)?exthost\.log$/i.test(e.name)) logs.push(p);
    }
  };
  try {
    walk(logsDir);
  } catch {
    return;
  }
  for (const log of logs) {
    const lines = readFileSync(log, 'utf8').trim().split('\n').slice(-30);
    const short = lines.map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l));
    console.log(`[harness] --- ${log} (last 30 lines)\n${short.join('\n')}`);
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[harness] ${e.stack ?? e}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
