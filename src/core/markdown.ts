// GitHub-flavoured Markdown for text that anyone who can push a branch controls: file names,
// commit subjects, waiver reasons, feature names. Nothing in them may become markup: no HTML, no
// link, no emphasis, no table cell break, no new line.
import { escapeControls } from './printable';

/**
 * Plain text: every ASCII punctuation character becomes a numeric character reference, which
 * CommonMark and GitHub render as that character and never read as markup (a raw `|` would split
 * a table cell, `<` open HTML, `[` a link, `@` a mention). Controls are shown escaped first, so a
 * newline cannot end a table row.
 */
export function mdText(s: string): string {
  return escapeControls(s).replace(/[!-/:-@[-`{-~]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A code span (file names read best in one): fenced with more backticks than the longest run
 * inside, padded when the text starts or ends with one. Inside a table a `|` must still be
 * written `\|` (GitHub splits cells before it reads code spans).
 */
export function mdCode(s: string, inTable = true): string {
  let t = escapeControls(s);
  if (inTable) t = t.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') || t === '' ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/** A table: header cells are written as given (callers escape them), rows likewise. */
export function mdTable(header: string[], align: ('l' | 'r')[], rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${align.map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}
