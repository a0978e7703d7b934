// Renderings of a Report: JSON for scripts, a short table for people (text or GitHub Markdown),
// and the owed pieces grouped by owner for a stand-up or a weekly mail.
import { mdCode, mdTable, mdText } from './markdown';
import { escapeControls } from './printable';
import type { FeatureReport, OwedPiece, Report } from './report';
import { BUILTIN_CRITERIA } from './types';

export type ReportFormat = 'text' | 'json' | 'markdown';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'markdown'];

function formatReportJson(r: Report): string {
  return JSON.stringify(r, null, 2) + '\n';
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function short(sha: string): string {
  return sha.slice(0, 7);
}

function totalGaps(f: FeatureReport): number {
  return Object.values(f.gaps).reduce((a, b) => a + b, 0);
}

function totalWaived(f: FeatureReport): number {
  return Object.values(f.waived).reduce((a, b) => a + b, 0);
}

/** Required criteria across features: the well-known ones first, then custom ones by name. */
function criteriaColumns(features: FeatureReport[]): string[] {
  const all = new Set(features.flatMap((f) => Object.keys(f.gaps)));
  const builtin: string[] = BUILTIN_CRITERIA.filter((c) => all.has(c));
  return [...builtin, ...[...all].filter((c) => !builtin.includes(c)).sort()];
}

/** Touched features, noisiest first: most gaps, then most waivers, then most touched. */
function noisiest(r: Report): FeatureReport[] {
  return r.features
    .filter((f) => f.touched > 0)
    .map((f, i) => ({ f, i }))
    .sort((a, b) => totalGaps(b.f) - totalGaps(a.f) || totalWaived(b.f) - totalWaived(a.f) || b.f.touched - a.f.touched || a.i - b.i)
    .map((x) => x.f);
}

function headlineText(r: Report): string {
  const s = r.summary;
  const waivedOnly = s.touching - s.complete - s.withGaps;
  if (!s.commits) return `No changes to report at ${short(r.range.head) || 'an empty history'}`;
  return `${plural(s.commits, 'change')} up to ${short(r.range.head)}: ${s.touching} touched a feature — ${s.complete} complete, ${s.withGaps} with gaps${waivedOnly ? `, ${waivedOnly} complete only by waivers` : ''}; ${plural(s.owed, 'piece')} still owed`;
}

function pad(cells: string[][], right: boolean[]): string[] {
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].length)));
  return cells.map((r) => r.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

function formatReportText(r: Report): string {
  const lines = [headlineText(r)];
  const rows = noisiest(r);
  const cols = criteriaColumns(r.features);
  if (rows.length) {
    const table = [
      ['feature', 'owners', 'touched', 'complete', ...cols, 'waived', 'owed'],
      ...rows.map((f) => [`${f.name} [${f.id}]`, f.owners.join(', ') || '-', String(f.touched), String(f.complete), ...cols.map((c) => (c in f.gaps ? String(f.gaps[c]) : '-')), String(totalWaived(f)), String(f.owed.length)]),
    ];
    lines.push('', ...pad(table, table[0]!.map((_, i) => i >= 2)).map((l) => '  ' + l));
    if (cols.length) lines.push('', `  (${cols.join(', ')}: changes that touched the feature without it and without a waiver; "-": not required)`);
  }
  const untouched = r.features.filter((f) => f.touched === 0);
  if (untouched.length) lines.push('', `  Not touched in this range: ${untouched.map((f) => f.id).join(', ')}`);
  return lines.map(escapeControls).join('\n') + '\n';
}

function formatReportMarkdown(r: Report): string {
  const s = r.summary;
  const out = ['### Ownership report', ''];
  if (!s.commits) {
    out.push(`No changes to report at ${r.range.head ? mdCode(short(r.range.head), false) : 'an empty history'}.`);
    return out.join('\n') + '\n';
  }
  const waivedOnly = s.touching - s.complete - s.withGaps;
  out.push(`**${plural(s.commits, 'change')}** up to ${mdCode(short(r.range.head), false)}: ${s.touching} touched a feature — ${s.complete} complete, ${s.withGaps} with gaps${waivedOnly ? `, ${waivedOnly} complete only by waivers` : ''}. **${plural(s.owed, 'piece')} still owed.**`, '');
  const rows = noisiest(r);
  const cols = criteriaColumns(r.features);
  if (rows.length) {
    out.push(...mdTable(
      ['Feature', 'Owners', 'Touched', 'Complete', ...cols.map((c) => `${mdText(c)} gaps`), 'Waived', 'Owed'],
      ['l', 'l', 'r', 'r', ...cols.map(() => 'r' as const), 'r', 'r'],
      rows.map((f) => [`${mdText(f.name)} (${mdCode(f.id)})`, f.owners.map(mdText).join(', ') || '—', String(f.touched), String(f.complete), ...cols.map((c) => (c in f.gaps ? String(f.gaps[c]) : '—')), String(totalWaived(f)), String(f.owed.length)]),
    ), '');
  }
  const untouched = r.features.filter((f) => f.touched === 0);
  if (untouched.length) out.push(`Not touched in this range: ${untouched.map((f) => mdCode(f.id, false)).join(', ')}`, '');
  return out.join('\n');
}

/** Owners in order of first appearance; a feature without owners goes under "(no owner)". */
function byOwner(r: Report): Map<string, FeatureReport[]> {
  const groups = new Map<string, FeatureReport[]>();
  for (const f of r.features) {
    if (!f.owed.length) continue;
    for (const o of f.owners.length ? f.owners : ['']) {
      const g = groups.get(o);
      if (g) g.push(f);
      else groups.set(o, [f]);
    }
  }
  return new Map([...groups].sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b))));
}

function day(date: string): string {
  return date.slice(0, 10);
}

function owedLine(p: OwedPiece): string {
  return `${p.criterion} since ${short(p.commit)} ${day(p.date)} ${p.author}: ${p.subject}${p.waived ? ` (waived${p.reason ? `: ${p.reason}` : ''})` : ' (not waived)'}`;
}

function formatOwedText(r: Report): string {
  const lines = [r.summary.owed
    ? `${plural(r.summary.owed, 'piece')} owed at ${short(r.range.head)} (over ${plural(r.summary.commits, 'change')})`
    : `Nothing owed at ${short(r.range.head) || 'an empty history'} (over ${plural(r.summary.commits, 'change')})`];
  for (const [owner, features] of byOwner(r)) {
    lines.push('', owner || '(no owner)');
    for (const f of features) {
      lines.push(`  ${f.name} [${f.id}]`);
      for (const p of f.owed) lines.push(`    ${owedLine(p)}`);
    }
  }
  return lines.map(escapeControls).join('\n') + '\n';
}

function formatOwedMarkdown(r: Report): string {
  const out = ['### Owed pieces', ''];
  if (!r.summary.owed) {
    out.push(`Nothing owed at ${r.range.head ? mdCode(short(r.range.head), false) : 'an empty history'} (over ${plural(r.summary.commits, 'change')}).`);
    return out.join('\n') + '\n';
  }
  out.push(`**${plural(r.summary.owed, 'piece')} owed** at ${mdCode(short(r.range.head), false)} (over ${plural(r.summary.commits, 'change')}).`, '');
  for (const [owner, features] of byOwner(r)) {
    out.push(`#### ${owner ? mdText(owner) : '(no owner)'}`, '');
    out.push(...mdTable(
      ['Feature', 'Owed', 'Since', 'Author', 'Change', 'Waiver'],
      ['l', 'l', 'l', 'l', 'l', 'l'],
      features.flatMap((f) => f.owed.map((p) => [
        `${mdText(f.name)} (${mdCode(f.id)})`, mdText(p.criterion), `${mdCode(short(p.commit))} ${day(p.date)}`, mdText(p.author), mdText(p.subject),
        p.waived ? (p.reason ? `waived: ${mdText(p.reason)}` : 'waived') : 'not waived',
      ])),
    ), '');
  }
  return out.join('\n');
}

/** The report in `format`; `owedOnly` prints only the owed pieces, grouped by owner. */
export function formatReport(r: Report, format: ReportFormat, owedOnly = false): string {
  switch (format) {
    case 'json': return formatReportJson(r);
    case 'markdown': return owedOnly ? formatOwedMarkdown(r) : formatReportMarkdown(r);
    case 'text': return owedOnly ? formatOwedText(r) : formatReportText(r);
  }
}
