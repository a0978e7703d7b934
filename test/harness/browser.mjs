// Launches Debian's Chromium through playwright-core. playwright's own browsers are never used:
// `npx playwright install` downloads one, which these machines cannot do.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

/** Flags for a headless, quiet, container-friendly Chromium (root, no GPU, small /dev/shm). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts Chromium with a fresh profile (removed again on close) and returns its context and
 * first page. Env: CHROME_BIN overrides /usr/bin/chromium.
 * @param {{ profileParent?: string, viewport?: { width: number, height: number } }} [options]
 */
export async function launchBrowser(options = {}) {
  const profile = mkdtempSync(join(options.profileParent ?? tmpdir(), 'chrome-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROME_BIN || '/usr/bin/chromium',
    headless: true,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    args: CHROMIUM_ARGS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, close };
}

/**
 * URL of the workbench for `folder` (a `.code-workspace` file opens that multi-root workspace),
 * optionally with a `payload` (list of [key, value] pairs).
 */
export function workbenchUrl(port, folder, payload) {
  const kind = folder.endsWith('.code-workspace') ? 'workspace' : 'folder';
  let url = `http://127.0.0.1:${port}/?${kind}=${encodeURIComponent(folder)}`;
  if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}
