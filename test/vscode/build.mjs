// Third esbuild build (beside esbuild.mjs's extension and CLI): the extension-host test tier.
// Bundles the test entry, each suite/*.test.ts and the test-electron launcher to out/test/vscode/,
// CommonJS for Node, with `vscode` (given by the extension host) and `mocha` (ESM, loaded at run
// time from node_modules) left external. Each test file is its own bundle: code it imports from
// src/ is a second copy, so tests talk to the running extension through its exports and commands.
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const suite = readdirSync(join(here, 'suite'))
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => join(here, 'suite', f));

await esbuild.build({
  entryPoints: [join(here, 'index.ts'), join(here, 'runElectron.ts'), ...suite],
  outbase: here,
  outdir: join(here, '..', '..', 'out', 'test', 'vscode'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  sourcemap: 'inline',
  external: ['vscode', 'mocha', '@vscode/test-electron'],
  logLevel: 'warning',
});
