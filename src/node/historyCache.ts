// What git said about past commits, kept under the git directory
// (`$GIT_DIR/ownership/cache/history.json`, 0600 in a 0700 folder). A commit never changes, so its
// diff against its first parent, its message and trailers, and the commits a merge brings in
// (`M^1..M`) can be read once: a report over a history it has seen asks git only which commits
// the range holds (`git rev-list`), and reads the diffs again only when one of them is new to it.
// Per set of rules it also keeps which lists of which
// features each commit's paths fall in (report.ts `Reach`), so a report under unchanged rules does
// not match a glob at all. Best effort: a missing or corrupt file (or entry) is a miss, a failed
// write is ignored.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BroughtCommit, HistoryCommit, Reach, ReachGroup } from '../core/report';

/** Bumped whenever the stored shape changes. */
const FORMAT = 1;
/** Commits kept (the most recently used): about 0.3 KB each without their reach. */
const MAX_COMMITS = 5000;

interface Stored {
  format: number;
  /** By sha: the commit, and for a merge the commits it brings in. */
  commits: Record<string, { commit: HistoryCommit; brought?: BroughtCommit[] }>;
  /** The rules the reach was computed under, and per sha its reach (encodeReach). */
  judged?: { key: string; reach: Record<string, string> };
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** A stored commit is used only when it has the shape readHistory gives (a hand-edited file must not crash a report). */
function validCommit(sha: string, c: unknown): c is HistoryCommit {
  const x = c as Partial<HistoryCommit> | null;
  return !!x && x.sha === sha && isStrings(x.parents) && isStrings(x.waivers) && typeof x.author === 'string' && typeof x.date === 'string'
    && typeof x.subject === 'string' && typeof x.body === 'string' && Array.isArray(x.changes)
    && x.changes.every((ch) => !!ch && typeof ch.path === 'string' && typeof ch.status === 'string' && (ch.oldPath === undefined || typeof ch.oldPath === 'string'));
}

function validBrought(v: unknown): v is BroughtCommit[] {
  return Array.isArray(v) && v.every((b: Partial<BroughtCommit> | null) => !!b && typeof b.sha === 'string' && isStrings(b.parents) && isStrings(b.waivers));
}

/**
 * A reach as a short string, group by group: `code,tests=3.17 release-notes=4.5.6` (criterion
 * names are `[a-z0-9][a-z0-9._-]*`: no `,`, `=` or space). A thousand commits that each reach
 * twenty features take about 60 KB instead of 500 KB of JSON.
 */
function encodeReach(reach: Reach): string {
  return reach.map(([lists, features]) => `${lists.join(',')}=${features.join('.')}`).join(' ');
}

/** One group as encodeReach writes it; checked whole by one regular expression, not entry by entry. */
const GROUP = /^[a-z0-9][a-z0-9._-]*(?:,[a-z0-9][a-z0-9._-]*)*=\d{1,9}(?:\.\d{1,9})*$/;

/** The reach encodeReach wrote, or undefined when `s` is not one. */
function decodeReach(s: unknown): Reach | undefined {
  if (typeof s !== 'string') return undefined;
  if (s === '') return [];
  const groups = s.split(' ');
  const out: ReachGroup[] = [];
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    if (!GROUP.test(g)) return undefined;
    const eq = g.indexOf('=');
    out.push([g.slice(0, eq).split(','), g.slice(eq + 1).split('.').map(Number)]);
  }
  return out;
}

/** The key of a set of rules: the OWNERSHIP.yml files' paths and texts, and the build that judges. */
export function rulesKey(files: readonly { path: string; text?: string }[], build: string): string {
  const h = createHash('sha256').update(`ownership-rules\0${build}\0`);
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) h.update(`${f.path}\0${f.text ?? '\u0000missing'}\0`);
  return h.digest('hex');
}

export class HistoryCache {
  private readonly file: string;
  private loading: Promise<Stored> | undefined;
  private changed = false;

  constructor(gitDir: string) {
    this.file = join(gitDir, 'ownership', 'cache', 'history.json');
  }

  /** The file, read once: the report asks for the chain and for the reach at about the same time. */
  private load(): Promise<Stored> {
    this.loading ??= this.read();
    return this.loading;
  }

  private async read(): Promise<Stored> {
    try {
      const v = JSON.parse(await readFile(this.file, 'utf8')) as Partial<Stored> | null;
      if (v && v.format === FORMAT && v.commits && typeof v.commits === 'object') return { format: FORMAT, commits: v.commits, judged: v.judged };
    } catch {
      // no cache yet, or one we cannot read: start afresh
    }
    return { format: FORMAT, commits: {} };
  }

  /**
   * The commits `shas` (a first-parent chain, newest first) with the commits their merges bring
   * in, when every one of them is known; otherwise undefined.
   */
  async chain(shas: readonly string[]): Promise<{ chain: HistoryCommit[]; brought: BroughtCommit[] } | undefined> {
    const s = await this.load();
    const chain: HistoryCommit[] = [];
    const brought: BroughtCommit[] = [];
    for (const sha of shas) {
      const e = Object.hasOwn(s.commits, sha) ? s.commits[sha] : undefined;
      if (!e || !validCommit(sha, e.commit)) return undefined;
      if (e.commit.parents.length > 1) {
        if (!validBrought(e.brought)) return undefined;
        brought.push(...e.brought);
      }
      chain.push(e.commit);
    }
    return { chain, brought };
  }

  /** How many of `shas` (newest first) are new: those before the longest run at their end that the cache knows. */
  async newest(shas: readonly string[]): Promise<number> {
    const s = await this.load();
    let k = shas.length;
    while (k > 0 && Object.hasOwn(s.commits, shas[k - 1]!)) k--;
    return k;
  }

  /** Keeps `chain`'s commits, each merge with the commits it brings in (`broughtBy`). */
  async remember(chain: readonly HistoryCommit[], broughtBy: ReadonlyMap<string, BroughtCommit[]>): Promise<void> {
    const s = await this.load();
    for (const c of chain) {
      if (Object.hasOwn(s.commits, c.sha)) continue;
      s.commits[c.sha] = c.parents.length > 1 ? { commit: c, brought: broughtBy.get(c.sha) ?? [] } : { commit: c };
      this.changed = true;
    }
  }

  /** The reach of the commits judged under the rules `key`, by sha. */
  async reach(key: string): Promise<ReadonlyMap<string, Reach>> {
    const s = await this.load();
    if (s.judged?.key !== key || !s.judged.reach || typeof s.judged.reach !== 'object') return new Map();
    const out = new Map<string, Reach>();
    for (const [sha, encoded] of Object.entries(s.judged.reach)) {
      const r = decodeReach(encoded);
      if (r) out.set(sha, r);
    }
    return out;
  }

  /** Keeps the reach of commits judged under the rules `key` (those of other rules are dropped). */
  async rememberReach(key: string, reach: ReadonlyMap<string, Reach>): Promise<void> {
    const s = await this.load();
    if (s.judged?.key !== key) s.judged = { key, reach: {} };
    for (const [sha, r] of reach) {
      if (Object.hasOwn(s.judged.reach, sha)) continue;
      s.judged.reach[sha] = encodeReach(r);
      this.changed = true;
    }
  }

  /** Writes what was learnt, keeping the MAX_COMMITS most recently added commits. */
  async save(): Promise<void> {
    if (!this.changed || !this.loading) return;
    const s = await this.loading;
    const shas = Object.keys(s.commits);
    if (shas.length > MAX_COMMITS) {
      for (const sha of shas.slice(0, shas.length - MAX_COMMITS)) {
        delete s.commits[sha];
        if (s.judged) delete s.judged.reach[sha];
      }
    }
    const dir = join(this.file, '..');
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      // Whole under a temporary name, then renamed: a reader sees all of it or nothing.
      await writeFile(tmp, JSON.stringify(s), { mode: 0o600, flag: 'wx' });
      await rename(tmp, this.file);
      this.changed = false;
    } catch {
      await unlink(tmp).catch(() => undefined);
    }
  }
}
