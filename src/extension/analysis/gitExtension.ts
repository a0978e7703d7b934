// The part of the built-in Git extension's API (extensions/git/src/api/git.d.ts, version 1)
// this extension uses: repository state events for live refresh, and git: URIs for diffs.
// The extension never depends on it: when vscode.git is disabled, .git/index and .git/HEAD
// watchers (liveTriggers.ts) keep the analysis live and files open without a diff.
import * as vscode from 'vscode';

export interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: { readonly onDidChange: vscode.Event<void> };
  readonly inputBox: { value: string };
}

export interface GitApi {
  readonly state: 'uninitialized' | 'initialized';
  readonly repositories: readonly GitRepository[];
  readonly onDidOpenRepository: vscode.Event<GitRepository>;
  readonly onDidCloseRepository: vscode.Event<GitRepository>;
  toGitUri(uri: vscode.Uri, ref: string): vscode.Uri;
}

interface GitExtensionExports {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

/** Git's ref for the index in git: URIs ('' is the working tree). */
export const INDEX_REF = '~';

/** The API of vscode.git, activating it if needed; undefined when it is missing or disabled. */
export async function getGitApi(): Promise<GitApi | undefined> {
  const ext = vscode.extensions.getExtension<GitExtensionExports>('vscode.git');
  if (!ext) return undefined;
  try {
    const exports = ext.isActive ? ext.exports : await ext.activate();
    return exports.enabled ? exports.getAPI(1) : undefined;
  } catch {
    return undefined;
  }
}
