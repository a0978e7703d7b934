// Renderings of a verdict: text for people, JSON for scripts, GitHub workflow commands and SARIF
// for pull-request annotations. File names and messages are escaped for each format, so a file
// named `::error::x` cannot inject a workflow command.
import { formatCheckMarkdown } from './checkMarkdown';
import { escapeControls } from './printable';
import type { OwedDelta } from './report';
import type { FeatureVerdict, Problem, Verdict } from './types';

export type Format = 'text' | 'json' | 'github' | 'sarif' | 'markdown';
export const FORMATS: readonly Format[] = ['text', 'json', 'github', 'sarif', 'markdown'];

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "Checkout flow (@payments) is missing tests and docs" */
export function gapSentence(f: FeatureVerdict): string {
  const who = f.owners.length ? ` (${f.owners.join(', ')})` : '';
  return `${f.name}${who} is missing ${list(f.gaps)}`;
}

/** "1 changed file belongs to no feature." / "3 changed files belong to no feature." */
export function unownedSentence(n: number): string {
  return `${plural(n, 'changed file')} ${n === 1 ? 'belongs' : 'belong'} to no feature.`;
}

/** The one-line verdict, first line of the text output. */
function headline(v: Verdict): string {
  const { touched, incomplete, gaps } = v.summary;
  if (gaps > 0) return `✗ ${plural(gaps, 'gap')} in ${incomplete} of ${plural(touched, 'touched feature')}`;
  if (touched > 0) return `✓ No gaps: ${touched === 1 ? 'the touched feature is' : `all ${touched} touched features are`} complete`;
  return '✓ No gaps: the change touches no feature';
}

/** A short summary for people; its first line is the verdict. */
export function formatText(v: Verdict, describe = ''): string {
  const lines = [headline(v) + (describe ? ` (${describe})` : '')];
  for (const f of v.features) {
    if (!f.touched) continue;
    const who = f.owners.length ? ` ${f.owners.join(', ')}` : '';
    const state = f.gaps.length ? `missing ${list(f.gaps)}` : 'complete';
    lines.push(`  ${f.gaps.length ? '✗' : '✓'} ${f.name} [${f.id}]${who}: ${state}`);
    for (const [criterion, paths] of Object.entries(f.changed)) {
      const shown = paths.slice(0, 3).join(', ') + (paths.length > 3 ? `, … ${paths.length - 3} more` : '');
      lines.push(`      ${criterion}: ${shown}`);
    }
    for (const w of f.waived) lines.push(`      waived ${w.criterion}${w.reason ? `: ${w.reason}` : ''}`);
  }
  if (v.unowned.length) {
    const shown = v.unowned.slice(0, 10);
    lines.push(`  Unowned changes (${v.unowned.length}): ${shown.join(', ')}${v.unowned.length > shown.length ? `, … ${v.unowned.length - shown.length} more` : ''}`);
  }
  if (v.summary.gaps > 0) {
    lines.push('  Add the missing pieces to this change, or waive one with a commit trailer:');
    const f = v.features.find((x) => x.gaps.length)!;
    lines.push(`    Ownership-Waived: ${f.id}/${f.gaps[0]} <reason>`);
  }
  // Names and paths come from the repository: a newline in one must not start a line of its own.
  return lines.map(escapeControls).join('\n') + '\n';
}

export function formatJson(v: Verdict): string {
  const out = {
    schemaVersion: v.schemaVersion,
    // Exactly the documented keys: scripts in CI rely on this shape.
    features: v.features.map((f) => ({ id: f.id, name: f.name, owners: f.owners, file: f.file, touched: f.touched, changed: f.changed, gaps: f.gaps, waived: f.waived })),
    unowned: v.unowned,
    summary: v.summary,
  };
  return JSON.stringify(out, null, 2) + '\n';
}

/** Escapes workflow-command data (the message). */
function ghData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes workflow-command property values (file, title). */
function ghProp(s: string): string {
  return ghData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** How many changed code files of one feature get an annotation of their own; the rest are counted. */
const ANNOTATED_FILES_PER_FEATURE = 3;

/** Where a gap is annotated: the feature's first changed code files, and the summary on its line in OWNERSHIP.yml. */
function gapSites(f: FeatureVerdict): { files: string[]; summary: string } {
  const code = f.changed.code ?? [];
  const files = code.slice(0, ANNOTATED_FILES_PER_FEATURE);
  const more = code.length - files.length;
  const summary = code.length ? ` (changed code: ${files.join(', ')}${more ? ` and ${plural(more, 'more file')}` : ''})` : '';
  return { files, summary };
}

function waiveHint(f: FeatureVerdict): string {
  return `waive with "Ownership-Waived: ${f.id}/${f.gaps[0]} <reason>"`;
}

/**
 * GitHub workflow commands. A gap is annotated where the change is — on each of the feature's
 * first changed code files — and once on the feature's line in OWNERSHIP.yml, which also names
 * how many code files changed; an unowned path is annotated on itself.
 */
export function formatGithub(v: Verdict, forceStrict = false): string {
  const lines: string[] = [];
  for (const f of v.features) {
    if (!f.gaps.length) continue;
    const level = forceStrict || f.mode === 'strict' ? 'error' : 'warning';
    const title = ghProp(`Ownership: ${f.name}`);
    const { files, summary } = gapSites(f);
    for (const p of files) {
      lines.push(`::${level} file=${ghProp(p)},title=${title}::${ghData(`${gapSentence(f)} in this change, which edits its code here (${waiveHint(f)})`)}`);
    }
    lines.push(`::${level} file=${ghProp(f.file)},line=${f.line},title=${title}::${ghData(`${gapSentence(f)} in this change${summary} (${waiveHint(f)})`)}`);
  }
  for (const p of v.unowned) lines.push(`::notice file=${ghProp(p)},title=${ghProp('Ownership: unowned change')}::${ghData(`${p} belongs to no feature in OWNERSHIP.yml`)}`);
  lines.push(ghData(headline(v)));
  return lines.join('\n') + '\n';
}

function uri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** SARIF 2.1.0: a gap is one result per annotated changed code file plus one on the feature's line in OWNERSHIP.yml. */
export function formatSarif(v: Verdict, forceStrict = false, version = '0.0.0'): string {
  const results: unknown[] = [];
  const at = (path: string, line?: number) => ({ physicalLocation: { artifactLocation: { uri: uri(path), uriBaseId: '%SRCROOT%' }, ...(line ? { region: { startLine: line } } : {}) } });
  for (const f of v.features) {
    if (!f.gaps.length) continue;
    const level = forceStrict || f.mode === 'strict' ? 'error' : 'warning';
    const properties = { feature: f.id, gaps: f.gaps, owners: f.owners };
    const { files, summary } = gapSites(f);
    for (const p of files) {
      results.push({
        ruleId: 'ownership/gap',
        level,
        message: { text: `${gapSentence(f)} in this change, which edits its code here.` },
        locations: [at(p)],
        relatedLocations: [{ id: 0, message: { text: `${f.name} in ${f.file}` }, ...at(f.file, f.line) }],
        properties,
      });
    }
    results.push({
      ruleId: 'ownership/gap',
      level,
      message: { text: `${gapSentence(f)} in this change${summary}.` },
      locations: [at(f.file, f.line)],
      relatedLocations: (f.changed.code ?? []).slice(0, 20).map((p, i) => ({ id: i, message: { text: 'changed code' }, ...at(p) })),
      properties,
    });
  }
  for (const p of v.unowned) {
    results.push({
      ruleId: 'ownership/unowned',
      level: 'note',
      message: { text: `${p} belongs to no feature in OWNERSHIP.yml.` },
      locations: [{ physicalLocation: { artifactLocation: { uri: uri(p), uriBaseId: '%SRCROOT%' } } }],
    });
  }
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'ownership',
          version,
          rules: [
            { id: 'ownership/gap', shortDescription: { text: 'A touched feature is missing a required done-criterion' }, defaultConfiguration: { level: 'warning' } },
            { id: 'ownership/unowned', shortDescription: { text: 'A changed path belongs to no feature' }, defaultConfiguration: { level: 'note' } },
          ],
        },
      },
      results,
    }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

interface FormatOptions {
  strict?: boolean;
  describe?: string;
  version?: string;
  /** For markdown: per feature id, its criteria in order and whether each is required. */
  criteria?: (id: string) => Map<string, boolean>;
  /** For markdown on a branch: the owed pieces it settles and leaves. */
  owed?: OwedDelta;
}

export function formatVerdict(v: Verdict, format: Format, opts: FormatOptions = {}): string {
  switch (format) {
    case 'markdown': return formatCheckMarkdown(v, headline(v), opts.criteria ?? (() => new Map()), opts);
    case 'json': return formatJson(v);
    case 'github': return formatGithub(v, opts.strict);
    case 'sarif': return formatSarif(v, opts.strict, opts.version);
    case 'text':
    default: return formatText(v, opts.describe); // also any unknown value from outside
  }
}

/** Problems as GitHub workflow commands. */
export function formatProblemsGithub(problems: Problem[]): string {
  return problems.map((p) => `::${p.severity === 'warning' ? 'warning' : 'error'} file=${ghProp(p.file)},line=${p.line},col=${p.col}::${ghData(p.message)}`).join('\n') + (problems.length ? '\n' : '');
}
