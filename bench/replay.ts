// How an OWNERSHIP.yml would have judged a repository's recent history: each of the last <n>
// first-parent changes of HEAD is analysed as `ownership check --base <c>^ --head <c>` would (a
// merge by its diff against its first parent), from one `git log`. Waiver trailers are not read:
// this measures the rules, not the team's waivers. Used for docs/real-repos.md until
// `ownership report` covers it.
//   npx tsx bench/replay.ts <repo> [--max-count 200] [--file OWNERSHIP.yml] [--json]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyze, compileModel } from '../src/core/model';
import { formatProblem, parseOwnership } from '../src/core/parse';
import { Git } from '../src/node/git';
import { readChangeHistory } from '../src/node/repoScan';

export interface ReplayResult {
  commits: number;
  touching: number;
  withGaps: number;
  gaps: Record<string, number>;
  /** The changes with a gap: hash and `feature/criterion` gaps. */
  flagged: { hash: string; gaps: string[] }[];
  features: { id: string; touched: number; withGaps: number; gaps: Record<string, number> }[];
}

export async function replay(repo: string, file: string, maxCount: number): Promise<ReplayResult> {
  const git = await Git.open(repo);
  const parsed = parseOwnership(readFileSync(file, 'utf8'), 'OWNERSHIP.yml');
  if (!parsed.file) throw new Error(parsed.problems.map(formatProblem).join('\n'));
  const { model } = compileModel([parsed.file]);
  const history = await readChangeHistory(git, maxCount);
  const r: ReplayResult = { commits: history.length, touching: 0, withGaps: 0, gaps: {}, flagged: [], features: model.features.map((f) => ({ id: f.id, touched: 0, withGaps: 0, gaps: {} })) };
  for (const c of history) {
    const v = analyze(model, c.files.map((path) => ({ status: 'M' as const, path })));
    if (v.summary.touched) r.touching++;
    if (v.summary.incomplete) r.withGaps++;
    const seen = new Set<string>();
    v.features.forEach((f, i) => {
      const out = r.features[i]!; // one result per feature, same order
      if (!f.touched) return;
      out.touched++;
      if (f.gaps.length) out.withGaps++;
      for (const g of f.gaps) {
        out.gaps[g] = (out.gaps[g] ?? 0) + 1;
        seen.add(g);
      }
    });
    for (const g of seen) r.gaps[g] = (r.gaps[g] ?? 0) + 1;
    if (v.summary.incomplete) r.flagged.push({ hash: c.hash, gaps: v.features.flatMap((f) => f.gaps.map((g) => `${f.id}/${g}`)) });
  }
  return r;
}

function pct(a: number, b: number): string {
  return b ? `${Math.round((100 * a) / b)} %` : '–';
}

async function main(argv: string[]): Promise<void> {
  const repo = resolve(argv[0] ?? '.');
  const opt = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const file = resolve(repo, opt('--file') ?? 'OWNERSHIP.yml');
  const r = await replay(repo, file, Number(opt('--max-count') ?? 200));
  if (argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    return;
  }
  const gaps = Object.entries(r.gaps).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  process.stdout.write(`${r.commits} changes, ${r.touching} touching a feature, ${r.withGaps} with a gap (${pct(r.withGaps, r.touching)}); changes with a gap per criterion: ${gaps}\n`);
  for (const f of [...r.features].sort((a, b) => b.withGaps - a.withGaps || b.touched - a.touched)) {
    if (f.touched) process.stdout.write(`  ${f.id}: touched ${f.touched}, with gaps ${f.withGaps} (${pct(f.withGaps, f.touched)}) ${JSON.stringify(f.gaps)}\n`);
  }
  if (argv.includes('--list')) for (const c of r.flagged) process.stdout.write(`  ${c.hash.slice(0, 10)} ${c.gaps.join(' ')}\n`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  });
}
