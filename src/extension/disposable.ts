// The one disposable base class: a class registers what it owns (emitters, listeners, watchers)
// as it creates them and `dispose()` releases all of it once, in reverse order. Stable module name.
import type * as vscode from 'vscode';

export abstract class Disposable implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  private _disposed = false;

  protected get disposed(): boolean {
    return this._disposed;
  }

  /** Owns `d`: it is disposed with this object (at once if this one is already disposed). */
  protected register<T extends vscode.Disposable>(d: T): T {
    if (this._disposed) d.dispose();
    else this.owned.push(d);
    return d;
  }

  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    for (const d of this.owned.splice(0).reverse()) d.dispose();
  }
}
