// What a user sees on the standard fixture (staged changes: Checkout's code without its tests,
// docs and release notes; Search's code and tests without its docs), asserted in the DOM of a
// real workbench, clicking through as a person would.
import assert from 'node:assert/strict';
import { SEL, suite, test } from '../harness/ui-test.mjs';

/** Visible rows of the Features tree: label, description and nesting level. */
async function rows(page) {
  return page.$$eval(SEL.rows('Features'), (els) =>
    els.map((r) => ({
      label: (r.querySelector('.label-name')?.textContent ?? '').trim(),
      description: (r.querySelector('.label-description')?.textContent ?? '').trim(),
      level: Number(r.getAttribute('aria-level') ?? '0'),
      expanded: r.getAttribute('aria-expanded'),
    })),
  );
}

/** The rows below the feature labelled `name`, down to the next feature. */
function childrenOf(all, name) {
  const i = all.findIndex((r) => r.label === name);
  assert.ok(i >= 0, `no row "${name}" in ${JSON.stringify(all.map((r) => r.label))}`);
  const out = [];
  for (let j = i + 1; j < all.length && all[j].level > all[i].level; j++) out.push(all[j]);
  return out;
}

async function waitForRows(page, predicate, what, timeout = 30000) {
  const end = Date.now() + timeout;
  let last = [];
  while (Date.now() < end) {
    last = await rows(page);
    if (predicate(last)) return last;
    await page.waitForTimeout(200);
  }
  throw new Error(`${what}; rows were ${JSON.stringify(last.map((r) => `${r.label} ${r.description}`))}`);
}

/** The tree row whose label is exactly `label`. */
const row = (page, label) =>
  page.locator(SEL.rows('Features')).filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();

suite('features view and status bar', () => {
  test('the status bar counts the gaps of the staged change', async ({ page }) => {
    await page.locator(SEL.statusItem('ownership.status')).filter({ hasText: /\b4 gaps\b/ }).waitFor({ timeout: 45000 });
    // The warning background is how VS Code marks an item that needs attention.
    const cls = await page.getAttribute(SEL.statusItem('ownership.status'), 'class');
    assert.match(cls ?? '', /warning-kind/);
  });

  test('the tree lists every feature with its owners and what is missing', async ({ page, workbench }) => {
    await workbench.openContainer();
    const all = await waitForRows(page, (r) => ['Checkout', 'Search', 'Accounts'].every((n) => r.some((x) => x.label === n)), 'features did not appear');
    const byLabel = Object.fromEntries(all.filter((r) => r.level === 1).map((r) => [r.label, r.description]));
    assert.match(byLabel.Checkout, /@payments/);
    assert.match(byLabel.Checkout, /3 missing/);
    assert.match(byLabel.Search, /1 missing/);
    assert.doesNotMatch(byLabel.Accounts, /missing/, 'Accounts is untouched');
  });

  test('under a touched feature, the criteria the change leaves out say "missing"', async ({ page, shot }) => {
    const all = await waitForRows(page, (r) => childrenOf(r, 'Checkout').length >= 4, 'Checkout has no criteria rows');
    const crit = Object.fromEntries(childrenOf(all, 'Checkout').map((r) => [r.label, r.description]));
    assert.match(crit.tests, /missing/);
    assert.match(crit.docs, /missing/);
    assert.match(crit['release-notes'], /missing/);
    assert.match(crit.code, /1 changed/);
    assert.doesNotMatch(crit.code, /missing/);
    const search = Object.fromEntries(childrenOf(all, 'Search').map((r) => [r.label, r.description]));
    assert.doesNotMatch(search.tests, /missing/);
    assert.match(search.docs, /missing/);
    await shot('features');
  });

  test('expanding a criterion lists its files; clicking a changed file opens it', async ({ page }) => {
    await row(page, 'code').click();
    await row(page, 'cart.ts').waitFor({ timeout: 20000 });
    // A refresh of the tree (the git extension settling after start-up) can re-render the row
    // under the pointer, swallowing a click; a person would click again, and so does the test.
    const tab = page.locator('.tabs-container .tab[aria-label*="cart.ts"]');
    for (let attempt = 1; ; attempt++) {
      await row(page, 'cart.ts').click();
      try {
        await tab.first().waitFor({ timeout: 8000 });
        break;
      } catch (e) {
        if (attempt === 3) throw e;
      }
    }
  });

  test('with a feature file open, the status bar names its feature and owner', async ({ page }) => {
    await page.locator(SEL.statusItem('ownership.status')).filter({ hasText: /Checkout \(@payments\)/ }).waitFor({ timeout: 30000 });
  });

  test('clicking the status bar item brings the Features view back', async ({ page, workbench }) => {
    await workbench.runCommand('View: Close Primary Side Bar');
    await page.waitForSelector(SEL.container('ownership'), { state: 'hidden', timeout: 15000 });
    await page.click(SEL.statusItem('ownership.status'));
    await page.waitForSelector(SEL.container('ownership'), { state: 'visible', timeout: 15000 });
  });

  test('"Which Feature Owns This File?" from the palette names the feature', async ({ page, workbench, shot }) => {
    await workbench.runCommand('Ownership: Which Feature Owns This File?');
    const toast = page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'src/checkout/cart.ts belongs to' });
    await toast.first().waitFor({ timeout: 20000 });
    assert.match(await toast.first().textContent(), /Checkout/);
    await shot('which-feature');
  });
});
