// The one typed reader of `ownership.*` settings. Listeners filter with `changed(e, key)`, which
// is true when `e` is undefined, so start-up and later changes share one code path (as GitLens does).
import * as vscode from 'vscode';
import { CONFIG_SECTION, type SettingKey } from './ids';

type ChangesSetting = 'staged' | 'working' | 'branch';

export interface OwnershipConfig {
  changes: ChangesSetting;
  /** '' means: the upstream of the current branch, else `main`, else `master`. */
  baseRef: string;
  statusBarEnabled: boolean;
  treeMaxFiles: number;
  debounceMs: number;
  scmInputWarning: boolean;
  /** Owner handles that also count as "me" for the `mine` filter. */
  me: string[];
}

const clampInt = (v: unknown, min: number, max: number, fallback: number): number =>
  typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, Math.round(v))) : fallback;

/** Reads the settings of `scope` (a workspace folder) as a plain object. */
export function readConfig(scope?: vscode.ConfigurationScope): OwnershipConfig {
  const c = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  // Window-scoped settings are read without a resource, as VS Code expects.
  const w = vscode.workspace.getConfiguration(CONFIG_SECTION);
  const changes = c.get<string>('changes');
  return {
    changes: changes === 'working' || changes === 'branch' ? changes : 'staged',
    baseRef: (c.get<string>('baseRef') ?? '').trim(),
    statusBarEnabled: w.get<boolean>('statusBar.enabled') !== false,
    treeMaxFiles: clampInt(w.get('tree.maxFiles'), 1, 10000, 50),
    debounceMs: clampInt(c.get('refresh.debounce'), 0, 10000, 300),
    scmInputWarning: w.get<boolean>('scmInputWarning.enabled') !== false,
    me: (c.get<unknown[]>('me') ?? []).filter((s): s is string => typeof s === 'string' && s.trim() !== ''),
  };
}

/** True when `key` (or any ownership setting, without a key) may have changed; always true at start-up. */
export function changed(e: vscode.ConfigurationChangeEvent | undefined, key?: SettingKey, scope?: vscode.ConfigurationScope): boolean {
  return e === undefined || e.affectsConfiguration(key ? `${CONFIG_SECTION}.${key}` : CONFIG_SECTION, scope);
}
