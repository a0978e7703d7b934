// The local channel between the commit hook and the running extension. It is never a network
// port: a Unix socket inside a directory only this user can enter (a named pipe on Windows), and
// a random token that the extension writes under the repository's git directory with user-only
// permissions. Node cannot ask a Unix socket who the peer is (no SO_PEERCRED), so the 0700
// directory (nobody else can connect) and the token (nobody else can read it) are the guard.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, chmodSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What the hook asks: the touched features with gaps in the staged change. */
export interface CommitQuestion {
  repoRoot: string;
  /** "Checkout flow (@payments) is missing tests and docs", worded by the core for all voices. */
  headline: string;
  features: { id: string; name: string; owners: string[]; gaps: string[]; mode: 'warn' | 'strict'; sentence: string }[];
}

export type CommitAnswer = { decision: 'commit'; reason: string } | { decision: 'cancel' };

/** Written to `$GIT_DIR/ownership/ipc.json` (mode 0600) by the extension. */
interface IpcEndpoint {
  version: 1;
  socket: string;
  token: string;
  pid: number;
}

const MAX_LINE = 1 << 20;
const isWindows = process.platform === 'win32';

/** `$GIT_DIR/ownership`: created 0700, as everything we keep there is this user's only. */
export function stateDir(gitDir: string): string {
  const dir = join(gitDir, 'ownership');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

export function endpointFile(gitDir: string): string {
  return join(gitDir, 'ownership', 'ipc.json');
}

/** Writes a file readable by this user only, atomically (a reader never sees half of it). */
export function writePrivateFile(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' });
  renameSync(tmp, file);
}

/**
 * Reads a file only when this user owns it and nobody else can read or write it; otherwise
 * undefined (another user could have planted or read it).
 */
export function readPrivateFile(file: string): string | undefined {
  try {
    const st = lstatSync(file);
    if (!st.isFile()) return undefined;
    if (!isWindows && (st.uid !== process.getuid!() || (st.mode & 0o077) !== 0)) return undefined;
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function isPrivateDir(dir: string): boolean {
  try {
    const st = lstatSync(dir);
    return st.isDirectory() && st.uid === process.getuid!() && (st.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

/**
 * A directory for sockets that only this user can enter: `$XDG_RUNTIME_DIR` (already private)
 * or `<tmp>/ownership-<uid>`, created 0700 and checked; if someone else holds that name, a fresh
 * `mkdtemp` directory (0700 by construction) is used instead.
 */
export function socketDir(): string {
  const runtime = process.env.XDG_RUNTIME_DIR;
  if (runtime && isPrivateDir(runtime)) {
    const dir = join(runtime, 'ownership');
    try { mkdirSync(dir, { mode: 0o700 }); } catch { /* exists */ }
    if (isPrivateDir(dir)) return dir;
  }
  const dir = join(tmpdir(), `ownership-${process.getuid!()}`);
  try { mkdirSync(dir, { mode: 0o700 }); } catch { /* exists */ }
  try {
    const st = lstatSync(dir);
    // Ours but too open (e.g. an old umask): tighten it rather than trust it.
    if (st.isDirectory() && st.uid === process.getuid!() && (st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  } catch { /* checked below */ }
  if (isPrivateDir(dir)) return dir;
  return mkdtempSync(join(tmpdir(), 'ownership-'));
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Reads newline-delimited JSON from a socket; one message per callback, bounded in size. */
function onLines(sock: Socket, cb: (msg: unknown) => void): void {
  let buf = '';
  sock.setEncoding('utf8');
  sock.on('data', (chunk: string) => {
    buf += chunk;
    if (buf.length > MAX_LINE) { sock.destroy(); return; }
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      let msg: unknown;
      try { msg = JSON.parse(line); } catch { sock.destroy(); return; }
      cb(msg);
    }
  });
}

function send(sock: Socket, msg: unknown): void {
  if (!sock.destroyed) sock.write(JSON.stringify(msg) + '\n');
}

export type QuestionHandler = (q: CommitQuestion, signal: AbortSignal) => Promise<CommitAnswer>;

/** What a busy editor answers; the hook says it and asks the next way instead. */
const BUSY = 'the editor is already asking about another commit';

/**
 * One question at a time for all of `handle`'s channels (one editor window asks with a modal,
 * and a second modal would wait behind the first for as long as the user takes): a question
 * that arrives while another is open is refused at once, so its commit falls through to the
 * next way of asking instead of waiting without a word.
 */
export function oneQuestionAtATime(handle: QuestionHandler): QuestionHandler {
  let open = false;
  return async (q, signal) => {
    if (open) throw new Error(BUSY);
    open = true;
    try {
      return await handle(q, signal);
    } finally {
      open = false;
    }
  };
}

export interface IpcServer {
  endpoint: IpcEndpoint;
  /** Stops listening, removes the socket, and the endpoint file if it still names this server. */
  dispose(): Promise<void>;
}

function isQuestion(v: unknown): v is { token: string; question: CommitQuestion } {
  const m = v as { token?: unknown; question?: { repoRoot?: unknown; features?: unknown } };
  return !!m && typeof m.token === 'string' && !!m.question && typeof m.question.repoRoot === 'string' && Array.isArray(m.question.features);
}

/**
 * Starts the extension's side of the channel for one repository and publishes its endpoint in
 * `$GIT_DIR/ownership/ipc.json`. Each connection carries one question; the server acknowledges
 * at once (so the hook knows someone is asking the user) and answers when `handle` resolves.
 */
export async function startIpcServer(gitDir: string, handle: QuestionHandler): Promise<IpcServer> {
  const token = randomBytes(32).toString('hex');
  const id = randomBytes(8).toString('hex');
  const socket = isWindows ? `\\\\.\\pipe\\ownership-${id}` : join(socketDir(), `${id}.sock`);
  const open = new Set<Socket>();
  const server: Server = createServer((sock) => {
    open.add(sock);
    const ac = new AbortController();
    // The hook never half-closes while it waits: an end means it is gone (Ctrl-C, its timeout).
    sock.on('end', () => ac.abort());
    sock.on('close', () => { open.delete(sock); ac.abort(); });
    sock.on('error', () => sock.destroy());
    let asked = false;
    onLines(sock, (msg) => {
      if (asked) return;
      asked = true;
      if (!isQuestion(msg) || !sameToken(msg.token, token)) {
        send(sock, { error: 'unauthorized' });
        sock.end();
        return;
      }
      // Ask only once the acknowledgement is out: a hook that gave up before we read its
      // question (an extension host that was frozen or busy) has closed its end, the write fails
      // (a Unix socket's peer, once closed, refuses writes at once), and nobody is asked.
      const question = msg.question;
      sock.write(JSON.stringify({ ack: true }) + '\n', (err) => {
        if (err || ac.signal.aborted) { sock.destroy(); return; }
        handle(question, ac.signal).then(
          (answer) => { send(sock, answer); sock.end(); },
          (e: unknown) => { send(sock, { error: String((e as Error)?.message ?? e) }); sock.end(); },
        );
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => { server.off('error', reject); resolve(); });
  });
  if (!isWindows) chmodSync(socket, 0o600);
  const endpoint: IpcEndpoint = { version: 1, socket, token, pid: process.pid };
  stateDir(gitDir);
  const file = endpointFile(gitDir);
  writePrivateFile(file, JSON.stringify(endpoint) + '\n');
  return {
    endpoint,
    async dispose() {
      // Files first and synchronously: the extension host may exit before the close completes.
      // Another window may have taken over the endpoint file since: remove only our own.
      try {
        const cur = JSON.parse(readFileSync(file, 'utf8')) as IpcEndpoint;
        if (cur.token === token) unlinkSync(file);
      } catch { /* gone already */ }
      if (!isWindows) rmSync(socket, { force: true });
      for (const s of open) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

interface AskOptions {
  /** How long to wait for the connection and the acknowledgement (default 2 s). */
  connectTimeoutMs?: number;
  /** How long to wait for the user's answer once acknowledged (default 10 min). */
  answerTimeoutMs?: number;
}

/**
 * Why the extension did not answer; the hook falls through to the next way of asking. `absent`:
 * no extension serves this repository, nothing worth saying.
 */
type AskResult = { answer: CommitAnswer } | { noAnswer: string; absent?: true };

const NO_ENDPOINT = 'no extension endpoint';

function readEndpoint(gitDir: string): IpcEndpoint | string {
  const text = readPrivateFile(endpointFile(gitDir));
  if (text === undefined) {
    // Planted by someone else, or readable by others: never trusted, and said so.
    try { lstatSync(endpointFile(gitDir)); } catch { return NO_ENDPOINT; }
    return 'ignored the endpoint file: it is not private to you (owner or permissions)';
  }
  try {
    const e = JSON.parse(text) as IpcEndpoint;
    if (e.version !== 1 || typeof e.socket !== 'string' || typeof e.token !== 'string') return 'unreadable endpoint';
    if (typeof e.pid === 'number') {
      try { process.kill(e.pid, 0); } catch (err) { if ((err as NodeJS.ErrnoException).code === 'ESRCH') return 'extension no longer running'; }
    }
    if (!isWindows) {
      // The socket must sit in a directory only we can enter; otherwise it is not ours to trust.
      const dir = e.socket.slice(0, e.socket.lastIndexOf('/'));
      if (!isPrivateDir(dir)) return 'endpoint socket is not in a private directory';
      try { statSync(e.socket); } catch { return 'extension no longer running (its socket is gone)'; }
    }
    return e;
  } catch {
    return 'unreadable endpoint';
  }
}

/** Asks the extension serving `gitDir`, if one is running, and resolves to its answer. */
export function askExtension(gitDir: string, question: CommitQuestion, opts: AskOptions = {}): Promise<AskResult> {
  const ep = readEndpoint(gitDir);
  if (typeof ep === 'string') return Promise.resolve(ep === NO_ENDPOINT ? { noAnswer: ep, absent: true } : { noAnswer: ep });
  const connectMs = opts.connectTimeoutMs ?? 2000;
  const answerMs = opts.answerTimeoutMs ?? 10 * 60_000;
  return new Promise((resolve) => {
    let done = false;
    const sock = createConnection(ep.socket);
    let timer = setTimeout(() => finish({ noAnswer: 'the extension did not respond' }), connectMs);
    const finish = (r: AskResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    sock.on('error', (e) => finish({ noAnswer: `cannot reach the extension (${(e as NodeJS.ErrnoException).code ?? e.message})` }));
    sock.on('close', () => finish({ noAnswer: 'the extension closed the connection' }));
    sock.on('connect', () => send(sock, { token: ep.token, question }));
    onLines(sock, (msg) => {
      const m = msg as { ack?: boolean; error?: string; decision?: string; reason?: unknown };
      if (m.ack) {
        clearTimeout(timer);
        timer = setTimeout(() => finish({ noAnswer: 'no answer from the editor in time' }), answerMs);
      } else if (m.decision === 'commit') {
        finish({ answer: { decision: 'commit', reason: typeof m.reason === 'string' ? m.reason : '' } });
      } else if (m.decision === 'cancel') {
        finish({ answer: { decision: 'cancel' } });
      } else {
        finish({ noAnswer: m.error === BUSY ? BUSY : m.error ? `the extension refused: ${m.error}` : 'unexpected reply' });
      }
    });
  });
}
