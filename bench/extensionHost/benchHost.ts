// The extension-host half of the extension benchmark (bench/extension.ts starts code-server and
// points the workbench's `payload` at this file as `extensionTestsPath`, so the extension host
// require()s it and awaits run()). It measures what only the host can see: the extension's
// activation, the time from `git add` to an updated status bar (read through the internal
// `ownership._testState` command), how long the event loop was blocked, and the host's peak RSS.
// Writes one JSON file ($FO_BENCH_SPEC's `out`); bench/extension.ts reads it.
import { execFile } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { HostResult, HostSpec, Profile, Refresh } from './protocol';

const run$ = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Folder {
  state: string;
  generation: number;
  durationMs: number;
  gaps: number | null;
}
interface State {
  activationMs: number;
  folders: Folder[];
  status: { text: string; tooltip: string };
}

/** Timed, so the cost of observing is reported beside what it observes. */
const pollCosts: number[] = [];
async function testState(): Promise<State> {
  const t = performance.now();
  // depth 1: the top-level rows only; the bench needs the status bar and the folder counters.
  const s = (await vscode.commands.executeCommand('ownership._testState', { depth: 1 })) as State;
  pollCosts.push(performance.now() - t);
  return s;
}

async function waitFor(pred: (s: State) => boolean, timeoutMs: number, everyMs: number): Promise<{ state: State; at: number }> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const state = await testState();
    const at = performance.now();
    if (pred(state)) return { state, at };
    if (at > until) throw new Error(`timed out after ${timeoutMs} ms; last state ${JSON.stringify({ folders: state.folders, status: state.status.text })}`);
    await sleep(everyMs);
  }
}

/** No analysis for `quietMs`: vscode.git's own status after an index change also asks for one. */
async function settle(quietMs: number): Promise<State> {
  let last = await testState();
  let since = performance.now();
  for (;;) {
    await sleep(50);
    const s = await testState();
    if (s.folders[0].generation !== last.folders[0].generation) {
      last = s;
      since = performance.now();
    } else if (performance.now() - since >= quietMs) return s;
  }
}

function procStatusKB(field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : 0;
}

/** CPU profile of `fn` (1 ms sampling), for attributing long tasks to the extension's bundle. */
async function profiled(fn: () => Promise<void>): Promise<Profile> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T))));
  try {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 1000 });
    await post('Profiler.start');
    await fn();
    const { profile } = await post<{ profile: Profile }>('Profiler.stop');
    return profile;
  } finally {
    session.disconnect();
  }
}

export async function run(): Promise<void> {
  const entered = performance.now();
  const spec = JSON.parse(process.env.FO_BENCH_SPEC ?? '{}') as HostSpec;
  const result: HostResult = { pid: process.pid, node: process.version, refreshes: [], profiles: [] };
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  try {
    result.rssAtEntryMB = procStatusKB('VmRSS') / 1024;
    const ext = vscode.extensions.getExtension(spec.extensionId);
    if (!ext) throw new Error(`extension ${spec.extensionId} is not installed in this host`);
    result.activeAtEntry = ext.isActive;
    if (!ext.isActive) {
      const t = performance.now();
      await ext.activate();
      result.activateAwaitMs = performance.now() - t;
    }
    // performance.now() counts from the host process's start.
    result.entryAtMs = entered;
    const first = await waitFor((s) => s.folders[0]?.state === 'ready' && s.folders[0].generation > 0, 180_000, 10);
    result.firstVerdictAtMs = first.at;
    result.firstVerdictFromEntryMs = first.at - entered;
    result.firstGeneration = first.state.folders[0].generation;
    result.firstAnalysisMs = first.state.folders[0].durationMs;
    result.activationMs = first.state.activationMs;
    result.startupLoopMaxMs = loop.max / 1e6;
    result.initialStatus = first.state.status.text;

    const git = (args: string[]) => run$('git', args, { cwd: spec.repo, maxBuffer: 1 << 26 });
    // Staged and unstaged in turn: the working tree keeps the edit (bench/extension.ts made it),
    // so each step is an index change only, as `git add` from a terminal is.
    const steps: { kind: Refresh['kind']; args: string[] }[] = [
      { kind: 'add', args: ['add', '--', ...spec.files] },
      { kind: 'reset', args: ['reset', '-q', '--', ...spec.files] },
    ];
    const measure = async (kind: Refresh['kind'], args: string[]): Promise<Refresh> => {
      const before = await settle(spec.quietMs);
      const g0 = before.folders[0].generation;
      loop.reset();
      const t0 = performance.now();
      await git(args);
      const gitMs = performance.now() - t0;
      // Updated = a new analysis whose status bar differs from before (the files were picked in
      // features the staged change does not touch, so the gap count moves).
      const done = await waitFor((s) => s.folders[0].generation > g0 && s.status.text !== before.status.text, 30_000, spec.pollMs).catch(async (e: Error) => {
        // Tell "no event reached the extension" from "the analysis did not see the change".
        const forced = (await vscode.commands.executeCommand('ownership._testState', { depth: 1, refresh: 1 })) as State;
        const staged = (await git(['diff', '--cached', '--name-only'])).stdout.split('\n').filter(Boolean).length;
        throw new Error(`${kind} (generation ${g0}, status "${before.status.text}"; git: ${staged} staged paths; after a forced refresh: "${forced.status.text}", generation ${forced.folders[0].generation}): ${e.message}`);
      });
      const loopMaxMs = loop.max / 1e6;
      return {
        kind,
        ms: done.at - t0,
        gitMs,
        analysisMs: done.state.folders[0].durationMs,
        generations: done.state.folders[0].generation - g0,
        loopMaxMs,
        statusBefore: before.status.text,
        statusAfter: done.state.status.text,
      };
    };
    for (let i = 0; i < spec.reps + 1; i++) {
      for (const step of steps) {
        const r = await measure(step.kind, step.args);
        if (i > 0) result.refreshes.push(r); // the first round warms the caches up
      }
    }
    result.pollMs = [...pollCosts];
    // Profiled rounds apart from the timed ones: the profiler slows the host down.
    for (let i = 0; i < spec.profileReps; i++) {
      for (const step of steps) {
        await settle(spec.quietMs);
        const profile = await profiled(async () => {
          const g0 = (await testState()).folders[0].generation;
          await git(step.args);
          await waitFor((s) => s.folders[0].generation > g0, 60_000, spec.pollMs);
          await settle(spec.quietMs); // include the second analysis vscode.git's status asks for
        });
        result.profiles.push(profile);
      }
    }
    result.peakRssMB = procStatusKB('VmHWM') / 1024;
    result.rssAtEndMB = procStatusKB('VmRSS') / 1024;
  } catch (e) {
    result.error = String((e as Error)?.stack ?? e);
  } finally {
    loop.disable();
    writeFileSync(`${spec.out}.tmp`, JSON.stringify(result));
    renameSync(`${spec.out}.tmp`, spec.out);
  }
  if (result.error) throw new Error(result.error);
}
