// The bench's production bundles: the options of `esbuild.mjs --production`, written under
// the bench cache, ~/.cache/feature-ownership/bench/dist (tests rebuild dist/ in development mode while they run, which would swap the
// code under measurement and empty the parse cache, keyed by the build, in the middle of a run).
import { build, type BuildOptions } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function productionOptions(root: string, outdir: string): BuildOptions {
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  return { bundle: true, platform: 'node', format: 'cjs', target: 'node18', minify: true, logLevel: 'warning', absWorkingDir: root, outdir, define: { PACKAGE_VERSION: JSON.stringify(version) } };
}

/** dist/cli.js (the launcher), dist/cliMain.js, dist/extension.js and its dist/engineWorker.js as a release builds them, into `outdir`. */
export async function buildProduction(root: string, outdir: string, extra: BuildOptions = {}): Promise<void> {
  const common = { ...productionOptions(root, outdir), ...extra };
  await Promise.all([
    build({ ...common, entryPoints: { cli: 'src/cli/launcher.ts' }, banner: { js: '#!/usr/bin/env node' } }),
    build({ ...common, entryPoints: { cliMain: 'src/cli/main.ts' } }),
    build({ ...common, entryPoints: { extension: 'src/extension/extension.ts' }, external: ['vscode'] }),
    // The engine's worker thread, started by the extension from beside its bundle (src/node/engineClient.ts).
    build({ ...common, entryPoints: { engineWorker: 'src/node/engineWorker.ts' } }),
  ]);
}
