// Modules the extension loads on first use, not at activation: `yaml` (through globSites and
// scaffold) takes tens of milliseconds to evaluate, and activation needs neither. esbuild keeps a
// module reached only through require() in a lazily evaluated wrapper, so these calls are where
// yaml is first evaluated in the extension bundle (the parser loads it lazily too, src/core/parse.ts).
// Types are imported with `import type`, which costs nothing at run time.
/* eslint-disable @typescript-eslint/no-require-imports */
export const globSites = (): typeof import('../core/globSites') => require('../core/globSites');
export const scaffold = (): typeof import('../core/scaffold') => require('../core/scaffold');
/* eslint-enable @typescript-eslint/no-require-imports */
