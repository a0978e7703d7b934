// The Features view's frame around the tree: context keys that pick the welcome view, the view's
// message (restricted mode, git errors), description (what is analysed) and badge (gap count).
import type * as vscode from 'vscode';
import type { ContextKeys } from './contextKeys';
import { visibleFeatures } from './featureTree';
import { ContextKeyNames } from '../ids';
import type { OwnershipStore } from '../analysis/ownershipStore';

/** The welcome view to show: the single folder's state, or '' when the tree has rows. */
function welcomeState(store: OwnershipStore): string {
  const folders = store.folders;
  const [only] = folders;
  if (folders.length !== 1 || !only) return '';
  const s = only.snapshot;
  if (s.state !== 'ready') return s.state;
  // Everything filtered away: say so rather than show an empty view.
  return store.filter !== 'all' && !s.verdict?.unowned.length && visibleFeatures(s, store.filter).length === 0 ? 'filteredEmpty' : '';
}

export function registerViewState(store: OwnershipStore, view: vscode.TreeView<unknown>, keys: ContextKeys): vscode.Disposable {
  const update = () => {
    const folders = store.folders;
    keys.set(ContextKeyNames.welcome, welcomeState(store));
    keys.set(ContextKeyNames.filtered, store.filter !== 'all');
    const kinds = new Set(folders.map((s) => s.snapshot.source.kind));
    const [kind] = kinds;
    keys.set(ContextKeyNames.changes, kinds.size === 1 && kind !== undefined ? kind : 'mixed');

    const ready = folders.filter((s) => s.snapshot.state === 'ready');
    const messages: string[] = [];
    if (ready.some((s) => s.snapshot.restricted)) {
      messages.push('Restricted mode: git is not run in an untrusted workspace (a repository\'s config can make git run programs), so features are listed but your changes are not checked. Trust the workspace to see gaps.');
    }
    // A folder still loading shows its error too: the watchdog can stop the first analysis.
    for (const s of folders) if (s.snapshot.error && (s.snapshot.state === 'ready' || s.snapshot.state === 'loading')) messages.push(`${folders.length > 1 ? `${s.folder.name}: ` : ''}${s.snapshot.error}`);
    view.message = messages.length ? messages.join('\n') : undefined;

    const labels = [...new Set(ready.filter((s) => !s.snapshot.restricted).map((s) => s.snapshot.source.label))];
    view.description = [labels.join(', '), store.filter !== 'all' ? store.filter : ''].filter(Boolean).join(' · ') || undefined;
    const gaps = ready.reduce((n, s) => n + (s.snapshot.restricted ? 0 : s.snapshot.verdict?.summary.gaps ?? 0), 0);
    view.badge = gaps ? { value: gaps, tooltip: `${gaps} gap${gaps === 1 ? '' : 's'} in the analysed change` } : undefined;
  };
  keys.set(ContextKeyNames.active, true);
  update();
  return store.onDidChange(update);
}
