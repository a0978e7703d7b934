// The local channel between the commit hook and the running extension. It is never a network
// port: a Unix socket inside a directory only this user can enter (a named pipe on Windows), and
// a random token that the extension writes under the repository's git directory with user-only
// permissions. Node cannot ask a Unix socket who the peer is (no SO_PEERCRED), so the 0700
// directory (nobody else can connect) and the token (nobody else can read it) are the guard.
//
// Every editor window with the repository open publishes its own endpoint (one file per window in
// `$GIT_DIR/ownership/windows/`, with its extension host's pid and its focus). The hook asks the
// window whose extension host started the commit, else the focused one, else any (see
// src/core/windowChoice.ts); endpoints of windows that are gone are skipped and removed.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, chmodSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rankWindows } from '../core/windowChoice';
import { ancestors, isRunning } from './processTree';

/** What the hook asks: the touched features with gaps in the staged change. */
export interface CommitQuestion {
  repoRoot: string;
  /** "Checkout flow (@payments) is missing tests and docs", worded by the core for all voices. */
  headline: string;
  features: { id: string; name: string; owners: string[]; gaps: string[]; mode: 'warn' | 'strict'; sentence: string }[];
}

/** One gap the user chose to waive, with its own reason. */
export interface GapWaiver {
  feature: string;
  criterion: string;
  reason: string;
}

/**
 * `commit`: waive the gaps; `waivers`, when given, names which ones, each with its own reason
 * (gaps left out are committed without a waiver); without it every gap gets `reason`.
 */
export type CommitAnswer = { decision: 'commit'; reason: string; waivers?: GapWaiver[] } | { decision: 'cancel' };

/** The `waivers` of an answer as received: only well-formed entries. */
function readWaivers(v: unknown): GapWaiver[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.flatMap((w: unknown) => {
    const x = w as Partial<GapWaiver> | null;
    return x && typeof x.feature === 'string' && typeof x.criterion === 'string' ? [{ feature: x.feature, criterion: x.criterion, reason: typeof x.reason === 'string' ? x.reason : '' }] : [];
  });
}

/**
 * One window's endpoint, written to `$GIT_DIR/ownership/windows/<pid>-<id>.json` (mode 0600) by
 * its extension host.
 */
interface IpcEndpoint {
  version: 1;
  socket: string;
  token: string;
  /** The extension host's process id: the hook looks for it among its ancestors. */
  pid: number;
  /** Whether the window has focus, and when it last gained it (ms since the epoch; 0: never). */
  focused?: boolean;
  focusedAt?: number;
  /** When the endpoint was first published (ms since the epoch). */
  startedAt?: number;
}

const MAX_LINE = 1 << 20;
const isWindows = process.platform === 'win32';

/** `$GIT_DIR/ownership`: created 0700, as everything we keep there is this user's only. */
export function stateDir(gitDir: string): string {
  const dir = join(gitDir, 'ownership');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** `$GIT_DIR/ownership/windows`: one endpoint file per editor window. */
export function windowsDir(gitDir: string): string {
  return join(gitDir, 'ownership', 'windows');
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
  /** This window's endpoint file. */
  file: string;
  /** Records whether the window has focus (the hook prefers the focused window). */
  setFocused(focused: boolean): void;
  /** Stops listening, removes the socket and this window's endpoint file. */
  dispose(): Promise<void>;
}

function isQuestion(v: unknown): v is { token: string; question: CommitQuestion } {
  const m = v as { token?: unknown; question?: { repoRoot?: unknown; features?: unknown } };
  return !!m && typeof m.token === 'string' && !!m.question && typeof m.question.repoRoot === 'string' && Array.isArray(m.question.features);
}

/**
 * Starts one window's side of the channel for one repository and publishes its endpoint in
 * `$GIT_DIR/ownership/windows/`. Each connection carries one question; the server acknowledges
 * at once (so the hook knows someone is asking the user) and answers when `handle` resolves.
 * `focused`: whether the window has focus now (update it with `setFocused`).
 */
export async function startIpcServer(gitDir: string, handle: QuestionHandler, opts: { focused?: boolean } = {}): Promise<IpcServer> {
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
  const now = Date.now();
  const endpoint: IpcEndpoint = { version: 1, socket, token, pid: process.pid, focused: !!opts.focused, focusedAt: opts.focused ? now : 0, startedAt: now };
  stateDir(gitDir);
  mkdirSync(windowsDir(gitDir), { recursive: true, mode: 0o700 });
  const file = join(windowsDir(gitDir), `${process.pid}-${id}.json`);
  let disposed = false;
  const publish = () => writePrivateFile(file, JSON.stringify(endpoint) + '\n');
  publish();
  return {
    endpoint,
    file,
    setFocused(focused) {
      if (disposed || focused === endpoint.focused) return;
      endpoint.focused = focused;
      if (focused) endpoint.focusedAt = Date.now();
      // The hook may have removed it, taking this window for gone (a socket it could not reach):
      // writing it again puts the window back.
      try { publish(); } catch { /* a git directory we can no longer write: the old entry stays */ }
    },
    async dispose() {
      disposed = true;
      // Files first and synchronously: the extension host may exit before the close completes.
      rmSync(file, { force: true });
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

/**
 * A published window, or why one could not be used (`stale`: its window is gone; the file can go).
 * `running`: whether its pid is a live process here. A pid that looks dead may still be a window in
 * another pid namespace (a dev container sharing the repository), so only its socket decides.
 */
type Published = { endpoint: IpcEndpoint; file: string; running: boolean } | { file: string; problem: string; stale?: true };

function readEndpoint(file: string): Published {
  const text = readPrivateFile(file);
  // Planted by someone else, or readable by others: never trusted, and said so.
  if (text === undefined) return { file, problem: 'ignored the endpoint file: it is not private to you (owner or permissions)' };
  let e: IpcEndpoint;
  try {
    e = JSON.parse(text) as IpcEndpoint;
  } catch {
    return { file, problem: 'unreadable endpoint' };
  }
  if (e?.version !== 1 || typeof e.socket !== 'string' || typeof e.token !== 'string' || typeof e.pid !== 'number') return { file, problem: 'unreadable endpoint' };
  if (!isWindows) {
    // The socket must sit in a directory only we can enter; otherwise it is not ours to trust.
    const dir = e.socket.slice(0, e.socket.lastIndexOf('/'));
    if (!isPrivateDir(dir)) return { file, problem: 'endpoint socket is not in a private directory' };
  }
  const running = isRunning(e.pid);
  if (!isWindows) {
    // No socket and no process: gone (after a crash and a reboot, say). A window of another mount
    // and pid namespace (a dev container) looks the same from here: removed, it publishes its
    // endpoint again on its next change of focus.
    try { statSync(e.socket); } catch { return running ? { file, problem: 'extension no longer running (its socket is gone)' } : { file, problem: 'extension no longer running', stale: true }; }
  }
  return { endpoint: e, file, running };
}

/** Every window that published an endpoint for `gitDir`, read and checked. */
function readEndpoints(gitDir: string): Published[] {
  const dir = windowsDir(gitDir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => n.endsWith('.json')).map((n) => readEndpoint(join(dir, n)));
}

/** Removes the endpoint of a window that is gone; best effort (a read-only git directory keeps it). */
function forget(file: string): void {
  try { unlinkSync(file); } catch { /* gone already, or not ours to remove */ }
}

/**
 * Asks the editor window serving `gitDir` that started this commit (its extension host is an
 * ancestor of this process), else the focused one, else any, and resolves to its answer. Windows
 * that are gone (socket missing or refusing) are skipped and their endpoints removed; any other
 * failure of the chosen window is the result (a busy or frozen window is not passed over for
 * another, whose modal would then appear where nobody expects it).
 */
export async function askExtension(gitDir: string, question: CommitQuestion, opts: AskOptions = {}): Promise<AskResult> {
  const published = readEndpoints(gitDir);
  let last: string | undefined;
  for (const p of published) {
    if ('problem' in p) {
      if (p.stale) forget(p.file);
      last ??= p.problem;
    }
  }
  const found = published.flatMap((p) => ('endpoint' in p ? [{ ...p, pid: p.endpoint.pid, focused: !!p.endpoint.focused, focusedAt: Number(p.endpoint.focusedAt) || 0, startedAt: Number(p.endpoint.startedAt) || 0 }] : []));
  // A window whose pid is not running here has crashed, unless its socket still listens.
  const refused = await Promise.all(found.map((w) => (w.running ? false : refuses(w.endpoint.socket))));
  const usable = found.filter((w, i) => {
    if (!refused[i]) return true;
    forget(w.file);
    last ??= 'extension no longer running';
    return false;
  });
  if (!usable.length) return last ? { noAnswer: last } : { noAnswer: NO_ENDPOINT, absent: true };
  const lineage = usable.length > 1 ? ancestors().map(([pid]) => pid) : [];
  // A window whose pid is not ours to see (another pid namespace) cannot be an ancestor: last.
  const order = [...rankWindows(usable.filter((w) => w.running), lineage), ...rankWindows(usable.filter((w) => !w.running), lineage)];
  for (const { window } of order) {
    const r = await askWindow(window.endpoint, question, opts);
    if (!('gone' in r)) return r;
    forget(window.file);
    last = r.noAnswer;
  }
  return { noAnswer: last ?? NO_ENDPOINT };
}

/** Whether nothing listens on `socket` (refused, or no such socket): its window is gone. */
function refuses(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection(socket);
    const done = (gone: boolean) => { clearTimeout(timer); sock.destroy(); resolve(gone); };
    const timer = setTimeout(() => done(false), 1000);
    sock.on('connect', () => done(false));
    sock.on('error', (e) => done(GONE.has((e as NodeJS.ErrnoException).code ?? '')));
  });
}

/** Connection errors that say nothing listens on the socket any more. */
const GONE = new Set(['ECONNREFUSED', 'ENOENT']);

/** Asks one window; `gone`: nothing listens on its socket any more (try the next window). */
function askWindow(ep: IpcEndpoint, question: CommitQuestion, opts: AskOptions): Promise<AskResult | { noAnswer: string; gone: true }> {
  const connectMs = opts.connectTimeoutMs ?? 2000;
  const answerMs = opts.answerTimeoutMs ?? 10 * 60_000;
  return new Promise((resolve) => {
    let done = false;
    const sock = createConnection(ep.socket);
    let timer = setTimeout(() => finish({ noAnswer: 'the extension did not respond' }), connectMs);
    const finish = (r: AskResult | { noAnswer: string; gone: true }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    sock.on('error', (e) => {
      const code = (e as NodeJS.ErrnoException).code;
      const noAnswer = `cannot reach the extension (${code ?? e.message})`;
      // A socket file whose server has died (its pid since reused by another process) refuses at once.
      finish(GONE.has(code ?? '') ? { noAnswer, gone: true } : { noAnswer });
    });
    sock.on('close', () => finish({ noAnswer: 'the extension closed the connection' }));
    sock.on('connect', () => send(sock, { token: ep.token, question }));
    onLines(sock, (msg) => {
      const m = msg as { ack?: boolean; error?: string; decision?: string; reason?: unknown; waivers?: unknown };
      if (m.ack) {
        clearTimeout(timer);
        timer = setTimeout(() => finish({ noAnswer: 'no answer from the editor in time' }), answerMs);
      } else if (m.decision === 'commit') {
        const waivers = readWaivers(m.waivers);
        finish({ answer: { decision: 'commit', reason: typeof m.reason === 'string' ? m.reason : '', ...(waivers ? { waivers } : {}) } });
      } else if (m.decision === 'cancel') {
        finish({ answer: { decision: 'cancel' } });
      } else {
        finish({ noAnswer: m.error === BUSY ? BUSY : m.error ? `the extension refused: ${m.error}` : 'unexpected reply' });
      }
    });
  });
}
