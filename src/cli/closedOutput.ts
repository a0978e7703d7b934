// What the CLI does when its output cannot be written. Node ignores SIGPIPE, so a reader that
// went away (`ownership list | head -1`, `| true`) surfaces as an EPIPE 'error' event on the
// stream, which unhandled is a stack trace and exit 1; a full disk (`> /dev/full`) as ENOSPC.
//   EPIPE (stdout or stderr): exit at once, silently, with status 141 — what git and other
//     tools report when SIGPIPE ends them (128 + 13), so `set -o pipefail` scripts see the same
//     status for `ownership … | head` as for `git log | head`.
//   Any other write error (ENOSPC, EIO, …): one line on stderr naming it, exit status 2.

/** Exit status when the reader of our output closed it: 128 + SIGPIPE, as the shell reports git's. */
export const EXIT_OUTPUT_CLOSED = 141;
/** Exit status when output could not be written for another reason (the CLI's error status). */
const EXIT_OUTPUT_FAILED = 2;

interface WritableLike {
  on(event: 'error', listener: (e: NodeJS.ErrnoException) => void): unknown;
}

interface OutputGuardDeps {
  stdout: WritableLike;
  stderr: WritableLike;
  /** Best-effort one-line report; must not throw. */
  report(line: string): void;
  exit(code: number): void;
}

/** The one-line message (without newline) and exit status for a failed write to `stream`. */
export function outputFailure(stream: 'stdout' | 'stderr', e: NodeJS.ErrnoException): { code: number; message?: string } {
  if (e.code === 'EPIPE') return { code: EXIT_OUTPUT_CLOSED };
  const reason = e.code === 'ENOSPC' ? 'no space left on device' : (e.message.split('\n')[0] ?? String(e.code));
  return { code: EXIT_OUTPUT_FAILED, message: `ownership: cannot write to ${stream}: ${reason}${e.code && !reason.includes(e.code) ? ` (${e.code})` : ''}` };
}

/** Installs the handlers on both streams; the first failure ends the process. */
export function guardOutput(deps: OutputGuardDeps): void {
  let done = false;
  const handle = (stream: 'stdout' | 'stderr') => (e: NodeJS.ErrnoException) => {
    if (done) return;
    done = true;
    const { code, message } = outputFailure(stream, e);
    // stderr is the stream that failed, or may be: report only a stdout failure.
    if (message && stream === 'stdout') deps.report(`${message}\n`);
    deps.exit(code);
  };
  deps.stdout.on('error', handle('stdout'));
  deps.stderr.on('error', handle('stderr'));
}
