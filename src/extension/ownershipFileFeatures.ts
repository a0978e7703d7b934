// The editor side of OWNERSHIP.yml: diagnostics for every file in the workspace, a hover that
// counts the files a glob matches, and the command that creates a first file. The JSON Schema
// reaches YAML language extensions through `yamlValidation` in package.json.
import * as vscode from 'vscode';
import { createOwnershipFile } from './createOwnershipFile';
import { Commands } from './ids';
import { OwnershipDiagnostics } from './ownershipFileDiagnostics';
import { OwnershipHoverProvider } from './ownershipFileHover';
import { OWNERSHIP_SELECTOR, TrackedMatchCache, type OwnershipFileDeps } from './ownershipFileShared';

/** Registers the OWNERSHIP.yml diagnostics, hover and create command; dispose to remove them. */
export function registerOwnershipFileFeatures(deps: OwnershipFileDeps): vscode.Disposable {
  const matches = new TrackedMatchCache();
  return vscode.Disposable.from(
    new OwnershipDiagnostics(deps, matches),
    vscode.languages.registerHoverProvider(OWNERSHIP_SELECTOR, new OwnershipHoverProvider(deps, matches)),
    vscode.commands.registerCommand(Commands.createOwnershipFile, (arg?: unknown) => createOwnershipFile(deps, arg)),
  );
}
