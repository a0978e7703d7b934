// What the OWNERSHIP.yml editor features (diagnostics, hover, create command) share: what they
// need from the rest of the extension, and one cache of glob match counts per tracked-file list.
import type * as vscode from 'vscode';
import type { GlobMatches } from '../../core/globMatches';
import { GlobIndex } from '../../core/globIndex';
import type { GlobSite } from '../../core/globSites';
import { globSites } from '../lazy';
import { FILE_NAME } from '../../core/parse';
import { NO_PROBE, type Probe } from '../../node/probe';
import { CHUNK_PATHS, yieldToEventLoop } from '../../node/chunked';
import type { EngineClient } from '../../node/engineClient';

export interface OwnershipFileDeps {
  /**
   * The tracked files of a workspace folder, POSIX paths relative to that folder; undefined when
   * unknown (no git repository, or git is off in an untrusted workspace). The same array while
   * nothing changed lets the match counts be cached.
   */
  trackedFiles(folder: vscode.Uri): Promise<string[] | undefined>;
}

export const OWNERSHIP_SELECTOR: vscode.DocumentSelector = { pattern: `**/${FILE_NAME}` };

/** `uri` relative to `folder`, POSIX. */
export function relativePath(folder: vscode.Uri, uri: vscode.Uri): string {
  const base = folder.path.endsWith('/') ? folder.path : `${folder.path}/`;
  return uri.path.startsWith(base) ? uri.path.slice(base.length) : uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

/** Texts whose glob sites are remembered: the OWNERSHIP.yml files of a few folders and their edits. */
const MAX_TEXTS = 16;
const sitesMemo = new Map<string, Promise<GlobSite[]>>();

/**
 * findGlobSites, once per text: re-parsing a 400 KB OWNERSHIP.yml took 130 ms, and the diagnostics
 * ask again on every `git add` although staging never changes the file's text. With the engine,
 * the parse runs in its worker thread (a 5,000-feature file takes seconds to parse); `path` names
 * the file for the watchdog's message.
 */
export function globSitesMemo(text: string, probe: Probe = NO_PROBE, engine?: EngineClient, path = 'OWNERSHIP.yml'): Promise<GlobSite[]> {
  const hit = sitesMemo.get(text);
  if (hit) {
    sitesMemo.delete(text); // most recently used last, so the oldest is dropped first
    sitesMemo.set(text, hit);
    return hit;
  }
  probe.count('globSites');
  const sites = engine ? engine.retrying('globSites', { text, path }, path) : Promise.resolve().then(() => globSites().findGlobSites(text));
  sitesMemo.set(text, sites);
  sites.catch(() => { if (sitesMemo.get(text) === sites) sitesMemo.delete(text); });
  if (sitesMemo.size > MAX_TEXTS) sitesMemo.delete(sitesMemo.keys().next().value!);
  return sites;
}

const candidatesMemo = new Map<string, Promise<{ sites: GlobSite[]; globs: string[] }>>();

/**
 * The globs of an OWNERSHIP.yml to check for matching no tracked file (core noMatchCandidates), once
 * per text and path; with the engine, found in its worker thread: checking every glob of a
 * 5,000-feature file on the extension host held its event loop for 140 ms.
 */
export function noMatchCandidatesMemo(text: string, path: string, probe: Probe = NO_PROBE, engine?: EngineClient): Promise<{ sites: GlobSite[]; globs: string[] }> {
  const key = `${path}\0${text}`;
  const hit = candidatesMemo.get(key);
  if (hit) {
    candidatesMemo.delete(key);
    candidatesMemo.set(key, hit);
    return hit;
  }
  probe.count('noMatchCandidates');
  const base = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const found = engine
    ? engine.retrying('noMatchCandidates', { text, path }, path)
    : globSitesMemo(text, probe, undefined, path).then((sites) => globSites().noMatchCandidates(sites, base));
  candidatesMemo.set(key, found);
  found.catch(() => { if (candidatesMemo.get(key) === found) candidatesMemo.delete(key); });
  if (candidatesMemo.size > MAX_TEXTS) candidatesMemo.delete(candidatesMemo.keys().next().value!);
  return found;
}

/** Globs added to an index between two yields while it is compiled. */
const CHUNK_GLOBS = 200;

/** Match counts of repository-relative globs, kept per tracked-file list (a new list starts afresh). */
export class TrackedMatchCache {
  static readonly EXAMPLES = 5;
  private readonly byList = new WeakMap<readonly string[], Map<string, GlobMatches>>();
  /** The last list seen and its counts: `git add` of modified files hands out a new, equal list. */
  private last: { list: readonly string[]; known: Map<string, GlobMatches> } | undefined;
  /** The compiled index of the last glob set: compiling thousands of globs took 200–400 ms. */
  private index: { key: string; globs: string[]; index: GlobIndex } | undefined;

  /** With `engine`, globs are counted in its worker thread. */
  constructor(private readonly engine?: EngineClient) {}

  /**
   * The counts known for `tracked`, shared with an equal list seen before (same paths, same order):
   * the same object for equal lists, so callers can key their own results on it.
   */
  knownFor(tracked: readonly string[]): Map<string, GlobMatches> {
    let known = this.byList.get(tracked);
    if (!known) {
      const prev = this.last;
      // Comparing 100k paths costs a few milliseconds; matching them against every glob, far more.
      known = prev && sameList(prev.list, tracked) ? prev.known : new Map<string, GlobMatches>();
      this.byList.set(tracked, known);
    }
    this.last = { list: tracked, known };
    return known;
  }

  /**
   * The counts of `globs` over `tracked` (those not known yet are matched): in the engine's worker
   * when there is one; otherwise here, CHUNK_PATHS files at a time with a yield between chunks.
   */
  async count(tracked: readonly string[], globs: string[]): Promise<Map<string, GlobMatches>> {
    const known = this.knownFor(tracked);
    const missing = [...new Set(globs.filter((g) => !known.has(g)))];
    if (!missing.length) return known;
    if (this.engine) {
      const engine = this.engine;
      const counted = await engine.retryingWithPaths(tracked, (ref) => engine.call('globCounts', { globs: missing, files: ref, maxExamples: TrackedMatchCache.EXAMPLES }, 'the tracked files'));
      for (const [g, m] of counted) known.set(g, m);
      return known;
    }
    const { globs: list, index } = await this.compiled(missing);
    const sum = list.map(() => ({ count: 0, examples: [] as string[] }));
    for (let i = 0; i < tracked.length; i += CHUNK_PATHS) {
      await yieldToEventLoop();
      for (const file of tracked.slice(i, i + CHUNK_PATHS)) {
        index.query(file, (e) => {
          const into = sum[e.list];
          if (!into) return;
          into.count++;
          if (into.examples.length < TrackedMatchCache.EXAMPLES) into.examples.push(file);
        });
      }
    }
    list.forEach((g, i) => {
      const m = sum[i];
      if (m) known.set(g, m);
    });
    return known;
  }

  /** An index of `globs` (entry `list` = position), reused while the glob set stays the same; built in chunks. */
  private async compiled(globs: string[]): Promise<{ globs: string[]; index: GlobIndex }> {
    const key = globs.join('\n');
    if (this.index?.key === key) return this.index;
    const index = new GlobIndex();
    for (let i = 0; i < globs.length; i += CHUNK_GLOBS) {
      if (i > 0) await yieldToEventLoop();
      globs.slice(i, i + CHUNK_GLOBS).forEach((g, k) => index.add(g, i + k, false));
    }
    this.index = { key, globs, index };
    return this.index;
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
