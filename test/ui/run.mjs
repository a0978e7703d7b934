// Runs the UI tests (test/ui/*.test.mjs, or the files given) in headless Chromium against a
// sandboxed code-server that has the extension installed, on fixture repositories with staged
// changes. Screenshots and results.json go to .test-output/ui/.
//
// Usage: node test/ui/run.mjs [--extension DIR | --vsix FILE] [FILE...]
//   --extension  extension folder to install by symlink (default: the repository; needs
//                `npm run build` for dist/extension.js)
//   --vsix       install this packaged extension instead (code-server --install-extension)
// Env: FO_KEEP_RUN=1 keeps the per-run folder (server logs, workspaces) for inspection.
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { launchBrowser } from '../harness/browser.mjs';
import { REPO_ROOT, ensureCodeServer, installVsix, makeRunDir, since, startCodeServer } from '../harness/codeServer.mjs';
import { makeStandardFixture } from '../harness/fixtures.mjs';
import { registeredSuites, runSuites } from '../harness/ui-test.mjs';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: { extension: { type: 'string', default: REPO_ROOT }, vsix: { type: 'string' } },
});
const OUT = join(REPO_ROOT, '.test-output', 'ui');
const HERE = fileURLToPath(new URL('.', import.meta.url));

async function installExtension(entry, extensionsDir) {
  mkdirSync(extensionsDir, { recursive: true });
  if (opts.vsix) {
    // The CLI only unpacks into the extensions folder; no server runs yet, so no restart needed.
    return `VSIX ${opts.vsix}, installed at ${await installVsix(entry, resolve(opts.vsix), extensionsDir)}`;
  }
  // A folder in a fresh extensions dir (no extensions.json yet) is picked up when the server
  // starts: a server that is already running would need a restart to see it.
  const ext = resolve(opts.extension);
  const manifest = JSON.parse(readFileSync(join(ext, 'package.json'), 'utf8'));
  const main = manifest.main ? join(ext, manifest.main) : undefined;
  if (main && !existsSync(main) && !existsSync(`${main}.js`)) throw new Error(`${main} is missing: run npm run build`);
  symlinkSync(ext, join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`));
  return `folder ${ext}`;
}

async function main() {
  const t0 = Date.now();
  const files = positionals.length
    ? positionals.map((f) => resolve(f))
    : readdirSync(HERE)
        .filter((f) => f.endsWith('.test.mjs'))
        .sort()
        .map((f) => join(HERE, f));
  for (const f of files) await import(pathToFileURL(f).href);
  if (registeredSuites().length === 0) throw new Error('no UI suites found');

  const entry = await ensureCodeServer();
  const run = makeRunDir();
  let server;
  let browser;
  let summary;
  try {
    const installed = await installExtension(entry, join(run.dir, 'e'));
    // The commit hook inherits the extension host's environment: a loaded test machine may need
    // more than the default 2 s for the editor to acknowledge (commitPrompt.test.mjs).
    server = await startCodeServer({ entry, stateDir: join(run.dir, 's'), extensionsDir: join(run.dir, 'e'), env: { OWNERSHIP_IPC_CONNECT_TIMEOUT_MS: '30000' } });
    console.log(`[ui] code-server up on port ${server.port} with the extension from ${installed} (${since(t0)})`);
    browser = await launchBrowser({ profileParent: run.dir });
    console.log(`[ui] browser launched (${since(t0)})`);
    let n = 0;
    summary = await runSuites({
      context: browser.context,
      port: server.port,
      outDir: OUT,
      workspaceFor: (s) => {
        const dir = join(run.dir, n++ === 0 ? 'shop' : `shop${n}`);
        return (s.options.workspace ? s.options.workspace(dir) : makeStandardFixture(dir))?.dir ?? dir;
      },
    });
  } finally {
    await browser?.close();
    await server?.stop();
    run.dispose();
  }
  writeFileSync(join(OUT, 'results.json'), JSON.stringify(summary, null, 2));
  console.log(`[ui] done (${since(t0)})`);
  console.log(`${summary.passed} passed, ${summary.failed} failed`);
  return summary.failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[ui] ${e.stack ?? e}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
