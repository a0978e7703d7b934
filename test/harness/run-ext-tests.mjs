// Runs the extension-host mocha suite inside code-server's real extension host.
//
// code-server has no --extensionTestsPath, but the workbench URL takes a `payload` (the mechanism
// @vscode/test-web uses) with extensionDevelopmentPath / extensionTestsPath; the workbench then
// loads the extension under development, calls the test entry's run() and reports its outcome by
// calling window.codeAutomationExit(0|1), which we expose to the page before navigating.
//
// The suite runs in several workbenches ("runs", see RUNS), each on a fresh code-server: `main`
// (the standard fixture folder), `multi-root` (a .code-workspace: adding a folder to a
// single-folder window would reload the extension host under the tests) and `trust` (workspace
// trust on, the folder untrusted, git on PATH wrapped to log every process it starts).
// test/vscode/index.ts picks each run's files (FO_TEST_RUN).
//
// The bridge: a test cannot click the workbench's DOM (a modal dialog, the trust dialog), so it
// logs `[fo-harness] {"id", "action", ...}` and this script does it in the page, then writes
// `<FO_TEST_RUN_DIR>/bridge/<id>.json` ({ ok, error? }) for the test to read (test/vscode/support.ts).
// A test may also open a second window on the same workspace (`openWindow`: a second page, which
// gets an extension host of its own, with the extension under test and no tests), act in it
// (`window: 1` on any action) and move the focus between the windows (`focus`).
//
// Usage: node test/harness/run-ext-tests.mjs [--extension DIR | --vsix FILE] [--tests FILE]
//          [--workspace DIR] [--results FILE] [--timeout MS] [--run NAME]...
// --vsix tests what users install: each run installs the VSIX into its code-server's extensions
// folder (code-server --install-extension) and points extensionDevelopmentPath at the folder it
// was unpacked to, so the test entry loads while the code under test is the installed copy
// (FO_TEST_INSTALLED_EXTENSION tells test/vscode/suite/installed.test.ts which folder to expect).
// Defaults: the repository as the extension, out/test/vscode/index.js (node test/vscode/build.mjs
// first), every run (a --workspace applies to `main`), .test-output/vscode/results.json (all runs
// merged), 600000 ms per run (the memory test alone takes about 2 minutes here).
// Prints the suite's reporter output and "N passed, N failed"; exits 0 only if all passed.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser, workbenchUrl } from './browser.mjs';
import { REPO_ROOT, ensureCodeServer, installVsix, makeRunDir, since, startCodeServer } from './codeServer.mjs';
import { makeLayoutsFixture, makeMultiRootFixture, makeStandardFixture } from './fixtures.mjs';

const { values: opts } = parseArgs({
  options: {
    extension: { type: 'string', default: REPO_ROOT },
    vsix: { type: 'string' },
    tests: { type: 'string', default: join(REPO_ROOT, 'out', 'test', 'vscode', 'index.js') },
    workspace: { type: 'string' },
    results: { type: 'string', default: join(REPO_ROOT, '.test-output', 'vscode', 'results.json') },
    timeout: { type: 'string', default: '600000' },
    run: { type: 'string', multiple: true },
  },
});

const TAG = '[fo-test] ';
const BRIDGE = '[fo-harness] ';

/** PATH and SHELL with a `git` first that appends "<cwd>\t<args>" to $FO_GIT_LOG, then runs the real one. */
function gitLoggingPath(dir) {
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  mkdirSync(dir, { recursive: true });
  const wrapper = join(dir, 'git');
  writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\t%s\\n' "$PWD" "$*" >> "$FO_GIT_LOG"\nexec '${real}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  // The server resolves the user's environment with "$SHELL -i -l -c …"; a login profile resets
  // PATH (Debian's /etc/profile does), which would drop the wrapper. This shell reads no profile.
  const shell = join(dir, 'sh-noprofile');
  writeFileSync(shell, '#!/bin/sh\nfor last; do :; done\nexec /bin/sh -c "$last"\n');
  chmodSync(shell, 0o755);
  return { PATH: `${dir}:${process.env.PATH}`, SHELL: shell };
}

/** The workbenches the suite runs in: how each is made; test/vscode/index.ts knows their files. */
const RUNS = {
  main: (dir) => ({ workspace: opts.workspace ? resolve(opts.workspace) : makeStandardFixture(join(dir, 'ws')).dir }),
  'multi-root': (dir) => ({ workspace: makeMultiRootFixture(join(dir, 'mr')).workspaceFile }),
  // One repository per layout that Add Missing Piece knows (issue 14).
  layouts: (dir) => ({ workspace: makeLayoutsFixture(join(dir, 'lay')).workspaceFile }),
  trust: (dir) => ({
    workspace: makeStandardFixture(join(dir, 'ut')).dir,
    trust: true,
    env: { ...gitLoggingPath(join(dir, 'gitbin')), FO_GIT_LOG: join(dir, 'git.log') },
  }),
  // The standard fixture, where a test opens a second window on the same folder (issue 15.6).
  'two-windows': (dir) => ({ workspace: makeStandardFixture(join(dir, 'tw')).dir }),
};

async function main() {
  const names = opts.run?.length ? opts.run : Object.keys(RUNS);
  for (const n of names) if (!RUNS[n]) throw new Error(`unknown run "${n}" (runs: ${Object.keys(RUNS).join(', ')})`);
  const tests = resolve(opts.tests);
  const resultsFile = resolve(opts.results);
  if (!existsSync(tests)) throw new Error(`no test entry at ${tests} (run: node test/vscode/build.mjs)`);
  rmSync(resultsFile, { force: true });
  mkdirSync(join(resultsFile, '..'), { recursive: true });
  const entry = await ensureCodeServer();
  const merged = { passed: [], failed: [], pending: [], durationMs: 0 };
  let ok = true;
  for (const name of names) {
    const file = `${resultsFile.replace(/\.json$/, '')}.${name}.json`;
    // A run that cannot start (code-server, Chromium) is one failure of that run; the others still run.
    const outcome = await runOne(name, entry, tests, file).catch((e) => {
      console.log(`[harness] run "${name}" could not run: ${e.stack ?? e}${e.cause ? `\n  cause: ${e.cause.message ?? e.cause}` : ''}`);
      return `error: ${String(e.message ?? e).split('\n')[0]}`;
    });
    const results = readResults(file);
    if (!results) {
      merged.failed.push({ title: `[${name}] the suite wrote no results`, error: `outcome ${outcome}` });
      ok = false;
      continue;
    }
    const tag = (t) => (name === 'main' ? t : `[${name}] ${t}`);
    merged.passed.push(...results.passed.map((t) => ({ ...t, title: tag(t.title) })));
    merged.failed.push(...results.failed.map((t) => ({ ...t, title: tag(t.title) })));
    merged.pending.push(...results.pending.map(tag));
    merged.durationMs += results.durationMs;
    if (results.error) merged.error = [merged.error, `[${name}] ${results.error}`].filter(Boolean).join('\n');
    if (outcome !== 0) ok = false;
  }
  writeFileSync(resultsFile, JSON.stringify(merged, null, 2));
  return report(merged, ok);
}

/** One workbench: a fresh code-server and page; returns the exit code the suite reported. */
async function runOne(name, entry, tests, resultsFile) {
  const t0 = Date.now();
  rmSync(resultsFile, { force: true });
  const run = makeRunDir();
  let server;
  let browser;
  let outcome;
  try {
    const spec = RUNS[name](run.dir);
    const workspace = spec.workspace;
    const extension = opts.vsix ? await installVsix(entry, resolve(opts.vsix), join(run.dir, 'e')) : resolve(opts.extension);
    server = await startCodeServer({
      entry,
      stateDir: join(run.dir, 's'),
      extensionsDir: join(run.dir, 'e'),
      env: {
        ...spec.env,
        ...(spec.trust ? { CS_TRUST: '1' } : {}),
        FO_TEST_RUN: name,
        FO_TEST_RESULTS: resultsFile,
        FO_TEST_TAG: '1',
        FO_TEST_WORKSPACE: workspace,
        FO_TEST_RUN_DIR: run.dir,
        ...(opts.vsix ? { FO_TEST_INSTALLED_EXTENSION: extension } : {}),
      },
    });
    console.log(`[harness] run "${name}": code-server up on port ${server.port}, extension ${extension} (${since(t0)})`);

    browser = await launchBrowser({ profileParent: run.dir });
    const { page } = browser;
    let exit;
    const exited = new Promise((r) => (exit = r));
    await page.exposeFunction('codeAutomationExit', (code) => exit(code));
    const development = ['extensionDevelopmentPath', `vscode-remote://remote${extension}`];
    /** What the bridge acts on: the windows (pages) open so far, and how to open another. */
    const ctx = {
      windows: [page],
      runDir: run.dir,
      async openWindow() {
        const second = await browser.context.newPage();
        second.on('pageerror', (e) => console.log(`[harness] page error (window ${ctx.windows.length}): ${e.message.split('\n')[0]}`));
        ctx.windows.push(second);
        await second.goto(workbenchUrl(server.port, workspace, [development]));
        await second.waitForSelector('.monaco-workbench', { timeout: 120000 });
        return ctx.windows.length - 1;
      },
      /** Brings window `w` to the front, where it has the real focus and the others do not. */
      async focus(w) {
        // playwright emulates focus in every page (each one's document.hasFocus() is true); with
        // two windows the extension must see the real focus, which bringToFront() moves. The
        // emulation is switched off in loaded pages (a navigation would bring it back).
        for (const p of ctx.windows) await (await browser.context.newCDPSession(p)).send('Emulation.setFocusEmulationEnabled', { enabled: false });
        await ctx.windows[w].bringToFront();
      },
    };
    page.on('console', (msg) => {
      const text = msg.text();
      if (text.includes(BRIDGE)) void bridge(ctx, text.slice(text.indexOf(BRIDGE) + BRIDGE.length));
      if (!text.includes(TAG)) return;
      for (const line of text.split('\n')) if (line.includes(TAG)) console.log(line.slice(line.indexOf(TAG) + TAG.length));
    });
    page.on('pageerror', (e) => console.log(`[harness] page error: ${e.message.split('\n')[0]}`));
    const payload = [development, ['extensionTestsPath', `vscode-remote://remote${tests}`]];
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
    console.log(`[harness] run "${name}" finished with ${outcome === 'timeout' ? 'a timeout' : `exit code ${outcome}`} (${since(t0)})`);
    if (outcome !== 0) printExtensionHostLog(join(run.dir, 's', 'ud', 'logs'));
  } finally {
    await browser?.close();
    await server?.stop();
    run.dispose();
  }
  return outcome;
}

/**
 * Does what a test asked in the page: `click` a button by its accessible name (a dialog's, the
 * trust dialog's), `type` text into the open quick input and press Enter, `press` a key, read the
 * open modal dialog (`dialogText`) or a notification or dialog containing some text (`findText`);
 * `openWindow` opens a second window on the workspace (replies with its `window` index) and
 * `focus` brings a window to the front. `window` (default 0, the tests' own) says where to act.
 */
async function bridge(ctx, json) {
  let req;
  try {
    req = JSON.parse(json.split('\n')[0]);
  } catch {
    return;
  }
  const runDir = ctx.runDir;
  const timeout = req.timeoutMs ?? 15000;
  let result = { ok: true };
  try {
    const page = ctx.windows[req.window ?? 0];
    if (!page) throw new Error(`no window ${req.window}`);
    if (req.action === 'openWindow') {
      result = { ok: true, window: await ctx.openWindow() };
    } else if (req.action === 'focus') {
      await ctx.focus(req.window ?? 0);
    } else if (req.action === 'click') {
      const scope = req.dialog ? page.locator('.monaco-dialog-box') : page;
      await scope.getByRole('button', { name: req.name, exact: true }).first().click({ timeout });
    } else if (req.action === 'type') {
      const input = page.locator('.quick-input-widget input[type="text"], .quick-input-widget input:not([type])').first();
      await input.waitFor({ state: 'visible', timeout });
      await input.fill(req.text);
      await page.keyboard.press('Enter');
    } else if (req.action === 'press') {
      await page.keyboard.press(req.key);
    } else if (req.action === 'findText') {
      // A notification, dialog or anything else on screen that contains `text`.
      const el = page.locator('.notification-toast, .monaco-dialog-box').filter({ hasText: req.text }).first();
      await el.waitFor({ state: 'visible', timeout });
      result = { ok: true, text: (await el.innerText()).trim() };
    } else if (req.action === 'dialogText') {
      const box = page.locator('.monaco-dialog-box').first();
      await box.waitFor({ state: 'visible', timeout });
      result = { ok: true, text: (await box.innerText()).trim() };
    } else throw new Error(`unknown action ${req.action}`);
  } catch (e) {
    result = { ok: false, error: String(e?.message ?? e).split('\n')[0] };
  }
  mkdirSync(join(runDir, 'bridge'), { recursive: true });
  writeFileSync(join(runDir, 'bridge', `${req.id}.json.tmp`), JSON.stringify(result));
  // Renamed whole, so the test never reads half a reply.
  renameSync(join(runDir, 'bridge', `${req.id}.json.tmp`), join(runDir, 'bridge', `${req.id}.json`));
}

function readResults(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Prints the summary of all runs; a run without results counted as one failure. */
function report(results, ok) {
  for (const f of results.failed) console.log(`  FAIL ${f.title}: ${f.error}`);
  if (results.error) console.log(`[harness] suite error: ${results.error}`);
  const failed = results.failed.length + (results.error && results.failed.length === 0 ? 1 : 0);
  console.log(`${results.passed.length} passed, ${failed} failed`);
  return failed === 0 && ok ? 0 : 1;
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
