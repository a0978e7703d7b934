// The extension-host half of the extension benchmark (bench/extension.ts starts code-server and
// points the workbench's `payload` at this file as `extensionTestsPath`, so the extension host
// require()s it and awaits run()). It measures what only the host can see: the extension's
// activation, the time from `git add` to an updated status bar (read through the internal
// `ownership._testState` command), how long the event loop was blocked, and the host's peak RSS.
// Writes one JSON file ($FO_BENCH_SPEC's `out`); bench/extension.ts reads it.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { join } from 'node:path';
import type { HostResult, HostSpec, Profile, Refresh, Scenario, ScenarioResult } from './protocol';

const run$ = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Folder {
  state: string;
  generation: number;
  durationMs: number;
  gaps: number | null;
  features: number | null;
  error: string | null;
  inventory: { files: number; chunks: number; inWorker: boolean } | null;
  owed: { head: string; generation: number; pieces: number; commits: number; durationMs: number; steps: number } | null;
}
interface State {
  activationMs: number;
  folders: Folder[];
  status: { text: string; tooltip: string };
  diagnosticRuns: { started: number; finished: number };
  probe: Record<string, number>;
}

/** The bench opens a single-folder workspace: its one folder. */
function folder0(s: State): Folder {
  const f = s.folders[0];
  if (!f) throw new Error('the bench workspace has no folder');
  return f;
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
    if (folder0(s).generation !== folder0(last).generation) {
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

/** The folder's state without tree rows: cheap enough to poll while the profiler runs. */
const quickState = () => vscode.commands.executeCommand('ownership._testState', { depth: -1 }) as Thenable<State>;

/** Polls quickState every 50 ms until `pred` holds. */
async function quickUntil(pred: (s: State) => boolean, timeoutMs: number, what: string): Promise<State> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const s = await quickState();
    if (pred(s)) return s;
    if (performance.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last state ${JSON.stringify({ folders: s.folders, status: s.status.text })}`);
    await sleep(50);
  }
}

/** Until no analysis, diagnostics run or owed computation has started for `quietMs`. */
async function quiet(quietMs: number): Promise<State> {
  const key = (s: State) => JSON.stringify([folder0(s).generation, folder0(s).owed?.generation, s.diagnosticRuns]);
  let last = await quickState();
  let since = performance.now();
  for (;;) {
    await sleep(50);
    const s = await quickState();
    if (key(s) !== key(last) || s.diagnosticRuns.started !== s.diagnosticRuns.finished) {
      last = s;
      since = performance.now();
    } else if (performance.now() - since >= quietMs) return s;
  }
}

/**
 * The first load (see protocol.ts Scenario): profiled from the host entry, with the 5,000-feature
 * OWNERSHIP.yml already in the working tree (bench/extension.ts wrote it, a text no run parsed
 * before): the first analysis, the active file's feature, the glob diagnostics and the Features
 * view's per-criterion file lists, until the extension is quiet.
 */
async function firstLoad(spec: HostSpec, scenario: Extract<Scenario, { kind: 'firstLoad' }>, loop: ReturnType<typeof monitorEventLoopDelay>, result: HostResult, entered: number): Promise<ScenarioResult> {
  let ms = 0;
  let settledMs = 0;
  loop.reset();
  const profile = await profiled(async () => {
    // The active file's feature is on the status bar once the rules are loaded.
    await vscode.window.showTextDocument(vscode.Uri.file(join(spec.repo, scenario.open)), { preview: false });
    await quickUntil((s) => folder0(s).features === scenario.features && folder0(s).state === 'ready', 600_000, `${scenario.features} features loaded`);
    ms = performance.now() - entered;
    // What expanding a criterion row asks for: the per-criterion file lists.
    await vscode.commands.executeCommand('ownership._testState', { depth: -1, inventory: true });
    await quiet(spec.quietMs);
    settledMs = performance.now() - entered - spec.quietMs;
  });
  result.profiles.push(profile);
  return scenarioResult(await quickState(), undefined, { ms, settledMs, loopMaxMs: loop.max / 1e6 });
}

/** The owed scenario (see protocol.ts Scenario): `ownership.owed.maxCount` raised once the first owed pieces are shown. */
async function owedScenario(spec: HostSpec, scenario: Extract<Scenario, { kind: 'owed' }>, loop: ReturnType<typeof monitorEventLoopDelay>, result: HostResult): Promise<ScenarioResult> {
  await quickUntil((s) => folder0(s).owed !== null, 600_000, 'the first owed computation');
  await settle(spec.quietMs);
  await quiet(spec.quietMs);
  const before = await quickState();
  let ms = 0;
  let settledMs = 0;
  loop.reset();
  const profile = await profiled(async () => {
    const t0 = performance.now();
    const g = folder0(before).owed?.generation ?? 0;
    await vscode.workspace.getConfiguration('ownership').update('owed.maxCount', scenario.maxCount, vscode.ConfigurationTarget.Global);
    await quickUntil((s) => (folder0(s).owed?.generation ?? 0) > g, 600_000, `the owed pieces over ${scenario.maxCount} changes`);
    ms = performance.now() - t0;
    await quiet(spec.quietMs);
    settledMs = performance.now() - t0 - spec.quietMs;
  });
  result.profiles.push(profile);
  return scenarioResult(await quickState(), before, { ms, settledMs, loopMaxMs: loop.max / 1e6 });
}

function scenarioResult(after: State, before: State | undefined, times: { ms: number; settledMs: number; loopMaxMs: number }): ScenarioResult {
  const f = folder0(after);
  if (f.error) throw new Error(`the scenario ended with an error: ${f.error}`);
  const probe: Record<string, number> = {};
  for (const [k, v] of Object.entries(after.probe)) if (v !== (before?.probe[k] ?? 0)) probe[k] = v - (before?.probe[k] ?? 0);
  return {
    ...times,
    owed: before && f.owed ? { durationMs: f.owed.durationMs, commits: f.owed.commits, pieces: f.owed.pieces, steps: f.owed.steps } : undefined,
    inventory: before ? undefined : f.inventory,
    probe,
  };
}

export async function run(): Promise<void> {
  const entered = performance.now();
  const spec = JSON.parse(process.env.FO_BENCH_SPEC ?? '{}') as HostSpec;
  const result: HostResult = { pid: process.pid, node: process.version, warmup: [], refreshes: [], profiles: [] };
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  try {
    result.rssAtEntryMB = procStatusKB('VmRSS') / 1024;
    /**
     * The status bar as the user sees it: the bench's page records every change of the item's
     * text with its wall-clock time; asked through the console, it answers with the first change
     * after `since` in a file. Polling `ownership._testState` instead would cost the host several
     * milliseconds a call (it lists the tree's rows) and slow the refresh it measures.
     */
    let asks = 0;
    const statusChangeAfter = async (since: number, timeoutMs: number): Promise<{ at: number; text: string } | undefined> => {
      const id = ++asks;
      const reply = `${spec.out}.status-${id}.json`;
      console.log(`[fo-bench] ${JSON.stringify({ id, since, timeoutMs, reply })}`);
      for (const until = Date.now() + timeoutMs + 5000; Date.now() < until; await sleep(5)) {
        if (!existsSync(reply)) continue;
        const r = JSON.parse(readFileSync(reply, 'utf8')) as { at?: number; text?: string };
        return r.at === undefined ? undefined : { at: r.at, text: r.text ?? '' };
      }
      return undefined;
    };
    if (spec.scenario?.kind === 'firstLoad') {
      result.scenario = await firstLoad(spec, spec.scenario, loop, result, entered);
      result.peakRssMB = procStatusKB('VmHWM') / 1024;
      result.rssAtEndMB = procStatusKB('VmRSS') / 1024;
      return;
    }
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
    if (spec.scenario?.kind === 'owed') {
      // No staged change here: the status bar shows only an icon, which the page does not record.
      result.scenario = await owedScenario(spec, spec.scenario, loop, result);
      result.peakRssMB = procStatusKB('VmHWM') / 1024;
      result.rssAtEndMB = procStatusKB('VmRSS') / 1024;
      return;
    }
    const first = await waitFor((s) => s.folders[0]?.state === 'ready' && folder0(s).generation > 0, 180_000, 50);
    // The first text the status bar item showed in the page (it stays hidden until a verdict).
    const shown = await statusChangeAfter(0, 60_000);
    if (!shown) throw new Error('the status bar item never showed in the page');
    result.firstVerdictAtMs = shown.at - performance.timeOrigin;
    result.firstVerdictFromEntryMs = result.firstVerdictAtMs - entered;
    result.firstGeneration = folder0(first.state).generation;
    result.firstAnalysisMs = folder0(first.state).durationMs;
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
    // When the events the extension refreshes on reach the host: a watcher like its own on the
    // index, and vscode.git's repository state (it re-runs `git status` first). Wall-clock times.
    const events = { index: [] as number[], gitState: [] as number[] };
    const indexWatcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(`${spec.repo}/.git`), '{index,HEAD}'));
    indexWatcher.onDidChange(() => events.index.push(Date.now()));
    indexWatcher.onDidCreate(() => events.index.push(Date.now()));
    const gitExt = vscode.extensions.getExtension<{ getAPI(v: 1): { repositories: { state: { onDidChange: vscode.Event<void> } }[] } }>('vscode.git');
    const gitApi = gitExt ? (gitExt.isActive ? gitExt.exports : await gitExt.activate()).getAPI(1) : undefined;
    for (const repo of gitApi?.repositories ?? []) repo.state.onDidChange(() => events.gitState.push(Date.now()));
    const firstAfter = (list: number[], since: number) => {
      const t = list.find((x) => x >= since);
      return t === undefined ? null : t - since;
    };
    const measure = async (kind: Refresh['kind'], args: string[]): Promise<Refresh> => {
      const before = await settle(spec.quietMs);
      const g0 = folder0(before).generation;
      loop.reset();
      const since = Date.now();
      const t0 = performance.now();
      await git(args);
      const gitMs = performance.now() - t0;
      const changed = await statusChangeAfter(since, spec.waitMs);
      const loopMaxMs = loop.max / 1e6;
      const after = await testState();
      const seen = { indexEventMs: firstAfter(events.index, since), gitStateMs: firstAfter(events.gitState, since) };
      if (!changed) {
        // Tell "no event reached the extension" from "the analysis did not see the change".
        const forced = (await vscode.commands.executeCommand('ownership._testState', { depth: 1, refresh: 1 })) as State;
        const staged = (await git(['diff', '--cached', '--name-only'])).stdout.split('\n').filter(Boolean).length;
        return { kind, ms: null, gitMs, ...seen, analysisMs: null, generations: folder0(after).generation - g0, loopMaxMs, statusBefore: before.status.text, statusAfter: after.status.text, note: `no status bar change within ${spec.waitMs} ms (analyses meanwhile: ${folder0(after).generation - g0}; git: ${staged} staged paths; a forced refresh shows "${forced.status.text}")` };
      }
      return {
        kind,
        ms: changed.at - since,
        gitMs,
        ...seen,
        analysisMs: folder0(after).durationMs,
        generations: folder0(after).generation - g0,
        loopMaxMs,
        statusBefore: before.status.text,
        statusAfter: after.status.text,
      };
    };
    // A miss is recorded and the run goes on (measure() forced a refresh, so the next step starts
    // from a true status): whether later git commands are seen tells a slow start from a dead trigger.
    for (let i = 0; i < spec.reps + 1; i++) {
      for (const step of steps) {
        const r = await measure(step.kind, step.args);
        (i > 0 ? result.refreshes : result.warmup).push(r); // the first round warms the caches up
      }
    }
    result.pollMs = [...pollCosts];
    // Profiled rounds apart from the timed ones (the profiler slows the host down), without
    // _testState calls inside, so the bench's own polling is not counted as the extension's work.
    for (let i = 0; i < spec.profileReps; i++) {
      for (const step of steps) {
        await settle(spec.quietMs);
        const profile = await profiled(async () => {
          const since = Date.now();
          await git(step.args);
          await statusChangeAfter(since, spec.waitMs);
          await sleep(spec.quietMs); // vscode.git's own status after the index change asks for another analysis
        });
        result.profiles.push(profile);
      }
    }
    indexWatcher.dispose();
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
