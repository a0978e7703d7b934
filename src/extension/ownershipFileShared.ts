// What the OWNERSHIP.yml editor features (diagnostics, hover, create command) share: what they
// need from the rest of the extension, and one cache of glob match counts per tracked-file list.
import type * as vscode from 'vscode';
import { matchGlobs, type GlobMatches } from '../core/globMatches';
import { FILE_NAME } from '../core/parse';
import { CHUNK_PATHS, yieldToEventLoop } from './chunked';

export interface OwnershipFileDeps {
  /**
   * The tracked files of a workspace folder, POSIX paths relative to that folder; undefined when
   * unknown (no git repository, or git is off in an untrusted workspace). The same array while
   * nothing changed lets the match counts be cached.
   */
  trackedFiles(folder: vscode.Uri): Promise<string[] | undefined>;
  /** Optional: fires when the tracked files change, so "matches no file" warnings follow `git add`. */
  onDidChangeTrackedFiles?: vscode.Event<unknown>;
}

export const OWNERSHIP_SELECTOR: vscode.DocumentSelector = { pattern: `**/${FILE_NAME}` };

export function isOwnershipDocument(d: vscode.TextDocument): boolean {
  return d.uri.path.endsWith(`/${FILE_NAME}`);
}

/** `uri` relative to `folder`, POSIX. */
export function relativePath(folder: vscode.Uri, uri: vscode.Uri): string {
  const base = folder.path.endsWith('/') ? folder.path : `${folder.path}/`;
  return uri.path.startsWith(base) ? uri.path.slice(base.length) : uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

/** Match counts of repository-relative globs, kept per tracked-file list (a new list starts afresh). */
export class TrackedMatchCache {
  static readonly EXAMPLES = 5;
  private readonly byList = new WeakMap<readonly string[], Map<string, GlobMatches>>();

  /** Synchronous: for a handful of globs (a hover); many globs over a large repository want getInChunks. */
  get(tracked: readonly string[], globs: string[]): Map<string, GlobMatches> {
    let known = this.byList.get(tracked);
    if (!known) this.byList.set(tracked, (known = new Map()));
    const missing = globs.filter((g) => !known!.has(g));
    if (missing.length) for (const [g, m] of matchGlobs(missing, tracked, TrackedMatchCache.EXAMPLES)) known.set(g, m);
    return known;
  }

  /** Like get, matching CHUNK_PATHS files at a time with a yield between chunks. */
  async getInChunks(tracked: readonly string[], globs: string[]): Promise<Map<string, GlobMatches>> {
    let known = this.byList.get(tracked);
    if (!known) this.byList.set(tracked, (known = new Map()));
    const missing = [...new Set(globs.filter((g) => !known!.has(g)))];
    if (!missing.length) return known;
    const sum = new Map(missing.map((g) => [g, { count: 0, examples: [] as string[] }]));
    for (let i = 0; i < tracked.length; i += CHUNK_PATHS) {
      if (i > 0) await yieldToEventLoop();
      for (const [g, m] of matchGlobs(missing, tracked.slice(i, i + CHUNK_PATHS), TrackedMatchCache.EXAMPLES)) {
        const into = sum.get(g)!;
        into.count += m.count;
        for (const e of m.examples) if (into.examples.length < TrackedMatchCache.EXAMPLES) into.examples.push(e);
      }
    }
    for (const [g, m] of sum) known.set(g, m);
    return known;
  }
}
