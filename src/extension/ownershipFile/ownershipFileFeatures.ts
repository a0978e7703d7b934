// The editor side of OWNERSHIP.yml: diagnostics for every file in the workspace, a hover that
// counts the files a glob matches, and the command that creates a first file. The JSON Schema
// reaches YAML language extensions through `yamlValidation` in package.json.
import * as vscode from 'vscode';
import type { Probe } from '../../node/probe';
import { registerCommand } from '../commandCenter';
import { createOwnershipFile } from './createOwnershipFile';
import { Commands } from '../ids';
import { OwnershipDiagnostics } from './ownershipFileDiagnostics';
import { OwnershipHoverProvider } from './ownershipFileHover';
import type { OwnershipStore } from '../analysis/ownershipStore';
import { OWNERSHIP_SELECTOR, TrackedMatchCache, type OwnershipFileDeps } from './ownershipFileShared';

/** Registers the OWNERSHIP.yml diagnostics, hover and create command; dispose to remove them. */
export function registerOwnershipFileFeatures(store: OwnershipStore, probe: Probe, log: vscode.LogOutputChannel): vscode.Disposable {
  const matches = new TrackedMatchCache(store.engine);
  const deps: OwnershipFileDeps = { trackedFiles: async (folder) => store.storeFor(folder)?.folderFiles() };
  return vscode.Disposable.from(
    new OwnershipDiagnostics(store, matches, probe),
    vscode.languages.registerHoverProvider(OWNERSHIP_SELECTOR, new OwnershipHoverProvider(deps, matches, store.engine)),
    registerCommand(log, Commands.createOwnershipFile, (arg?: unknown) => createOwnershipFile(deps, arg)),
  );
}
