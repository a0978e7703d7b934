// `ownership report`: how the working tree's OWNERSHIP.yml would have judged the recent
// first-parent history of a branch, and which pieces are still owed at its head.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Model } from '../core/model';
import { buildReport, Judge, owedDelta, type HistoryCommit, type OwedDelta, type Reach, type Report } from '../core/report';
import { REPORT_FORMATS, formatReport, type ReportFormat } from '../core/reportFormat';
import { Git, rawGit } from '../node/git';
import type { Rules } from '../node/folderAnalysis';
import { firstParents, readHistory, type HistoryRange } from '../node/history';
import { HistoryCache, rulesKey } from '../node/historyCache';
import { build } from '../node/modelCache';
import { loadOrFail, UsageError, type Io } from './main';

/**
 * What `check --format markdown` shows beside the verdict: each feature's criteria, and for a
 * range, the owed pieces the branch settles and leaves (over the branch and the
 * DEFAULT_REPORT_COUNT changes before it).
 */
export async function markdownExtras(git: Git, model: Model, range: { from: string; to: string } | undefined): Promise<{ criteria: (id: string) => Map<string, boolean>; owed?: OwedDelta }> {
  const byId = new Map(model.features.map((f) => [f.id, new Map(f.criteria.map((c) => [c.name, c.required]))]));
  const criteria = (id: string) => byId.get(id) ?? new Map<string, boolean>();
  if (!range) return { criteria };
  const branch = Number((await git.raw(['rev-list', '--first-parent', '--count', range.to, `^${range.from}`, '--'])).trim());
  const history = await readHistory(git, { head: range.to, maxCount: branch + DEFAULT_REPORT_COUNT });
  return { criteria, owed: owedDelta(model, history.chain, branch, history.brought) };
}

/** Changes a report covers when no range is given. */
export const DEFAULT_REPORT_COUNT = 200;

interface ReportOptions {
  base?: string;
  maxCount?: number;
  since?: string;
  head?: string;
}

/**
 * The report over `opts`' range of the repository's history, judged with the rules `loadRulesOrFail`
 * gives. History is read while the caller loads the rules; errors in either surface here. The
 * history cache (src/node/historyCache.ts) spares git the diffs of commits seen before, and the
 * matching of paths already judged under the same rules.
 */
export async function reportFor(git: Git, loadRulesOrFail: () => Promise<Rules>, opts: ReportOptions, asked?: Promise<string[] | undefined>): Promise<Report> {
  const range = rangeOf(opts);
  const cache = new HistoryCache(git.gitDir);
  // Each change is prepared for judging as soon as git has written it and the rules are loaded,
  // so the judging overlaps git's work instead of following it.
  const ready: { judge?: Judge; known?: ReadonlyMap<string, Reach> } = {};
  const early: HistoryCommit[] = [];
  const prepare = (c: HistoryCommit) => {
    const known = ready.known?.get(c.sha);
    if (known && validReach(known, ready.judge!.model)) ready.judge!.seed(c.changes, known);
    else ready.judge!.prepare(c.changes);
  };
  const pending = readHistory(git, range, (c) => (ready.judge ? prepare(c) : early.push(c)), cache, asked).catch(async (e: unknown) => {
    // A repository without commits has no history yet: an empty report, not an error.
    if (!opts.head && !(await git.hasHead())) return { head: '', chain: [], brought: [] };
    throw e;
  });
  pending.catch(() => undefined); // awaited below, unless loading fails first
  const rules = await loadRulesOrFail();
  const key = rulesKey(rules.files, build());
  ready.known = await cache.reach(key);
  const judge = (ready.judge = new Judge(rules.model));
  for (const c of early.splice(0)) prepare(c);
  const history = await pending;
  const report = buildReport(rules.model, history.head, history.chain, history.brought, judge);
  await cache.rememberReach(key, new Map(history.chain.filter((c) => !ready.known!.has(c.sha)).map((c) => [c.sha, judge.reachOf(c.changes)])));
  await cache.save();
  return report;
}

/** The history a report covers; a date git could take for an option is refused. */
function rangeOf(opts: ReportOptions): HistoryRange {
  if (opts.since !== undefined && opts.since.startsWith('-')) throw new UsageError(`invalid date "${opts.since}"`);
  return { head: opts.head ?? 'HEAD', base: opts.base, since: opts.since, maxCount: opts.base || opts.since ? opts.maxCount : opts.maxCount ?? DEFAULT_REPORT_COUNT };
}

/** A cached reach is used only when it fits the model (a hand-edited cache must not crash a report). */
function validReach(reach: Reach, model: Model): boolean {
  const count = model.features.length;
  return reach.every((g) => Array.isArray(g) && Array.isArray(g[0]) && Array.isArray(g[1]) && g[0].every((l) => typeof l === 'string') && g[1].every((n) => Number.isInteger(n) && n >= 0 && n < count));
}

/** Parses a whole number option. */
export function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('a whole number of changes is expected');
  return Number(value);
}

interface CliOptions extends ReportOptions {
  format: ReportFormat;
  owed?: boolean;
  C?: string;
}

async function report(opts: CliOptions, io: Io): Promise<number> {
  const dir = resolve(io.cwd, opts.C ?? '.');
  // git lists the range's commits (from any folder of the working tree) while the repository is
  // opened, instead of after: the first thing the report waits for once its own work is done.
  const asked = opts.base === undefined && existsSync(dir) ? firstParents((args) => rawGit(dir, args), rangeOf(opts)) : undefined;
  const git = await Git.open(dir);
  const r = await reportFor(git, () => loadOrFail(git, io), opts, asked);
  io.out(formatReport(r, opts.format, opts.owed));
  return 0;
}

/** Adds `ownership report` to the program. */
export function registerReportCommand(program: Command, io: Io, setStatus: (code: number) => void): void {
  program
    .command('report')
    .description(`How the working tree's OWNERSHIP.yml judges the branch's history: per feature, the changes that touched it, the complete ones, the gaps per criterion, and the pieces still owed. Each first-parent commit is one change (a merge: its diff against its first parent, with the waivers of every commit it brings in).`)
    .addOption(new Option('--base <ref>', 'the changes after <ref>: first-parent commits of --head not reachable from <ref>').conflicts(['maxCount', 'since']))
    .addOption(new Option('--max-count <n>', `the last <n> changes (default ${DEFAULT_REPORT_COUNT} when no range is given)`).argParser(wholeNumber).conflicts(['base', 'since']))
    .addOption(new Option('--since <date>', 'the changes committed after <date> (any date git understands, e.g. 2026-01-01 or "3 months ago")').conflicts(['base', 'maxCount']))
    .addOption(new Option('--head <ref>', 'the head whose first-parent history is read').default(undefined, 'HEAD'))
    .addOption(new Option('--format <format>', 'output format').choices(REPORT_FORMATS as ReportFormat[]).default('text'))
    .option('--owed', 'print only the pieces still owed at the head, grouped by owner (text and markdown)')
    .addOption(new Option('-C <dir>', 'run as if started in <dir>'))
    .addHelpText('after', '\nExit status: 0 report printed (gaps do not fail it), 2 usage error, invalid OWNERSHIP.yml or git failure.')
    .action(async (opts: CliOptions) => setStatus(await report(opts, io)));
}
