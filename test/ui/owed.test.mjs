// An Owed row as a user sees it: the standard fixture's staged change committed as it is (with
// --no-verify, docs waived), so Checkout owes its tests, docs and release notes and Search its
// docs. The feature row says what is owed; expanding it shows one Owed row per piece.
import assert from 'node:assert/strict';
import { makeStandardFixture } from '../harness/fixtures.mjs';
import { SEL, suite, test } from '../harness/ui-test.mjs';

async function rows(page) {
  return page.$$eval(SEL.rows('Features'), (els) =>
    els.map((r) => ({
      label: (r.querySelector('.label-name')?.textContent ?? '').trim(),
      description: (r.querySelector('.label-description')?.textContent ?? '').trim(),
      level: Number(r.getAttribute('aria-level') ?? '0'),
    })),
  );
}

async function waitForRows(page, predicate, what, timeout = 45000) {
  const end = Date.now() + timeout;
  let last = [];
  while (Date.now() < end) {
    last = await rows(page);
    if (predicate(last)) return last;
    await page.waitForTimeout(200);
  }
  throw new Error(`${what}; rows were ${JSON.stringify(last.map((r) => `${r.label} ${r.description}`))}`);
}

suite('owed pieces', () => {
  test('a feature that owes pieces says so, and lists an Owed row per piece', async ({ page, workbench, shot }) => {
    await workbench.openContainer();
    const all = await waitForRows(page, (r) => r.some((x) => x.label === 'Checkout' && /owed/.test(x.description)), 'Checkout never said what it owes');
    const checkout = all.find((r) => r.label === 'Checkout');
    assert.equal(checkout.description, '@payments · tests, docs, release-notes owed');
    assert.match(all.find((r) => r.label === 'Search').description, /docs owed/);
    // Untouched by the (empty) staged change, so collapsed: open it as a person would.
    await page.locator(SEL.rows('Features')).filter({ has: page.locator('.label-name', { hasText: /^Checkout$/ }) }).first().click();
    const open = await waitForRows(page, (r) => r.some((x) => x.label === 'docs owed'), 'no Owed row under Checkout');
    const docs = open.find((r) => r.label === 'docs owed');
    assert.match(docs.description, /^since [0-9a-f]{7} · waived by .+: docs next sprint$/);
    assert.match(open.find((r) => r.label === 'tests owed').description, /not waived/);
    await shot('owed');
  });
}, {
  workspace: (dir) => {
    const repo = makeStandardFixture(dir);
    repo.git('commit', '-q', '--no-verify', '-m', 'checkout: discounts', '-m', 'Ownership-Waived: checkout/docs docs next sprint');
    return repo;
  },
});
