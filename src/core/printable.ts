// Text output (terminal, CI log) shows file names and OWNERSHIP.yml strings that anyone who can
// push a branch controls. A newline in one would start a new log line, which GitHub Actions reads
// as a workflow command (`::error::…`, `::add-mask::…`) wherever it appears, stdout or stderr; an
// escape sequence would drive the terminal; a bidi override would make the text read differently
// from what it is. So control and bidi characters are shown escaped, never written raw.

/** C0 and C1 controls, DEL, and the Unicode bidi embeddings, overrides and isolates. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** `s` with control and bidi characters written as escapes (`\n`, `\x1b`, `\u202e`). */
export function escapeControls(s: string): string {
  return s.replace(UNSAFE, escapeOne);
}
