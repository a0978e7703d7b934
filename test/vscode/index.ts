// The extension-test entry point VS Code calls: the extension host require()s this file and
// awaits run(). The same file serves the code-server harness (test/harness/run-ext-tests.mjs)
// and @vscode/test-electron (runElectron.ts).
//
// Env (all optional; the harness sets them on the server, whose extension hosts inherit them):
//   FO_TEST_RESULTS  write a JSON summary here (see Results)
//   FO_TEST_TAG      prefix every reporter line with "[fo-test] ": in code-server the extension
//                    host's console reaches the harness only through the browser console
//   FO_TEST_GREP     only run tests whose full title matches this regular expression
//   FO_TEST_TIMEOUT  per-test timeout in ms (default 20000)
//   FO_TEST_RUN      which workbench this is (default `main`): each suite file runs in one of them
//                    (RUN_OF below); run-ext-tests.mjs builds the others
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';

export interface Results {
  passed: { title: string; durationMs: number }[];
  failed: { title: string; error: string; stack?: string }[];
  pending: string[];
  durationMs: number;
  /** Set when the suite could not be loaded or run at all. */
  error?: string;
}

/**
 * Suite files that need a workbench of their own; every other file runs in `main` (the standard
 * fixture folder). Adding a folder to a single-folder window reloads the extension host, so the
 * multi-root tests open a .code-workspace; the trust tests need workspace trust switched on; the
 * two-window tests open a second window on their folder, which must not disturb the others.
 */
const RUN_OF: Record<string, string> = {
  'multiRoot.test.js': 'multi-root',
  'pipeline.test.js': 'multi-root',
  'stress.test.js': 'multi-root',
  'trust.test.js': 'trust',
  'gapActions.test.js': 'layouts',
  'twoWindows.test.js': 'two-windows',
};

export async function run(): Promise<void> {
  const started = Date.now();
  const results: Results = { passed: [], failed: [], pending: [], durationMs: 0 };
  try {
    // mocha 12 is an ES module: import() works on every Node the extension host may run on,
    // while require() of ES modules needs Node >= 20.19.
    const { default: Mocha } = await import('mocha');
    // No ANSI colours: log-symbols colours ✔ on its own when it sees CI=true, whatever `color` says.
    Mocha.reporters.Base.useColors = false;
    Mocha.reporters.Base.symbols.ok = '✔';
    Mocha.reporters.Base.symbols.err = '✖';
    if (process.env.FO_TEST_TAG) {
      // The remote extension host forwards console.log to the page as one pre-joined string,
      // so printf-style reporter calls must be formatted (and tagged) here.
      Mocha.reporters.Base.consoleLog = (...args: unknown[]) =>
        console.log(
          util
            .format(...args)
            .split('\n')
            .map((line) => `[fo-test] ${line}`)
            .join('\n'),
        );
    }
    const mocha = new Mocha({
      ui: 'tdd',
      color: false,
      reporter: 'spec',
      timeout: Number(process.env.FO_TEST_TIMEOUT) || 20000,
      ...(process.env.FO_TEST_GREP ? { grep: new RegExp(process.env.FO_TEST_GREP) } : {}),
    });
    const suiteDir = path.join(__dirname, 'suite');
    for (const file of fs.readdirSync(suiteDir).sort()) {
      if (file.endsWith('.test.js') && (RUN_OF[file] ?? 'main') === (process.env.FO_TEST_RUN || 'main')) mocha.addFile(path.join(suiteDir, file));
    }
    await mocha.loadFilesAsync();
    const failures = await new Promise<number>((resolve) => {
      const runner = mocha.run(resolve);
      runner.on('pass', (t) => results.passed.push({ title: t.fullTitle(), durationMs: t.duration ?? 0 }));
      runner.on('fail', (t, err: Error) =>
        results.failed.push({ title: t.fullTitle(), error: String(err?.message ?? err), stack: err?.stack }),
      );
      runner.on('pending', (t) => results.pending.push(t.fullTitle()));
    });
    if (failures > 0) throw new Error(`${failures} test(s) failed`);
  } catch (e) {
    if (results.failed.length === 0) results.error = String((e as Error)?.stack ?? e);
    throw e;
  } finally {
    results.durationMs = Date.now() - started;
    writeResults(results);
  }
}

function writeResults(results: Results): void {
  const out = process.env.FO_TEST_RESULTS;
  if (!out) return;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // Written whole and renamed, so a reader polling for the file never sees half of it.
  fs.writeFileSync(`${out}.tmp`, JSON.stringify(results, null, 2));
  fs.renameSync(`${out}.tmp`, out);
}
