// Entry of the engine's worker thread (bundled as dist/engineWorker.js): runs the operations of
// engineOps.ts on requests from src/node/engineClient.ts, one at a time, in order.
import { parentPort } from 'node:worker_threads';
import { engineOps, type OpName } from './engineOps';

/** A request from the client. */
export interface EngineRequest {
  id: number;
  op: OpName;
  args: unknown;
}

/** A message to the client: progress (`at`), or the end of a request (`value` or `error`). */
export type EngineMessage = { id: number; at: string } | { id: number; value: unknown } | { id: number; error: string };

const BACKGROUND: ReadonlySet<OpName> = new Set<OpName>(['owed', 'git', 'statFiles']);

const port = parentPort;
if (port) {
  let queue: Promise<void> = Promise.resolve();
  const serve = async (req: EngineRequest) => {
    const progress = (at: string) => port.postMessage({ id: req.id, at } satisfies EngineMessage);
    try {
      const op = engineOps[req.op] as (args: unknown, progress: (at: string) => void) => unknown;
      const value = await op(req.args, progress);
      port.postMessage({ id: req.id, value } satisfies EngineMessage);
    } catch (e) {
      port.postMessage({ id: req.id, error: e instanceof Error ? e.message : String(e) } satisfies EngineMessage);
    }
  };
  port.on('message', (req: EngineRequest) => {
    // The owed computation waits on `git log` and yields between steps: it runs beside the queue,
    // so an analysis asked for meanwhile (a `git add`) is not held up behind a long history. A git
    // command (the extension's, spawned here) only waits for its process: beside the queue too.
    if (BACKGROUND.has(req.op)) void serve(req);
    else queue = queue.then(() => serve(req));
  });
}
