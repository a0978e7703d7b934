// The host's side of the engine's worker thread: parsing, compiling and analysing run there, so
// no OWNERSHIP.yml and no repository size can stall the editor (issue 12). A watchdog ends a
// request that runs past its time budget: the worker is terminated (work in progress cannot be
// interrupted any other way), the request fails with a WatchdogError naming the file being worked
// on, and the next request starts a fresh worker.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SHARE_ENV, Worker } from 'node:worker_threads';
import type { Model } from '../core/model';
import type { OpArgs, OpName, OpResult, PlainModel } from './engineOps';
import type { EngineMessage, EngineRequest } from './engineWorker';

const joined = new WeakMap<readonly string[], string>();

/**
 * A path list as it crosses the worker boundary: '\0'-joined ('' is the empty list), one copy
 * rather than 100k small ones; joined once per list (the tracked-file list is asked about often).
 */
export function joinPaths(paths: readonly string[]): string {
  let j = joined.get(paths);
  if (j === undefined) {
    j = paths.join('\0');
    joined.set(paths, j);
  }
  return j;
}
export const splitPaths = (joined: string): string[] => (joined ? joined.split('\0') : []);

/** How a request fails when it names a path list the worker does not hold (see EngineClient.withPaths). */
export const UNKNOWN_PATHS = 'unknown path list';

/** Paths per part when a list is handed to the worker (≈1 MB of a 100k-file repository's paths). */
const PATHS_PART = 20_000;

/**
 * The budget of a request whose work is bounded and small (a git command, a part of a path list,
 * a stat of the OWNERSHIP.yml files): only a hang is stopped. A request's budget counts its wait in
 * the worker's queue too, so under the usual budget one of these queued behind a long parse would
 * be the one the watchdog stops, its message naming it instead of the file that took the time.
 */
export const BOUNDED_BUDGET_MS = 10 * 60_000;

/** The time budget of one request unless the client is given another. */
const DEFAULT_BUDGET_MS = 30_000;

/**
 * The editor's budget: DEFAULT_BUDGET_MS, or `OWNERSHIP_ENGINE_BUDGET_MS` from the extension host's
 * environment, read at each request (the extension-host tests lower it to see the watchdog's message).
 */
export function hostBudgetMs(): number {
  const v = Number(process.env.OWNERSHIP_ENGINE_BUDGET_MS);
  return Number.isFinite(v) && v > 0 ? v : DEFAULT_BUDGET_MS;
}

/** A request ended by the watchdog. `file` is what the engine was working on. */
export class WatchdogError extends Error {
  constructor(readonly file: string, readonly budgetMs: number) {
    super(`stopped after ${budgetMs / 1000} s working on ${file || 'OWNERSHIP.yml'}: it is too large or too complex to analyse; simplify it or split it into one OWNERSHIP.yml per folder`);
  }
}

/** The engine's worker ended on its own (crash, out of memory). */
export class EngineCrash extends Error {}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
  at: string;
}

interface EngineClientOptions {
  /** Time budget of one request, in milliseconds (a function: read at each request). */
  budgetMs?: number | (() => number);
  /** Heap limit of the worker, in MB. */
  maxHeapMb?: number;
}

/** Where the worker's code is: beside this bundle (dist/engineWorker.js, esbuild.mjs), or the source under tsx. */
function workerScript(): { file: string; execArgv?: string[] } {
  const bundled = join(__dirname, 'engineWorker.js');
  if (existsSync(bundled)) return { file: bundled };
  return { file: join(__dirname, 'engineWorker.ts'), execArgv: ['--require', 'tsx/cjs'] };
}

export class EngineClient {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private disposed = false;
  private nextId = 1;
  private readonly budget: () => number;
  private readonly maxHeapMb: number;

  constructor(options: EngineClientOptions = {}) {
    // Far above a cold parse of a 5,000-feature file (about 5 s on a busy 2-core machine).
    const budget = options.budgetMs ?? DEFAULT_BUDGET_MS;
    this.budget = typeof budget === 'number' ? () => budget : budget;
    this.maxHeapMb = options.maxHeapMb ?? 1024;
  }

  /** The time budget of a request made now. */
  get budgetMs(): number {
    return this.budget();
  }

  /**
   * Runs `op` in the worker; `file` names what it works on until the worker says otherwise.
   * `budgetMs` overrides the client's time budget for this request.
   */
  call<K extends OpName>(op: K, args: OpArgs<K>, file = '', budgetMs = this.budget()): Promise<OpResult<K>> {
    const worker = this.ensure();
    const id = this.nextId++;
    return new Promise<OpResult<K>>((resolve, reject) => {
      const timer = setTimeout(() => this.expire(id, budgetMs), budgetMs);
      timer.unref();
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer, at: file });
      worker.postMessage({ id, op, args } satisfies EngineRequest);
    });
  }

  /**
   * Like call, asked once more of a fresh worker when this one ended under the request (a crash,
   * or a restart after another request ran past its budget). For requests that need no model.
   */
  async retrying<K extends OpName>(op: K, args: OpArgs<K>, file = ''): Promise<OpResult<K>> {
    try {
      return await this.call(op, args, file);
    } catch (e) {
      if (!(e instanceof EngineCrash)) throw e;
      return this.call(op, args, file);
    }
  }

  /**
   * `git <args>` in `dir`, spawned by the worker (Git's runner in the extension, see runGitIn): a
   * spawn blocks its thread for milliseconds, so not the extension host's. Not under the watchdog's
   * usual budget (a `git status` of a large working tree takes seconds); asked again of a fresh
   * worker when the worker ended under it (another request ran past its budget).
   */
  async git(dir: string, args: string[]): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.call('git', { dir, args }, `git ${args[0] ?? ''} in ${dir}`, BOUNDED_BUDGET_MS);
      } catch (e) {
        // Not after dispose: a retry would start a worker for an extension that is shutting down.
        if (!(e instanceof EngineCrash) || attempt >= 3 || this.disposed) throw e;
      }
    }
  }

  /**
   * Runs `request` with a reference to `paths` held by the worker: the list is handed over once
   * per worker, in parts of PATHS_PART paths with a turn of the host's loop between them (one
   * message of the 100k tracked paths held the loop for 25–60 ms, and the Features view's file
   * lists and the diagnostics' counts each sent it again). A worker that lost the list (restarted,
   * or it held too many) is handed it again, once.
   */
  async withPaths<T>(paths: readonly string[], request: (ref: { id: number }) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const ref = await this.handOver(paths, attempt > 1);
      try {
        return await request(ref);
      } catch (e) {
        if (attempt >= 2 || !(e instanceof Error) || !e.message.startsWith(UNKNOWN_PATHS)) throw e;
      }
    }
  }

  /** withPaths, asked once more of a fresh worker when this one ended under the request (as `retrying`). */
  retryingWithPaths<T>(paths: readonly string[], request: (ref: { id: number }) => Promise<T>): Promise<T> {
    const ask = () => this.withPaths(paths, request);
    return ask().catch((e: unknown) => { if (e instanceof EngineCrash) return ask(); throw e; });
  }

  private readonly handed = new WeakMap<readonly string[], { worker: Worker; ref: Promise<{ id: number }> }>();
  private nextListId = 1;

  private handOver(paths: readonly string[], again: boolean): Promise<{ id: number }> {
    const worker = this.ensure();
    const known = this.handed.get(paths);
    if (known && known.worker === worker && !again) return known.ref;
    const id = this.nextListId++;
    const ref = (async () => {
      for (let i = 0; i === 0 || i < paths.length; i += PATHS_PART) {
        await this.call('pathsPart', { id, part: paths.slice(i, i + PATHS_PART).join('\0'), last: i + PATHS_PART >= paths.length }, 'the tracked files', BOUNDED_BUDGET_MS);
      }
      return { id };
    })();
    this.handed.set(paths, { worker, ref });
    ref.catch(() => { if (this.handed.get(paths)?.ref === ref) this.handed.delete(paths); });
    return ref;
  }

  /** Ends the worker; pending requests fail. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const w = this.worker;
    this.worker = undefined;
    this.failAll(() => new EngineCrash('the engine was shut down'));
    await w?.terminate();
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const { file, execArgv } = workerScript();
    // SHARE_ENV: git in the worker sees the host's environment as it is at each command, as before.
    const w = new Worker(file, { execArgv, env: SHARE_ENV, resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb } });
    w.unref();
    w.on('message', (m: EngineMessage) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      if ('at' in m) { p.at = m.at; return; }
      clearTimeout(p.timer);
      this.pending.delete(m.id);
      if ('error' in m) p.reject(new Error(m.error));
      else p.resolve(m.value);
    });
    const gone = (why: string) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      this.failAll((p) => new EngineCrash(`the engine stopped (${why}) while working on ${p.at || 'OWNERSHIP.yml'}`));
    };
    w.on('error', (e) => gone(e.message));
    w.on('exit', (code) => gone(`exit ${code}`));
    this.worker = w;
    return w;
  }

  private expire(id: number, budgetMs: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.reject(new WatchdogError(p.at, budgetMs));
    // The worker is busy with this request: the only way to stop it is to end it. Requests queued
    // behind it fail too; the next call starts a fresh worker (compiled models are lost with it).
    const w = this.worker;
    this.worker = undefined;
    this.failAll((q) => new EngineCrash(`the engine was restarted after a request ran past its time budget (${q.at || 'OWNERSHIP.yml'} not analysed)`));
    void w?.terminate();
  }

  private failAll(error: (p: Pending) => Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(error(p));
    }
  }
}

/**
 * A model received from the worker, usable where a Model is expected for what it describes (the
 * features). Its glob lists and index stay in the worker, which answers every question about
 * paths (FolderAnalysis asks it): sending them cost the host 0.2 s of deserialisation for 5,000
 * features, and compiling the index here, seconds. Reading them here is a programming error.
 */
export function hostModel(plain: PlainModel): Model {
  const model = { ...plain } as Model;
  for (const name of ['files', 'lists', 'index'] as const) {
    Object.defineProperty(model, name, {
      enumerable: false,
      get() {
        throw new Error(`the model's ${name} are in the engine's worker: ask FolderAnalysis (inventory, classify, owed, analyse)`);
      },
    });
  }
  return model;
}
