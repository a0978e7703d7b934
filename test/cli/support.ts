// CLI specs run the built `node dist/cli.js` (what hooks and CI run) on real temporary
// repositories; the plumbing is shared with the reliability tier.
import { strict as assert } from 'node:assert';
import { run, type Io } from '../../src/cli/main';
import { cli, git, type CliResult } from '../reliability/support';

export { buildCli, cleanup, cli, commitAll, git, initRepo, tempDir, write } from '../reliability/support';

/** The JSON verdict of `check --format json`, asserting the run printed one. */
export interface JsonVerdict {
  schemaVersion: number;
  features: { id: string; name: string; owners: string[]; file: string; touched: boolean; changed: Record<string, string[]>; gaps: string[]; waived: { criterion: string; reason: string }[] }[];
  unowned: string[];
  summary: { touched: number; incomplete: number; gaps: number };
}

export function checkJson(dir: string, ...args: string[]): JsonVerdict & { status: number | null } {
  const r = cli(dir, ['check', '--format', 'json', ...args]);
  assert.ok(r.status === 0 || r.status === 1, `check failed (${r.status}):\n${r.stderr}`);
  return { ...(JSON.parse(r.stdout) as JsonVerdict), status: r.status };
}

/** Per feature id: its gaps; only touched features. */
export function gapsOf(v: JsonVerdict): Record<string, string[]> {
  return Object.fromEntries(v.features.filter((f) => f.touched).map((f) => [f.id, f.gaps]));
}

export function feature(v: JsonVerdict, id: string): JsonVerdict['features'][number] {
  const f = v.features.find((x) => x.id === id);
  assert.ok(f, `feature ${id} in the verdict`);
  return f;
}

/** Commits what is staged, with `message`, hooks off. */
export function commit(dir: string, message: string): void {
  git(dir, ['commit', '-q', '--no-verify', '--allow-empty', '-m', message]);
}

export function firstLine(r: CliResult): string {
  return r.stdout.split('\n')[0]!;
}

/** Runs the CLI in this process (no build needed): its exit code and what it printed. */
export async function ownershipInProcess(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (s) => { out += s; }, err: (s) => { err += s; }, cwd };
  const code = await run(argv, io);
  return { code, out, err };
}
