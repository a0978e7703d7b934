// What bench/extension.ts hands the extension-host entry (benchHost.ts) and what it gets back.

export interface HostSpec {
  extensionId: string;
  /** The repository the workbench opened. */
  repo: string;
  /** Repository-relative paths, edited in the working tree, not staged: `git add` stages them. */
  files: string[];
  reps: number;
  profileReps: number;
  /** No new analysis for this long counts as settled. */
  quietMs: number;
  /** Longest wait for the status bar after a git command. */
  waitMs: number;
  /** Where to write the HostResult JSON. */
  out: string;
  /** Instead of the `git add`/`git reset` rounds: one profiled scenario (see Scenario). */
  scenario?: Scenario;
}

/**
 * `firstLoad`: the repository's OWNERSHIP.yml was replaced by a file no run parsed before, with
 * `features` features, before the window opened; `open` is opened in the editor and the host is
 * profiled from its entry until the extension is quiet. `owed`: `ownership.owed.maxCount` is
 * raised to `maxCount` and the owed pieces are computed over that much history.
 */
export type Scenario = { kind: 'firstLoad'; features: number; open: string } | { kind: 'owed'; maxCount: number };

/** What a scenario measured (its CPU profile is in HostResult.profiles). */
export interface ScenarioResult {
  /** To the result in the extension's state: from the host's entry (first load), from raising the setting (owed). */
  ms: number;
  /** From the change until the extension went quiet (diagnostics, inventory, owed done). */
  settledMs: number;
  /** monitorEventLoopDelay max over the scenario. */
  loopMaxMs: number;
  /** The owed computation's own duration (in the engine's worker), changes walked and pieces owed. */
  owed?: { durationMs: number; commits: number; pieces: number; steps: number };
  /** The inventory: paths matched and whether the worker matched them. */
  inventory?: { files: number; chunks: number; inWorker: boolean } | null;
  probe: Record<string, number>;
}

export interface Refresh {
  /** `add`: git add of the files; `reset`: git reset of them (unstage). */
  kind: 'add' | 'reset';
  /** From starting git to the status bar (in the page) showing the new verdict; null: it never did. */
  ms: number | null;
  /** The git command alone. */
  gitMs: number;
  /** From starting git to the first event of a FileSystemWatcher on .git/{index,HEAD}; null: none. */
  indexEventMs: number | null;
  /** From starting git to vscode.git's repository state change (after its own `git status`). */
  gitStateMs: number | null;
  /** The extension's own duration of the analysis that produced the new verdict. */
  analysisMs: number | null;
  /** Analyses completed meanwhile (1 = none wasted). */
  generations: number;
  /** monitorEventLoopDelay max over the refresh (every extension in the host, and the bench's polling). */
  loopMaxMs: number;
  statusBefore: string;
  statusAfter: string;
  /** Why `ms` is null. */
  note?: string;
}

/** A V8 CPU profile (inspector Profiler.stop), the parts the bench reads. */
export interface Profile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface HostResult {
  pid: number;
  node: string;
  error?: string;
  activeAtEntry?: boolean;
  /** ext.activate() awaited by the bench entry when the extension was not active yet. */
  activateAwaitMs?: number;
  /** The extension's own measurement of activate() (testState.activationMs). */
  activationMs?: number;
  /** Host-process time (performance.now(), from the process start) when the bench entry ran. */
  entryAtMs?: number;
  firstVerdictAtMs?: number;
  firstVerdictFromEntryMs?: number;
  firstGeneration?: number;
  /** durationMs of the analysis behind the first verdict seen. */
  firstAnalysisMs?: number;
  startupLoopMaxMs?: number;
  initialStatus?: string;
  /** The first round (caches warming up), apart from the timed ones. */
  warmup: Refresh[];
  refreshes: Refresh[];
  /** Cost of each ownership._testState call the bench made. */
  pollMs?: number[];
  profiles: Profile[];
  scenario?: ScenarioResult;
  rssAtEntryMB?: number;
  rssAtEndMB?: number;
  peakRssMB?: number;
}
