// `npm run bench`: times `ownership check --staged` and `ownership list` against the floor git sets
// (`node -e 0` plus the git command that lists the same data), side by side, on synthetic monorepos
// cached in ${FO_CACHE:-~/.cache/feature-ownership}/bench (outside the repository, so vsce and
// editors never walk 100k generated files). Prints a table and writes bench/results/latest.{json,md}.
//   npm run bench                      the full matrix (about 5 minutes once the repos are cached)
//   npm run bench -- --quick           3 repetitions, fewer cases
//   npm run bench -- --reps 11         more repetitions
//   npm run bench -- --only 100k       cases whose name contains "100k"
//   npm run bench -- --no-extension    skip the extension-host step (bench/extension.ts)
//   npm run bench -- --extension-only  only the extension-host step
//   npm run bench -- --no-build        measure the bench's last production bundle again
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, homedir, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { buildProduction } from './bundle';
import { extensionStep, extensionTable, scenarioTable } from './extension';
import { COMMITTED_FEATURES, ensureRepo, layoutFor, ownershipYaml, repoName, type RepoSpec } from './generate';
import { ensureHistoryRepo, historyRepoName, type HistorySpec } from './history';
import { hasGnuTime, peakMemory, stats, timeSequence, type Cmd, type Stats } from './measure';

const ROOT = resolve(__dirname, '..');
/** Same root as code-server's install (test/harness/install-code-server.sh): FO_CACHE. */
const CACHE = join(process.env.FO_CACHE || join(homedir(), '.cache', 'feature-ownership'), 'bench');
/**
 * The bench builds its own production bundle (the options of esbuild.mjs --production) apart
 * from dist/: tests rebuild dist/ in development mode while they run, which would change the
 * code measured and empty the parse cache (keyed by the build) in the middle of a run.
 */
const OUT = join(CACHE, 'dist');
const CLI = join(OUT, 'cli.js');

interface Case {
  name: string;
  kind: 'check' | 'list' | 'report';
  repo: RepoSpec;
  /** For `report`: the generated history (bench/history.ts) instead of a staged change. */
  history?: HistorySpec;
  features: number;
  /** Maximum ratio to the floor, from the issue; undefined when the case is for context only. */
  target?: number;
}

const MEMORY_TARGET_MB = 250;

function allCases(quick: boolean): Case[] {
  const c = (kind: Case['kind'], files: number, changes: number, features: number, target?: number): Case => ({
    name: kind === 'check' ? `check ${files / 1000}k files, ${changes} changes, ${features} features` : `list ${files / 1000}k files, ${features} features`,
    kind,
    repo: { files, changes },
    features,
    target,
  });
  const full = [
    c('check', 10_000, 100, 100),
    c('check', 10_000, 5_000, 1_000),
    c('check', 100_000, 100, 1_000, 1.3),
    c('check', 100_000, 5_000, 1_000, 1.3),
    c('check', 100_000, 50_000, 1_000, 1.6),
    c('check', 100_000, 100, 5_000, 2),
    c('check', 100_000, 5_000, 5_000, 2),
    c('check', 100_000, 50_000, 5_000, 2),
    c('list', 10_000, 100, 1_000),
    c('list', 100_000, 100, 1_000, 2),
    c('list', 100_000, 100, 5_000),
    reportCase(100, 1.5),
    reportCase(1_000, 1.5),
  ];
  return quick ? full.filter((x) => x.target !== undefined && x.features === 1_000) : full;
}

/** Issue 10: report over 1,000 changes of a 10k+-commit history within 1.5× node + the same git log. */
const REPORT_CHANGES = 1000;
const reportCase = (features: number, target?: number): Case => ({
  name: `report 10k files, ${REPORT_CHANGES} of 10k changes (10.8k commits), ${features} features`,
  kind: 'report',
  repo: { files: 10_000, changes: 0 },
  history: { files: 10_000, commits: 10_000 },
  features,
  target,
});

/** The git log the report runs (src/node/history.ts), as the floor for `report`. */
const REPORT_GIT_LOG = ['log', '--first-parent', '-m', '--name-status', '-z', '-M', '--no-ext-diff', '--no-textconv', '--no-color', '--no-show-signature',
  '--format=%x01%H%x00%P%x00%an%x00%aI%x00%s%x00%(trailers:key=Ownership-Waived,valueonly,unfold)%x00%b', `--max-count=${REPORT_CHANGES}`, 'HEAD', '--'];

function ensureCaseRepo(c: Case): string {
  return c.history ? ensureHistoryRepo(CACHE, c.history, log) : ensureRepo(CACHE, c.repo, log);
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const log = (s: string) => process.stderr.write(s + '\n');

function gitDir(repo: string): string {
  return execFileSync('git', ['rev-parse', '--absolute-git-dir'], { cwd: repo, encoding: 'utf8' }).trim();
}

function floorCmds(c: Case, cwd: string): Cmd[] {
  const git = c.kind === 'check' ? ['diff', '--cached', '--name-status', '-z', '-M'] : c.kind === 'report' ? REPORT_GIT_LOG : ['ls-files', '-z'];
  return [{ cmd: process.execPath, args: ['-e', '0'], cwd }, { cmd: 'git', args: git, cwd }];
}

function toolCmds(c: Case, cwd: string): Cmd[] {
  const args = c.kind === 'check' ? [CLI, 'check', '--staged', '--format', 'json'] : c.kind === 'report' ? [CLI, 'report', '--max-count', String(REPORT_CHANGES), '--format', 'json'] : [CLI, 'list', '--format', 'json'];
  return [{ cmd: process.execPath, args, cwd }];
}

interface Result {
  name: string;
  kind: Case['kind'];
  files: number;
  changes: number;
  features: number;
  floor: Stats;
  warm: Stats;
  /** First run after OWNERSHIP.yml changed (model cache empty). */
  cold: Stats;
  ratio: number;
  target?: number;
  met?: boolean;
  peakMB: { floor: number; warm: number; cold: number };
  output: string;
}

function checkOutput(c: Case, stdout: Buffer): string {
  const v = JSON.parse(stdout.toString('utf8')) as { schemaVersion: number; summary?: { touched: number; commits?: number; touching?: number; owed?: number }; features: unknown[] };
  if (v.schemaVersion !== 1) throw new Error(`${c.name}: unexpected output`);
  if (c.kind === 'report') return `${v.summary!.commits} changes, ${v.summary!.touching} touching a feature, ${v.summary!.owed} pieces owed`;
  return c.kind === 'check' ? `${v.summary!.touched} features touched` : `${v.features.length} features listed`;
}

function runCase(c: Case, reps: number, memory: boolean): Result {
  const repo = ensureCaseRepo(c);
  writeFileSync(join(repo, 'OWNERSHIP.yml'), ownershipYaml(layoutFor(c.repo.files), c.features));
  // `check --staged` judges with the staged rules (the commit carries them): stage the swapped file.
  execFileSync('git', ['add', '--', 'OWNERSHIP.yml'], { cwd: repo });
  const cacheDir = join(gitDir(repo), 'ownership');
  const floor = floorCmds(c, repo);
  const tool = toolCmds(c, repo);
  // Exit status 1 is a verdict (gaps in strict mode), not a failure.
  const ok = [0, 1];
  const cold: number[] = [];
  let output = '';
  for (let i = 0; i < 2; i++) {
    rmSync(cacheDir, { recursive: true, force: true });
    const r = timeSequence(tool, ok);
    cold.push(r.ms);
    output = checkOutput(c, r.stdout);
  }
  // Warm-up: page cache and model cache.
  timeSequence(floor);
  timeSequence(tool, ok);
  const f: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < reps; i++) {
    // Interleaved, so drift in machine load hits both sides alike.
    f.push(timeSequence(floor).ms);
    w.push(timeSequence(tool, ok).ms);
  }
  let peakMB = { floor: 0, warm: 0, cold: 0 };
  if (memory) {
    const warmMB = peakMemory(tool);
    rmSync(cacheDir, { recursive: true, force: true });
    peakMB = { floor: peakMemory(floor), warm: warmMB, cold: peakMemory(tool) };
  }
  const floorStats = stats(f);
  const warmStats = stats(w);
  const ratio = warmStats.median / floorStats.median;
  if (c.features !== COMMITTED_FEATURES) {
    writeFileSync(join(repo, 'OWNERSHIP.yml'), ownershipYaml(layoutFor(c.repo.files), COMMITTED_FEATURES));
    execFileSync('git', ['add', '--', 'OWNERSHIP.yml'], { cwd: repo });
  }
  return {
    name: c.name,
    kind: c.kind,
    files: c.repo.files,
    changes: c.repo.changes,
    features: c.features,
    floor: floorStats,
    warm: warmStats,
    cold: stats(cold),
    ratio,
    target: c.target,
    met: c.target === undefined ? undefined : ratio <= c.target && (!memory || peakMB.warm < MEMORY_TARGET_MB),
    peakMB,
    output,
  };
}

function fileSize(p: string): number | undefined {
  return existsSync(p) ? statSync(p).size : undefined;
}

function machine() {
  const git = execFileSync('git', ['--version'], { encoding: 'utf8' }).trim();
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    nproc: cpus().length,
    ramGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    git,
    kernel: release(),
  };
}

const ms = (x: number) => `${Math.round(x)}`;
const spread = (s: Stats) => `${ms(s.median)} (${ms(s.min)}–${ms(s.max)})`;

function table(results: Result[]): string {
  const rows = [
    '| case | floor ms, median (min–max) | ownership ms, median (min–max) | ratio | target | cold ms | peak MB (floor / tool / cold) |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const target = r.target === undefined ? '—' : `≤ ${r.target}× ${r.met ? '✓' : '✗'}`;
    const mem = r.peakMB.warm ? `${ms(r.peakMB.floor)} / ${ms(r.peakMB.warm)} / ${ms(r.peakMB.cold)}` : 'n/a';
    rows.push(`| ${r.name} | ${spread(r.floor)} | ${spread(r.warm)} | ${r.ratio.toFixed(2)}× | ${target} | ${ms(r.cold.median)} | ${mem} |`);
  }
  return rows.join('\n');
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const reps = Number(arg('--reps') ?? (quick ? 3 : 7));
  const only = arg('--only');
  if (!process.argv.includes('--no-build')) {
    log(`building a production bundle in ${OUT} …`);
    await buildProduction(ROOT, OUT);
  }
  const memory = hasGnuTime();
  if (!memory) log('GNU time (/usr/bin/time) is missing: peak memory is not measured (Debian: apt-get install time)');
  const started = Date.now();
  mkdirSync(CACHE, { recursive: true });
  const extensionOnly = process.argv.includes('--extension-only');
  const cases = extensionOnly ? [] : allCases(quick).filter((c) => !only || c.name.includes(only));
  // Generate first, so generation time is reported apart from the measurements.
  const generation: Record<string, number> = {};
  for (const c of cases) {
    const t = Date.now();
    ensureCaseRepo(c);
    generation[c.history ? historyRepoName(c.history) : repoName(c.repo)] ??= (Date.now() - t) / 1000;
  }
  const results: Result[] = [];
  for (const c of cases) {
    log(`${c.name} …`);
    const r = runCase(c, reps, memory);
    log(`  floor ${spread(r.floor)} ms, ownership ${spread(r.warm)} ms, ${r.ratio.toFixed(2)}×, cold ${ms(r.cold.median)} ms, ${r.output}`);
    results.push(r);
  }
  const bundle = {
    'dist/cli.js': fileSize(CLI),
    'dist/cliMain.js': fileSize(join(OUT, 'cliMain.js')),
    'dist/extension.js': fileSize(join(OUT, 'extension.js')),
    'dist/feature-ownership.vsix': fileSize(join(ROOT, 'dist', 'feature-ownership.vsix')),
  };
  const extension = process.argv.includes('--no-extension')
    ? { done: false as const, why: 'skipped (--no-extension)' }
    : await extensionStep({ root: ROOT, cache: CACHE, cli: CLI, reps: Math.min(reps, 7), only });
  if (!extension.done) log(`extension step: ${extension.why}`);
  const out = join(ROOT, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  let report = { date: new Date().toISOString(), machine: machine(), reps, generationSeconds: generation, benchSeconds: (Date.now() - started) / 1000, bundle, extension, results };
  // --extension-only replaces the extension part of the last report and keeps the CLI part.
  if (extensionOnly && existsSync(join(out, 'latest.json'))) report = { ...(JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as typeof report), extension };
  writeFileSync(join(out, 'latest.json'), JSON.stringify(report, null, 2) + '\n');
  const m = report.machine;
  const md = [
    table(report.results),
    '',
    `Machine: ${m.nproc} × ${m.cpu}, ${m.ramGB} GB RAM, Node ${m.node}, ${m.git}, Linux ${m.kernel}. ${report.reps} interleaved repetitions per case after one warm-up; cold = model cache emptied (median of 2).`,
    `Bundle (production, minified; the VSIX as last packaged by npm run package): ${Object.entries(report.bundle).map(([k, v]) => `${k} ${v === undefined ? 'not built' : `${(v / 1024).toFixed(0)} KB`}`).join(', ')}.`,
    extension.done ? `\n${extensionTable(extension.results)}${extension.scenarios?.length ? `\n\n${scenarioTable(extension.scenarios)}` : ''}` : `Extension step: ${extension.why}.`,
  ].join('\n');
  writeFileSync(join(out, 'latest.md'), md + '\n');
  process.stdout.write(md + '\n');
}

void main();
