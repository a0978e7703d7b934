// Whether this process ran code that a warm run never needs: parsing an OWNERSHIP.yml (yaml and
// Ajv, a few hundred kilobytes of bundle) or scaffolding one. The CLI's launcher keeps its V8
// code cache only from runs that did not (src/cli/launcher.ts): a cache written by such a run
// holds all that code too, twice the size, and every later run paid ~25 ms more to load it.
let cold = false;

/** Called where that code is first required. */
export function markColdPath(): void {
  cold = true;
}

export function ranColdPath(): boolean {
  return cold;
}
