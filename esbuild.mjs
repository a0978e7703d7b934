// Two entry points, as vscode-eslint and the `yo code` template do: the extension (with `vscode`
// external) and the standalone CLI, which the git hooks also run. Types are checked by `tsc --noEmit`.
import * as esbuild from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in a form VS Code's `$esbuild-watch` problem matcher understands. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => { if (watch) console.log('[watch] build started'); });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [problemMatcher],
  define: { PACKAGE_VERSION: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) },
};

const builds = [
  // The banner's timestamp is the first statement of the bundle: activation time includes loading it.
  { ...common, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist', external: ['vscode'], banner: { js: '"use strict"; var __foBundleStart = performance.now();' } },
  // The CLI: dist/cli.js is the launcher (the `ownership` bin), which loads dist/cliMain.js with a code cache.
  { ...common, entryPoints: { cli: 'src/cli/launcher.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  { ...common, entryPoints: { cliMain: 'src/cli/main.ts' }, outdir: 'dist' },
  // The engine's worker thread: the extension starts it from dist/engineWorker.js (src/node/engineClient.ts).
  { ...common, entryPoints: { engineWorker: 'src/node/engineWorker.ts' }, outdir: 'dist' },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  chmodSync('dist/cli.js', 0o755);
}
