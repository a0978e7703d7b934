// A small runner for UI tests: real workbench in headless Chromium against a code-server that
// has the extension installed. Test files (test/ui/*.test.mjs) register suites at import time:
//
//   import assert from 'node:assert/strict';
//   import { suite, test, SEL } from '../harness/ui-test.mjs';
//
//   suite('tree', () => {
//     test('shows the features', async ({ page, workbench }) => {
//       await workbench.openContainer();
//       assert.ok((await workbench.treeLabels()).includes('Checkout'));
//     });
//   }, { workspace: (dir) => makeFixtureRepo(dir, { ... }) }); // optional, default: standard fixture
//
// Every suite gets a fresh page on its own workspace, waits for the workbench, then runs its
// tests in order (they share the page, so later tests see what earlier ones did). A failing
// test leaves a screenshot in the output folder; `ctx.shot(name)` takes one on purpose.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { workbenchUrl } from './browser.mjs';

const EXT = 'feature-ownership.feature-ownership';

/** DOM hooks of the workbench and of this extension's contributions (VS Code 1.100). */
export const SEL = {
  workbench: '.monaco-workbench',
  /** A status bar item created with createStatusBarItem(id): `<publisher>.<name>.<id>`. */
  statusItem: (id = 'ownership.status') => `[id="${EXT}.${id}"]`,
  /**
   * The activity bar entry of a view container, by its title. A badge makes the label
   * "<title> - <badge>" and covers the icon, so this is the item holding both: click this.
   */
  activity: (title = 'Ownership') =>
    `.activitybar li.action-item:has(> a.action-label:is([aria-label="${title}"], [aria-label^="${title} - "]))`,
  /** An open view container, by its id. */
  container: (id = 'ownership') => `[id="workbench.view.extension.${id}"]`,
  /** A tree view, by its name; rows carry the item's tooltip or label as aria-label. */
  tree: (name = 'Features') => `.monaco-list[aria-label="${name}"]`,
  rows: (name = 'Features') => `.monaco-list[aria-label="${name}"] .monaco-list-row`,
};

/** Workbench helpers bound to one page. */
export class Workbench {
  constructor(page) {
    this.page = page;
  }

  /** Opens a view container from the activity bar (no-op when it is already open). */
  async openContainer(title = 'Ownership', id = 'ownership') {
    if (await this.page.isVisible(SEL.container(id))) return;
    await this.page.click(SEL.activity(title), { timeout: 30000 });
    await this.page.waitForSelector(SEL.container(id), { timeout: 30000 });
  }

  /** Waits for at least `min` rows in a tree view and returns their visible labels. */
  async treeLabels(name = 'Features', min = 1, timeout = 30000) {
    await this.page.locator(SEL.rows(name)).nth(min - 1).waitFor({ timeout });
    return this.page.$$eval(SEL.rows(name), (rows) =>
      rows.map((r) => (r.querySelector('.label-name')?.textContent ?? r.getAttribute('aria-label') ?? '').trim()),
    );
  }

  /** Text of a status bar item of this extension, once it is shown. */
  async statusText(id = 'ownership.status', timeout = 30000) {
    const el = await this.page.waitForSelector(SEL.statusItem(id), { timeout });
    return (await el.textContent()).trim();
  }

  /** Runs a command by its palette title (e.g. "Ownership: Refresh"). */
  async runCommand(title) {
    await this.page.keyboard.press('F1');
    const input = await this.page.waitForSelector('.quick-input-widget input', { timeout: 10000 });
    await input.fill(`>${title}`);
    await this.page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${title}"]`, { timeout: 10000 });
    await this.page.keyboard.press('Enter');
  }
}

const suites = [];
let current;

/**
 * Registers a suite. Options: `workspace(dir)` builds the folder to open (default: the
 * runner's standard fixture); `timeout` is the default per-test timeout in ms (60000).
 */
export function suite(name, body, options = {}) {
  const s = { name, tests: [], options };
  current = s;
  try {
    body();
  } finally {
    current = undefined;
  }
  suites.push(s);
}

/** Registers a test in the enclosing suite; `fn(ctx)` gets { page, workbench, workspace, shot }. */
export function test(name, fn, { timeout } = {}) {
  if (!current) throw new Error(`test "${name}" outside a suite`);
  current.tests.push({ name, fn, timeout });
}

/** The suites registered so far (the runner imports the test files, then reads these). */
export function registeredSuites() {
  return suites;
}

const fileSafe = (s) => s.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();

/**
 * Runs the registered suites against the server on `port`, one fresh page per suite.
 * `workspaceFor(suite)` returns the folder to open. Returns { passed, failed, results }.
 */
export async function runSuites({ context, port, outDir, workspaceFor, log = console.log }) {
  mkdirSync(outDir, { recursive: true });
  const results = [];
  for (const s of suites) {
    const t0 = Date.now();
    log(`  ${s.name}`);
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message.split('\n')[0]));
    const shot = async (name) => {
      const file = join(outDir, `${fileSafe(s.name)}-${fileSafe(name)}.png`);
      await page.screenshot({ path: file }).catch(() => {});
      return file;
    };
    let setupError;
    let workspace;
    try {
      workspace = await workspaceFor(s);
      await page.goto(workbenchUrl(port, workspace));
      await page.waitForSelector(SEL.workbench, { timeout: 90000 });
    } catch (e) {
      setupError = e;
    }
    const workbench = new Workbench(page);
    for (const t of s.tests) {
      const title = `${s.name} ${t.name}`;
      const started = Date.now();
      try {
        if (setupError) throw new Error(`workbench did not load: ${setupError.message.split('\n')[0]}`);
        let timer;
        const limit = t.timeout ?? s.options.timeout ?? 60000;
        await Promise.race([
          t.fn({ page, workbench, workspace, shot }),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${limit} ms`)), limit))),
        ]).finally(() => clearTimeout(timer));
        results.push({ title, ok: true, durationMs: Date.now() - started });
        log(`    ok   ${t.name} (${Date.now() - started} ms)`);
      } catch (e) {
        const file = await shot(`${t.name}-failure`);
        const message = String(e?.message ?? e).split('\n')[0];
        results.push({ title, ok: false, error: message, screenshot: file, durationMs: Date.now() - started });
        log(`    FAIL ${t.name}: ${message}\n         screenshot: ${file}`);
      }
    }
    await shot('final');
    if (pageErrors.length) log(`    (page errors: ${pageErrors.slice(0, 3).join(' | ')})`);
    await page.close().catch(() => {});
    log(`    (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  }
  const passed = results.filter((r) => r.ok).length;
  return { passed, failed: results.length - passed, results };
}
