// First UI test: the extension's contributions appear in a real workbench opened on the standard
// fixture (staged changes that leave tests and docs missing).
import assert from 'node:assert/strict';
import { SEL, suite, test } from '../harness/ui-test.mjs';

suite('workbench', () => {
  test('renders', async ({ page }) => {
    assert.ok(await page.isVisible(SEL.workbench));
  });

  test('status bar item is present', async ({ page }) => {
    await page.waitForSelector(SEL.statusItem('ownership.status'), { timeout: 30000 });
  });

  test('the "Ownership" activity bar entry opens its container', async ({ workbench }) => {
    await workbench.openContainer('Ownership', 'ownership');
  });

  test('the Features tree shows rows', async ({ workbench, shot }) => {
    const labels = await workbench.treeLabels('Features', 1);
    assert.ok(labels.length > 0);
    await shot('ownership-view');
  });
});
