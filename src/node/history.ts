// Reads first-parent history for `ownership report`: one streaming `git log` for the changes
// (each first-parent commit with its diff against its first parent, its trailers and its
// message), and — only when that chain holds merges — one more for the trailers of the commits
// the merges bring in. Never one process per commit. git is spawned with an argument array, so no
// ref, date or path ever passes through a shell; `-z` output is parsed as bytes as it arrives.
import { broughtBy, type BroughtCommit, type HistoryCommit } from '../core/report';
import type { Change } from '../core/types';
import { GitFailure, streamFields, type Git } from './git';
import type { HistoryCache } from './historyCache';

/** Which first-parent commits of `head` to read. */
export interface HistoryRange {
  head: string;
  /** Stop at commits reachable from this ref. */
  base?: string;
  /** At most this many first-parent commits. */
  maxCount?: number;
  /** Only commits after this date (git's `--since`). */
  since?: string;
}

interface History {
  /** The resolved head commit. */
  head: string;
  /** First-parent commits, newest first. */
  chain: HistoryCommit[];
  /** Commits that merges in the chain bring in (not on the chain); empty when it has no merge. */
  brought: BroughtCommit[];
}

/** Starts every record: a byte that a status field (`M`, `R100`…) can never begin with. */
const MARK = '\x01';
const WAIVER_TRAILERS = '%(trailers:key=Ownership-Waived,valueonly,unfold)';
const CHAIN_FORMAT = `${MARK}%H%x00%P%x00%an%x00%aI%x00%s%x00${WAIVER_TRAILERS}%x00%b`;
const BROUGHT_FORMAT = `${MARK}%H%x00%P%x00${WAIVER_TRAILERS}`;
const STATUS = /^[ACDMRTUXB][0-9]*$/;

function trailerValues(field: string): string[] {
  return field.split('\n').filter((l) => l.trim());
}

/** Parses the fields of `git log -z --name-status --format=CHAIN_FORMAT` into commits. */
class ChainParser {
  readonly commits: HistoryCommit[] = [];

  /** `onCommit` hears of each commit once all of it has been read. */
  constructor(private readonly onCommit?: (commit: HistoryCommit) => void) {}

  /** Ends the output: the last commit is complete. */
  end(): void {
    const last = this.commits[this.commits.length - 1];
    if (last) this.onCommit?.(last);
  }

  private header: string[] | undefined;
  private status: string | undefined;
  private paths: string[] = [];

  push(field: string): void {
    if (this.header) {
      // Inside the header: a fixed number of fields, whatever they contain.
      this.header.push(field);
      if (this.header.length === 7) this.startCommit(this.header);
      return;
    }
    if (this.status !== undefined) {
      this.paths.push(field);
      if (this.paths.length === (/^[RC]/.test(this.status) ? 2 : 1)) this.addChange();
      return;
    }
    if (field.startsWith(MARK)) {
      this.header = [field.slice(1)];
      return;
    }
    // git puts a newline between the message and the first status of a commit's diff.
    const s = field.replace(/^\n/, '');
    if (s === '') return;
    if (!STATUS.test(s) || !this.commits.length) throw new GitFailure(`unexpected git log output near "${s.slice(0, 40)}"`);
    this.status = s;
  }

  private startCommit(h: string[]): void {
    const [sha, parents, author, date, subject, trailers, body] = h as [string, string, string, string, string, string, string];
    this.header = undefined;
    const previous = this.commits[this.commits.length - 1];
    if (previous) this.onCommit?.(previous);
    this.commits.push({ sha, parents: parents ? parents.split(' ') : [], author, date, subject, body, waivers: trailerValues(trailers), changes: [] });
  }

  private addChange(): void {
    const letter = this.status![0] as Change['status'];
    const commit = this.commits[this.commits.length - 1]!;
    if (letter === 'R' || letter === 'C') commit.changes.push({ status: letter, oldPath: this.paths[0]!, path: this.paths[1]! });
    else commit.changes.push({ status: 'AMDTU'.includes(letter) ? letter : 'M', path: this.paths[0]! });
    this.status = undefined;
    this.paths = [];
  }
}

function refArg(ref: string): string {
  if (ref.startsWith('-')) throw new GitFailure(`invalid ref "${ref}"`);
  return ref;
}

/**
 * Reads the first-parent history of `range.head` (see HistoryRange) with its diffs and waivers,
 * handing each commit to `onCommit` as soon as it has been read (newest first). The happy path is
 * one git process: refs are resolved by the log itself, and only when it fails are they resolved
 * one by one, for a message that says which ref is wrong.
 *
 * With a cache (historyCache.ts), and a range that ends at the chain's own oldest parent (not at
 * another branch's --base, whose reach would change which commits a merge brings in), git is
 * asked which commits the range holds; what they are comes from the cache, and git's log runs
 * only for the newest ones the cache does not know yet (after a commit, a pull), down to the first
 * it knows.
 */
export async function readHistory(git: Git, range: HistoryRange, onCommit?: (commit: HistoryCommit) => void, cache?: HistoryCache, asked?: Promise<string[] | undefined>): Promise<History> {
  const limits = limitArgs(range);
  if (!cache || range.base !== undefined) return fromGit(git, limits, range.head, range.base, onCommit);
  const shas = await (asked ?? firstParents((args) => git.raw(args), range));
  if (shas?.length) {
    const fresh = await cache.newest(shas);
    const hit = fresh < shas.length ? await cache.chain(shas.slice(fresh)) : undefined;
    if (hit && fresh === 0) {
      for (const c of hit.chain) onCommit?.(c);
      return { head: shas[0]!, ...hit };
    }
    if (hit) {
      // The newest `fresh` commits are new to the cache: their log, down to the first known one.
      const top = await fromGit(git, [], range.head, shas[fresh]!, onCommit);
      if (top.chain.length === fresh && top.chain.every((c, i) => c.sha === shas[i])) {
        await cache.remember(top.chain, broughtBy(top.chain, top.brought));
        for (const c of hit.chain) onCommit?.(c);
        return { head: top.head, chain: [...top.chain, ...hit.chain], brought: [...top.brought, ...hit.brought] };
      }
      // The history moved while we read it: read it whole, below (onCommit has seen some already: it is idempotent for the report).
    }
  }
  const whole = await fromGit(git, limits, range.head, undefined, onCommit);
  await cache.remember(whole.chain, broughtBy(whole.chain, whole.brought));
  return whole;
}

function limitArgs(range: HistoryRange): string[] {
  const limits: string[] = [];
  if (range.maxCount !== undefined) limits.push(`--max-count=${range.maxCount}`);
  if (range.since !== undefined) limits.push(`--since=${range.since}`);
  return limits;
}

/**
 * The first-parent commits of `range` (without a base) by `git rev-list`, or undefined when git
 * refuses (a bad ref, no commits: the log says which). `raw` runs git in the repository or any
 * folder of its working tree: the CLI asks this before it has opened the repository (readHistory's
 * `asked`), so that git answers while the process starts its other work.
 */
export async function firstParents(raw: (args: string[]) => Promise<string>, range: HistoryRange): Promise<string[] | undefined> {
  try {
    return (await raw(['rev-list', '--first-parent', ...limitArgs(range), refArg(range.head), '--'])).split('\n').filter((l) => l);
  } catch {
    return undefined;
  }
}

/** The history of `head` (down to `base`, within `limits`) as git's log tells it. */
async function fromGit(git: Git, limits: string[], headRef: string, base: string | undefined, onCommit?: (commit: HistoryCommit) => void): Promise<History> {
  const parser = new ChainParser(onCommit);
  try {
    await streamFields(git.root, [
      'log', '--first-parent', '-m', '--name-status', '-z', '-M', '--no-ext-diff', '--no-textconv', '--no-color', '--no-show-signature',
      `--format=${CHAIN_FORMAT}`, ...limits, refArg(headRef), ...(base !== undefined ? [`^${refArg(base)}`] : []), '--',
    ], (f) => parser.push(f));
  } catch (e) {
    await git.resolve(headRef);
    if (base !== undefined) await git.resolve(base);
    throw e;
  }
  parser.end();
  const chain = parser.commits;
  // The head's own commit opens the chain, unless the range is empty.
  const head = chain[0]?.sha ?? (await git.resolve(headRef));
  const brought: BroughtCommit[] = [];
  if (chain.some((c) => c.parents.length > 1)) {
    // Everything the chain's merges bring in: reachable from head, not from below the chain.
    const oldest = chain[chain.length - 1]!;
    const stop = base ?? oldest.parents[0];
    let header: string[] = [];
    await streamFields(git.root, ['log', '--no-show-signature', '-z', `--format=${BROUGHT_FORMAT}`, head, ...(stop ? [`^${stop}`] : []), '--'], (field) => {
      if (!header.length) field = field.replace(/^\n/, '').slice(MARK.length); // each record opens with MARK
      header.push(field);
      if (header.length === 3) {
        const [sha, parents, trailers] = header as [string, string, string];
        brought.push({ sha, parents: parents ? parents.split(' ') : [], waivers: trailerValues(trailers) });
        header = [];
      }
    });
  }
  return { head, chain, brought };
}
