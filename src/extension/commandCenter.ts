// The one command wrapper, as the built-in Git extension's CommandCenter: every command of the
// extension is registered here, so a failure is logged to the "Feature Ownership" output channel
// with its stack and shown once with a "Show Log" action, instead of an unhandled rejection that
// VS Code reports without context. Stable module name: new commands use `registerCommand`.
import * as vscode from 'vscode';

const SHOW_LOG = 'Show Log';

/** Registers `id`; a thrown error or rejected promise is logged and shown, never lost. */
export function registerCommand(log: vscode.LogOutputChannel, id: string, handler: (...args: never[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await (handler as (...a: unknown[]) => unknown)(...args);
    } catch (e) {
      log.error(`${id} failed: ${(e as Error)?.stack ?? String(e)}`);
      void vscode.window.showErrorMessage(`Ownership: ${(e as Error)?.message ?? String(e)}`, SHOW_LOG).then((pick) => {
        if (pick === SHOW_LOG) log.show();
      });
      return undefined;
    }
  });
}
