// A synthetic history for the `ownership report` benchmark: the 10k-file monorepo layout of
// generate.ts with `commits` first-parent changes on top, made by one `git fast-import`. Each
// change edits 1–6 files of one or two modules (with its tests about half the time, its docs
// now and then, an Ownership-Waived trailer sometimes); every 25th change is a merge of a
// two-commit branch, as a pull request merged with a merge commit.
import { spawnSync } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMITTED_FEATURES, layoutFor, ownershipYaml, random, trackedPaths } from './generate';

const HISTORY_VERSION = 1;

export interface HistorySpec {
  files: number;
  /** First-parent changes after the base commit. */
  commits: number;
}

export function historyRepoName(spec: HistorySpec): string {
  return `history-${spec.files / 1000}k-files-${spec.commits}-commits`;
}

function data(s: string): string {
  return `data ${Buffer.byteLength(s)}\n${s}\n`;
}

/** Creates (or reuses) the repository; returns its path and the number of commits it holds. */
export function ensureHistoryRepo(cacheDir: string, spec: HistorySpec, log: (s: string) => void): string {
  const dir = join(cacheDir, historyRepoName(spec));
  const stamp = join(dir, '.git', 'bench-stamp.json');
  const want = JSON.stringify({ version: HISTORY_VERSION, ...spec });
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return dir;
  const started = Date.now();
  log(`generating ${historyRepoName(spec)} …`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  const layout = layoutFor(spec.files);
  const paths = trackedPaths(layout);
  const rnd = random(7);
  const out: string[] = [];
  let mark = 0;
  let time = 1_700_000_000;
  const commit = (ref: string, message: string, from: number | undefined, merge: number | undefined, body: string[]): number => {
    mark++;
    time += 60;
    out.push(`commit ${ref}\nmark :${mark}\nauthor Dev ${mark % 17} <dev${mark % 17}@example.invalid> ${time} +0000\ncommitter Bench <bench@example.invalid> ${time} +0000\n${data(message)}`);
    if (from !== undefined) out.push(`from :${from}\n`);
    if (merge !== undefined) out.push(`merge :${merge}\n`);
    out.push(...body);
    return mark;
  };
  const edit = (path: string, n: number) => `M 100644 inline ${path}\n${data(`// ${path}\nexport const version = ${n};\n`)}`;
  const base = commit('refs/heads/main', 'base\n', undefined, undefined, [
    'deleteall\n',
    ...paths.map((p) => edit(p, 0)),
    `M 100644 inline OWNERSHIP.yml\n${data(ownershipYaml(layout, COMMITTED_FEATURES))}`,
  ]);
  const modules = paths.filter((p) => /\/src\/mod-\d+\/file0\.ts$/.test(p)).map((p) => p.replace(/src\/(mod-\d+)\/file0\.ts$/, '$1'));
  /** One change's file edits: code of one or two modules, often tests, sometimes docs. */
  const change = (n: number): { body: string[]; waiver: string } => {
    const body: string[] = [];
    let waiver = '';
    for (let k = rnd() < 0.8 ? 1 : 2; k > 0; k--) {
      const m = modules[Math.floor(rnd() * modules.length)]!; // e.g. packages/pkg-003/mod-07
      const [pkg, mod] = [m.slice(0, m.lastIndexOf('/')), m.slice(m.lastIndexOf('/') + 1)];
      const files = 1 + Math.floor(rnd() * 3);
      for (let f = 0; f < files; f++) body.push(edit(`${pkg}/src/${mod}/file${Math.floor(rnd() * 8)}.ts`, n));
      if (rnd() < 0.5) body.push(edit(`${pkg}/test/${mod}/file${Math.floor(rnd() * 6)}.test.ts`, n));
      if (rnd() < 0.15) body.push(edit(`${pkg}/docs/${mod}/guide.md`, n));
      if (rnd() < 0.3) body.push(edit(`${pkg}/CHANGELOG.md`, n));
      if (rnd() < 0.1) waiver = `\nOwnership-Waived: feature-0/docs not user-facing\n`;
    }
    return { body, waiver };
  };
  let main = base;
  for (let i = 1; i <= spec.commits; i++) {
    if (i % 25 === 0) {
      const a = change(i);
      const b1 = commit('refs/heads/topic', `topic ${i} part 1\n${a.waiver}`, main, undefined, a.body);
      const b = change(i);
      const b2 = commit('refs/heads/topic', `topic ${i} part 2\n${b.waiver}`, b1, undefined, b.body);
      main = commit('refs/heads/main', `Merge topic ${i}\n`, main, b2, []);
    } else {
      const c = change(i);
      main = commit('refs/heads/main', `change ${i}\n${c.waiver}`, main, undefined, c.body);
    }
  }
  const r = spawnSync('git', ['fast-import', '--quiet', '--done'], { cwd: dir, input: out.join('') + 'done\n', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`git fast-import failed: ${r.stderr.toString()}`);
  execFileSync('git', ['update-ref', '-d', 'refs/heads/topic'], { cwd: dir });
  execFileSync('git', ['read-tree', '--reset', '-u', 'HEAD'], { cwd: dir });
  writeFileSync(stamp, want);
  log(`  ${mark} commits (${spec.commits} first-parent changes), ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return dir;
}
