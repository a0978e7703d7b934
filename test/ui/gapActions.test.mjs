// Acting on a gap where it is shown (issue 14), in a real workbench on the standard fixture
// (Checkout's code staged without its tests, docs and release notes): the inline "Add Missing
// Piece" on the `missing` release-notes row adds a bullet to CHANGELOG.md's Unreleased section,
// stages it, and the row turns green; the inline "Waive…" on the docs row asks for a reason and
// puts the trailer into the Source Control commit box, and the row says "waived: <reason>".
import assert from 'node:assert/strict';
import { git } from '../harness/fixtures.mjs';
import { SEL, suite, test } from '../harness/ui-test.mjs';

/** The first tree row whose label is exactly `label` (Checkout's rows come first: it has the most gaps). */
const row = (page, label) =>
  page.locator(SEL.rows('Features')).filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();

const description = async (r) => ((await r.locator('.label-description').first().textContent()) ?? '').trim();

async function until(what, ok, timeout = 30000) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = await ok();
    if (last === true) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last !== undefined && last !== false ? ` (last: ${last})` : ''}`);
}

/** Clicks a row's inline action by its title; a re-render under the pointer can swallow a click, so it retries. */
async function clickInline(page, r, title, done) {
  for (let attempt = 0; attempt < 5; attempt++) {
    await r.hover();
    const action = r.locator(`.actions a.action-label[aria-label^="${title}"]`).first();
    await action.waitFor({ state: 'visible', timeout: 10000 });
    await action.click();
    try {
      await until(`${title} to act`, done, 8000);
      return;
    } catch {
      // clicked on a row that was being replaced: hover and click again
    }
  }
  throw new Error(`${title} did nothing`);
}

suite('acting on a gap', () => {
  test('inline "Add Missing Piece" on the missing release-notes row: a bullet in CHANGELOG.md, staged, the row turns green', async ({ page, workbench, workspace, shot }) => {
    await workbench.openContainer();
    const notes = row(page, 'release-notes');
    await notes.waitFor({ timeout: 45000 });
    await until('release-notes says missing', async () => /^missing/.test(await description(notes)) || await description(notes));
    await shot('missing');
    await clickInline(page, notes, 'Add Missing Piece', async () => git(workspace, 'diff', '--cached', '--name-only').split('\n').includes('CHANGELOG.md'));
    // The changelog is open with the cursor in the new bullet.
    await page.locator('.tabs-container .tab[aria-label*="CHANGELOG.md"]').first().waitFor({ timeout: 20000 });
    const changelog = git(workspace, 'show', ':CHANGELOG.md');
    assert.match(changelog, /^# Changelog\n\n## \[Unreleased\]\n\n- \n$/);
    await until('the row turns green', async () => {
      const d = await description(notes);
      return (!/missing/.test(d) && /1 changed/.test(d)) || d;
    });
    const icon = await notes.locator('.custom-view-tree-node-item-icon').first().getAttribute('class');
    assert.match(icon ?? '', /codicon-pass/, 'the row shows the pass icon');
    await shot('added');
  });

  test('inline "Waive…" on the docs row: the trailer in the commit box, the row says "waived: <reason>"', async ({ page, workbench, shot }) => {
    await workbench.openContainer();
    const docs = row(page, 'docs');
    await docs.waitFor({ timeout: 30000 });
    const input = page.locator('.quick-input-widget input').first();
    await clickInline(page, docs, 'Waive', async () => input.isVisible());
    await input.fill('docs after the design review');
    await shot('reason');
    await page.keyboard.press('Enter');
    await until('the docs row says waived', async () => (await description(docs)).startsWith('waived: docs after the design review') || await description(docs));
    await shot('waived');
    await page.keyboard.press('Control+Shift+G');
    const box = page.locator('.scm-editor .view-lines').first();
    await box.waitFor({ timeout: 30000 });
    await until('the trailer in the commit box', async () => {
      // The box wraps long lines: compare with the wrapping undone.
      const text = ((await box.innerText()) ?? '').replace(/[\u00a0\s]+/g, ' ');
      return /Ownership-Waived: checkout\/docs docs after the design review/.test(text) || text;
    });
    await shot('commit-box');
  });
}, { timeout: 120000 });
