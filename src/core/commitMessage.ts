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
