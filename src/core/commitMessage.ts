// What commit-msg must know about a message before it adds trailers: whether git will abort the
// commit as empty (a trailer would make it non-empty, and the commit the user just abandoned in
// the editor would go through), and whether the file uses Windows line endings (git's trailer and
// scissors handling only understands "\n").

/** Characters git may pick for `core.commentChar=auto` (its own list, in its order). */
const AUTO_COMMENT_CHARS = '#;@!$%^&|:';

/** The line `git commit -v` writes above the diff: everything from it on is cut by git. */
const SCISSORS = / -{24} >8 -{24}$/;

/**
 * True when git would find no message in `text` (lines separated by "\n"): nothing but blank lines
 * and comment lines above the scissors line. `commentChar` is `core.commentChar` ("#" unset).
 */
export function isEmptyMessage(text: string, commentChar = '#'): boolean {
  const comments = commentChar === 'auto' ? AUTO_COMMENT_CHARS.split('') : [commentChar];
  for (const line of text.split('\n')) {
    if (comments.some((c) => line.startsWith(c))) {
      // The scissors line: git cuts it and everything below (the diff of `git commit -v`).
      if (SCISSORS.test(line)) return true;
      continue;
    }
    if (line.trim() !== '') return false;
  }
  return true;
}

/** True when every line break of `text` is "\r\n" (and there is at least one). */
export function usesCrlf(text: string): boolean {
  let breaks = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (text[i - 1] !== '\r') return false;
    breaks++;
  }
  return breaks > 0;
}

// ---------------------------------------------------------------------------------------------
// Trailers, exactly as `git interpret-trailers` reads and writes them (git's trailer.c and
// commit.c, replayed step by step): the editor puts an `Ownership-Waived:` line into the Source
// Control box where the commit-msg hook (which runs the real `git interpret-trailers`) would, and
// reads the waivers back the way `ownership check --message-file` does.

const WAIVER_KEY = 'Ownership-Waived';
/** Lines git recognises as its own trailers even in a block that is mostly prose. */
const GIT_GENERATED_PREFIXES = ['Signed-off-by: ', '(cherry picked from commit '];
const CUT_LINE = '------------------------ >8 ------------------------\n';

/** git's isspace: its own ctype table, ASCII space, tab, newline and carriage return only. */
function isGitSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

function isAlnum(c: string): boolean {
  return /^[A-Za-z0-9]$/.test(c);
}

/** Start of the line after the one at `i` (or the end of `s`). */
function nextLine(s: string, i: number): number {
  const nl = s.indexOf('\n', i);
  return nl < 0 ? s.length : nl + 1;
}

/** Start of the last line of `s.slice(0, len)` (a final "\n" belongs to it), or -1 when empty. */
function lastLine(s: string, len: number): number {
  if (len === 0) return -1;
  if (len === 1) return 0;
  for (let i = len - 2; i >= 0; i--) if (s[i] === '\n') return i + 1;
  return 0;
}

/** A line of nothing but git-spaces (the end of the text counts as a blank line). */
function isBlankLine(s: string, i: number): boolean {
  while (i < s.length && s[i] !== '\n' && isGitSpace(s[i])) i++;
  return i >= s.length || s[i] === '\n';
}

/** Where the `:` of `Key: value` is, or -1 when the line is not a trailer. */
function findSeparator(line: string): number {
  let whitespace = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ':') return i;
    if (!whitespace && (isAlnum(c) || c === '-')) continue;
    if (i > 0 && (c === ' ' || c === '\t')) { whitespace = true; continue; }
    break;
  }
  return -1;
}

/** git's ignore_non_trailer: bytes at the end that are comments, blank lines, "Conflicts:" or below the scissors. */
function ignoredTailLength(s: string, len: number, commentChar: string): number {
  let cutoff = len;
  const pattern = `\n${commentChar} ${CUT_LINE}`;
  if (s.startsWith(pattern.slice(1))) cutoff = 0;
  else {
    const p = s.indexOf(pattern);
    if (p >= 0 && p + 1 < cutoff) cutoff = p + 1;
  }
  let boc = 0; // as in git, 0 is both "no run of comments" and "a run starting at 0"
  let conflicts = false;
  for (let bol = 0; bol < cutoff;) {
    const nl = s.indexOf('\n', bol);
    const next = nl < 0 || nl >= cutoff ? cutoff : nl + 1;
    if (s.startsWith(commentChar, bol) || s[bol] === '\n') {
      if (!boc) boc = bol;
    } else if (s.startsWith('Conflicts:\n', bol)) {
      conflicts = true;
      if (!boc) boc = bol;
    } else if (conflicts && s[bol] === '\t') {
      // a path in the conflicts block
    } else if (boc) {
      boc = 0;
      conflicts = false;
    }
    bol = next;
  }
  return boc ? len - boc : len - cutoff;
}

/** git's find_trailer_start: the first line of the trailer block, or `len` when there is none. */
function trailerBlockStart(s: string, len: number, commentChar: string): number {
  // The first paragraph is the title and never trailers.
  let i = 0;
  for (; i < len; i = nextLine(s, i)) {
    if (s.startsWith(commentChar, i)) continue;
    if (isBlankLine(s, i)) break;
  }
  const endOfTitle = i;
  let onlySpaces = true;
  let recognizedPrefix = false;
  let trailerLines = 0;
  let nonTrailerLines = 0;
  let possibleContinuationLines = 0;
  for (let l = lastLine(s, len); l >= endOfTitle; l = lastLine(s, l)) {
    if (s.startsWith(commentChar, l)) {
      nonTrailerLines += possibleContinuationLines;
      possibleContinuationLines = 0;
      continue;
    }
    if (isBlankLine(s, l)) {
      if (onlySpaces) continue;
      nonTrailerLines += possibleContinuationLines;
      if (recognizedPrefix && trailerLines * 3 >= nonTrailerLines) return nextLine(s, l);
      if (trailerLines && !nonTrailerLines) return nextLine(s, l);
      return len;
    }
    onlySpaces = false;
    if (GIT_GENERATED_PREFIXES.some((p) => s.startsWith(p, l))) {
      trailerLines++;
      possibleContinuationLines = 0;
      recognizedPrefix = true;
      continue;
    }
    const line = s.slice(l, nextLine(s, l));
    if (findSeparator(line) >= 1 && !isGitSpace(line[0])) {
      trailerLines++;
      possibleContinuationLines = 0;
    } else if (isGitSpace(line[0])) {
      possibleContinuationLines++;
    } else {
      nonTrailerLines += 1 + possibleContinuationLines;
      possibleContinuationLines = 0;
    }
  }
  return len;
}

/** One entry of a trailer block: `Key: value` (value may hold continuation lines), or another line. */
type TrailerItem = { token: string; value: string } | { token: undefined; value: string };

interface TrailerBlock {
  /** Where the block starts and ends in the (LF) message; start === end when there is none. */
  start: number;
  end: number;
  items: TrailerItem[];
  /** Whether the text before the block ends with a blank line. */
  blankBefore: boolean;
}

/** git's `isspace`-trim of both ends. */
function gitTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isGitSpace(s[a])) a++;
  while (b > a && isGitSpace(s[b - 1])) b--;
  return s.slice(a, b);
}

/** The trailer block of an LF message, as git's trailer_info_get and parse_trailers see it. */
function trailerBlock(s: string, commentChar: string): TrailerBlock {
  let patchStart = s.length;
  for (let i = 0; i < s.length; i = nextLine(s, i)) {
    if (s.startsWith('---', i) && isGitSpace(s[i + 3])) { patchStart = i; break; }
  }
  const end = patchStart - ignoredTailLength(s, patchStart, commentChar);
  const start = trailerBlockStart(s, end, commentChar);
  // Lines of the block, continuation lines (starting with a space) joined to the trailer above.
  const strings: string[] = [];
  let continuable = false;
  for (let i = start; i < end;) {
    const next = Math.min(nextLine(s, i), end);
    const line = s.slice(i, next);
    if (continuable && isGitSpace(line[0])) strings[strings.length - 1] += line;
    else {
      strings.push(line);
      continuable = findSeparator(line) >= 1;
    }
    i = next;
  }
  const items: TrailerItem[] = [];
  for (const t of strings) {
    if (t.startsWith(commentChar)) continue; // git drops comment lines inside the block
    const sep = findSeparator(t);
    if (sep >= 1) items.push({ token: gitTrim(t.slice(0, sep)), value: gitTrim(t.slice(sep + 1)) });
    else items.push({ token: undefined, value: t.endsWith('\n') ? t.slice(0, -1) : t });
  }
  const ll = lastLine(s, start);
  return { start, end, items, blankBefore: ll >= 0 && isBlankLine(s, ll) };
}

function formatItem(item: TrailerItem): string {
  if (item.token === undefined) return `${item.value}\n`;
  const last = item.token.trimEnd().slice(-1);
  return last === ':' ? `${item.token}${item.value}\n` : `${item.token}: ${item.value}\n`;
}

/** Length of a token without trailing non-alphanumerics (git compares tokens that far). */
function tokenLength(token: string): number {
  let n = token.length;
  while (n > 0 && !isAlnum(token[n - 1]!)) n--;
  return n;
}

function sameToken(a: string, b: string): boolean {
  const n = Math.min(tokenLength(a), tokenLength(b));
  return a.slice(0, n).toLowerCase() === b.slice(0, n).toLowerCase();
}

/** Runs `edit` on the LF form of `message`, giving the result back with the message's own line ends. */
function withLf(message: string, edit: (lf: string) => string): string {
  if (!usesCrlf(message)) return edit(message);
  return edit(message.replace(/\r\n/g, '\n')).replace(/\n/g, '\r\n');
}

/** One line: an `Ownership-Waived` value cannot span lines. */
function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').trim();
}

/**
 * `message` with the trailer `Ownership-Waived: <feature>/<criterion> <reason>` added exactly as
 * `git interpret-trailers --trailer` adds it to the message completed with a final newline (after
 * the last trailer of the block, or in a new block after a blank line, above trailing comments and
 * the scissors; not twice in a row).
 * A CRLF message keeps CRLF. `commentChar` is `core.commentChar`.
 */
export function addWaiverTrailer(message: string, feature: string, criterion: string, reason: string, commentChar = '#'): string {
  const value = oneLine(`${feature}/${criterion} ${oneLine(reason)}`);
  return withLf(message, (text) => {
    // As the commit-msg hook does, and as git's own message file always is: a last line without
    // its newline would have git glue the trailer onto that line's paragraph, where nobody reads it.
    const s = text.length && !text.endsWith('\n') ? `${text}\n` : text;
    const block = trailerBlock(s, commentChar);
    const items = [...block.items];
    const added: TrailerItem = { token: WAIVER_KEY, value };
    // where=end, ifExists=addIfDifferentNeighbor, ifMissing=add: git's defaults.
    const last = items[items.length - 1];
    const exists = items.some((i) => i.token !== undefined && sameToken(i.token, WAIVER_KEY));
    const duplicate = exists && last?.token !== undefined && sameToken(last.token, WAIVER_KEY) && last.value.toLowerCase() === value.toLowerCase();
    if (!duplicate) items.push(added);
    return s.slice(0, block.start) + (block.blankBefore ? '' : '\n') + items.map(formatItem).join('') + s.slice(block.end);
  });
}

/** `Ownership-Waived` values of the message's trailer block, as `git interpret-trailers --parse` gives them. */
export function waiverValues(message: string, commentChar = '#'): string[] {
  const s = message.replace(/\r\n/g, '\n');
  return trailerBlock(s, commentChar).items
    .filter((i) => i.token !== undefined && i.token.toLowerCase() === WAIVER_KEY.toLowerCase())
    .map((i) => i.value.replace(/\n[ \t]*/g, ' ').trim()) // --parse unfolds continuation lines
    .filter((v) => v !== '');
}

/**
 * `message` without the `Ownership-Waived` trailers for `<feature>/<criterion>` (un-waiving it);
 * every other line is kept as written. When nothing else is left in the trailer block, the blank
 * line that separated it goes too.
 */
export function removeWaiverTrailer(message: string, feature: string, criterion: string, commentChar = '#'): string {
  return withLf(message, (s) => {
    const block = trailerBlock(s, commentChar);
    const target = `${feature}/${criterion}`.toLowerCase();
    let kept = '';
    let removed = false;
    let keptSomething = false;
    let dropping = false;
    for (let i = block.start; i < block.end;) {
      const next = Math.min(nextLine(s, i), block.end);
      const line = s.slice(i, next);
      if (dropping && isGitSpace(line[0]) && !isBlankLine(s, i)) { i = next; continue; } // its continuation lines
      dropping = false;
      const sep = findSeparator(line);
      const token = sep >= 1 ? gitTrim(line.slice(0, sep)) : undefined;
      const value = sep >= 1 ? gitTrim(line.slice(sep + 1)).toLowerCase() : '';
      if (token?.toLowerCase() === WAIVER_KEY.toLowerCase() && (value === target || value.startsWith(`${target} `) || value.startsWith(`${target}\t`))) {
        removed = true;
        dropping = true;
      } else {
        kept += line;
        if (!line.startsWith(commentChar)) keptSomething = true;
      }
      i = next;
    }
    if (!removed) return s;
    let before = s.slice(0, block.start);
    if (!keptSomething) {
      // Drop the blank line(s) that only separated the block, keeping the message's final newline.
      before = before.replace(/\n(?:[ \t\r]*\n)+$/, '\n');
    }
    return before + kept + s.slice(block.end);
  });
}
