// `check --format markdown`: a verdict as GitHub-flavoured Markdown for a pull-request comment or
// $GITHUB_STEP_SUMMARY. The verdict first, a table per touched feature, the waivers with their
// reasons, and (for a branch) the owed pieces it settles or leaves. Every name, path and reason
// goes through markdown.ts, so none of them can become markup.
import { mdCode, mdTable, mdText } from './markdown';
import type { FeaturePiece, OwedDelta } from './report';
import type { FeatureVerdict, Verdict } from './types';

const MAX_FILES = 10;

function files(paths: string[] | undefined): string {
  if (!paths?.length) return '—';
  const shown = paths.slice(0, MAX_FILES).map((p) => mdCode(p)).join(', ');
  return paths.length > MAX_FILES ? `${shown}, … ${paths.length - MAX_FILES} more` : shown;
}

function owners(f: { owners: string[] }): string {
  return f.owners.length ? ` — ${f.owners.map(mdText).join(', ')}` : '';
}

function featureTable(f: FeatureVerdict, required: Map<string, boolean>): string[] {
  const rows = [['code', files(f.changed.code), 'changed']];
  for (const [criterion, isRequired] of required) {
    const waiver = f.waived.find((w) => w.criterion === criterion);
    const status = f.changed[criterion] ? '✓ changed'
      : f.gaps.includes(criterion) ? '✗ **missing**'
        : waiver ? `waived${waiver.reason ? `: ${mdText(waiver.reason)}` : ''}`
          : isRequired ? '✓' : 'optional';
    rows.push([mdText(criterion), files(f.changed[criterion]), status]);
  }
  return mdTable(['Criterion', 'Changed files', 'Status'], ['l', 'l', 'l'], rows);
}

function pieceRows(list: FeaturePiece[]): string[][] {
  return list.map((p) => [
    `${mdText(p.name)} (${mdCode(p.feature)})`, mdText(p.criterion), `${mdCode(p.commit.slice(0, 7))} ${mdText(p.subject)}`,
    p.waived ? (p.reason ? `waived: ${mdText(p.reason)}` : 'waived') : 'not waived',
  ]);
}

/**
 * The verdict as Markdown. `headline` is the one-line verdict (format.ts), `required` gives, per
 * feature id, its criteria in order and whether each is required.
 */
export function formatCheckMarkdown(v: Verdict, headline: string, required: (id: string) => Map<string, boolean>, opts: { describe?: string; owed?: OwedDelta } = {}): string {
  const out = [`### ${headline}`, '']; // our own words and numbers
  if (opts.describe) out.push(`Ownership check of ${mdText(opts.describe)}.`, '');
  for (const f of v.features) {
    if (!f.touched) continue;
    out.push(`#### ${f.gaps.length ? '✗' : '✓'} ${mdText(f.name)} (${mdCode(f.id, false)})${owners(f)}`, '');
    out.push(...featureTable(f, required(f.id)), '');
  }
  const waivers = v.features.flatMap((f) => f.waived.map((w) => ({ f, w })));
  if (waivers.length) {
    out.push('**Waivers**', '');
    for (const { f, w } of waivers) out.push(`- ${mdCode(`${f.id}/${w.criterion}`, false)}: ${w.reason ? mdText(w.reason) : '(no reason given)'}`);
    out.push('');
  }
  if (opts.owed) {
    const { settles, leaves } = opts.owed;
    const head = ['Feature', 'Owed', 'Since', 'Waiver'];
    const align: ('l' | 'r')[] = ['l', 'l', 'l', 'l'];
    if (settles.length) out.push(`**This branch settles ${settles.length === 1 ? 'a piece' : `${settles.length} pieces`} owed before it**`, '', ...mdTable(head, align, pieceRows(settles)), '');
    if (leaves.length) out.push(`**This branch leaves ${leaves.length === 1 ? 'a piece' : `${leaves.length} pieces`} owed**`, '', ...mdTable(head, align, pieceRows(leaves)), '');
    if (!settles.length && !leaves.length) out.push('This branch neither settles nor leaves an owed piece.', '');
  }
  if (v.unowned.length) {
    out.push(`<details><summary>Unowned changes (${v.unowned.length})</summary>`, '', v.unowned.slice(0, 50).map((p) => mdCode(p, false)).join(', ') + (v.unowned.length > 50 ? `, … ${v.unowned.length - 50} more` : ''), '', '</details>', '');
  }
  if (v.summary.gaps > 0) {
    const f = v.features.find((x) => x.gaps.length)!;
    out.push(`Add the missing pieces, or waive one with a commit trailer: ${mdCode(`Ownership-Waived: ${f.id}/${f.gaps[0]} <reason>`, false)}`, '');
  }
  return out.join('\n');
}
