// Where each glob stands in an OWNERSHIP.yml: the editor needs positions per glob (a hover on one
// glob, a warning on the one glob that matches nothing), while the parser's model keeps lists.
// Tolerant: a file with errors still yields the globs that can be found.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { globError, normalizeGlob } from './glob';
import { BUILTIN_CRITERIA, type SourceRange } from './types';

export interface GlobSite extends SourceRange {
  /** The glob as written, relative to the folder of the OWNERSHIP.yml. */
  pattern: string;
  /** `code`, a criterion name, or `ignore`. */
  list: string;
  /** The id of the feature it belongs to; undefined in `defaults` and `ignore`. */
  feature?: string;
}

/** Every glob of an OWNERSHIP.yml with its 1-based range (end exclusive). */
export function findGlobSites(text: string): GlobSite[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const out: GlobSite[] = [];
  const globs = (node: unknown, list: string, feature: string | undefined) => {
    // A criterion is a list of globs or `{paths, required}`.
    const seq = isMap(node) ? node.get('paths', true) : node;
    if (!isSeq(seq)) return;
    for (const item of seq.items) {
      if (!isScalar(item) || typeof item.value !== 'string' || !item.range) continue;
      const s = lines.linePos(item.range[0]);
      const e = lines.linePos(item.range[1]);
      out.push({ pattern: item.value, list, feature, line: s.line, col: s.col, endLine: e.line, endCol: e.col });
    }
  };
  const criteria = (owner: YamlNode | undefined, feature: string | undefined) => {
    if (!isMap(owner)) return;
    for (const name of BUILTIN_CRITERIA) globs(owner.get(name, true), name, feature);
    const custom = owner.get('criteria', true);
    if (isMap(custom)) {
      for (const pair of custom.items) if (isScalar(pair.key)) globs(pair.value, String(pair.key.value), feature);
    }
  };
  const root = doc.contents;
  if (!isMap(root)) return out;
  globs(root.get('ignore', true), 'ignore', undefined);
  criteria(root.get('defaults', true) as YamlNode | undefined, undefined);
  const features = root.get('features', true);
  if (isSeq(features)) {
    for (const f of features.items) {
      if (!isMap(f)) continue;
      const id = f.get('id');
      const feature = typeof id === 'string' ? id : undefined;
      globs(f.get('code', true), 'code', feature);
      criteria(f as YamlNode, feature);
    }
  }
  return out.sort((a, b) => a.line - b.line || a.col - b.col);
}

/**
 * The globs of `sites` that can be checked for matching no tracked file, with each one's
 * repository-relative glob (`base`: the folder of the OWNERSHIP.yml). Left out: `ignore` globs
 * (they name files that may well be untracked, like build output), `!` globs (they only subtract)
 * and invalid globs (they have an error of their own). Checking every glob of a 5,000-feature file
 * costs over 100 ms, so the editor asks this of the engine's worker.
 */
export function noMatchCandidates(sites: readonly GlobSite[], base: string): { sites: GlobSite[]; globs: string[] } {
  const out: GlobSite[] = [];
  const globs: string[] = [];
  for (const s of sites) {
    if (s.list === 'ignore' || s.pattern.startsWith('!') || globError(s.pattern)) continue;
    out.push(s);
    globs.push(normalizeGlob(s.pattern, base).glob);
  }
  return { sites: out, globs };
}
