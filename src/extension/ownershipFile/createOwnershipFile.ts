// "Ownership: Create OWNERSHIP.yml": scaffolds the file at a workspace folder's root from its
// files, layout, CODEOWNERS and history (the same engine as `ownership init`) and opens it for editing.
// An existing file is opened, never overwritten.
import * as vscode from 'vscode';
import { CODEOWNERS_PATHS } from '../../core/codeowners';
import { FILE_NAME } from '../../core/parse';
import { Git } from '../../node/git';
import { fileReader, scanRepository } from '../../node/repoScan';
import { scaffold as lazyScaffold } from '../lazy';
import { relativePath, type OwnershipFileDeps } from './ownershipFileShared';

/** Files to scaffold from when git cannot list them (untrusted workspace, no repository). */
const FALLBACK_LIMIT = 50_000;

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function readCodeowners(folder: vscode.Uri): Promise<{ path: string; text: string } | undefined> {
  for (const path of CODEOWNERS_PATHS) {
    try {
      return { path, text: new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, path))) };
    } catch {
      // not there: try the next place
    }
  }
  return undefined;
}

async function pickFolder(arg: unknown): Promise<vscode.WorkspaceFolder | undefined> {
  // From a view or a test: a folder (or a file in it) may be passed.
  if (arg instanceof vscode.Uri) {
    const f = vscode.workspace.getWorkspaceFolder(arg);
    if (f) return f;
  }
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: `Create ${FILE_NAME} in which folder?` });
}

/** Runs the command; resolves to the file created or opened, or undefined when cancelled. */
export async function createOwnershipFile(deps: OwnershipFileDeps, arg?: unknown): Promise<vscode.Uri | undefined> {
  const folder = await pickFolder(arg);
  if (!folder) {
    if (!vscode.workspace.workspaceFolders?.length) void vscode.window.showErrorMessage(`Open a folder first: ${FILE_NAME} goes at the root of a workspace folder.`);
    return undefined;
  }
  const target = vscode.Uri.joinPath(folder.uri, FILE_NAME);
  if (await exists(target)) {
    await vscode.window.showTextDocument(target, { preview: false });
    void vscode.window.showInformationMessage(`${folder.name} already has an ${FILE_NAME}: opened it.`);
    return target;
  }
  // With git (a trusted repository): the same reading of files, layout and history as `ownership init`.
  let input = (await deps.trackedFiles(folder.uri)) ? await scanRepository(await Git.open(folder.uri.fsPath), { dir: folder.uri.fsPath }).catch(() => undefined) : undefined;
  if (!input) {
    // No git (untrusted, or not a repository): the files VS Code can see will do for a first guess.
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*'), '{**/node_modules/**,**/.git/**}', FALLBACK_LIMIT);
    const files = found.map((u) => relativePath(folder.uri, u));
    input = { files, read: fileReader(folder.uri.fsPath, files), codeowners: await readCodeowners(folder.uri) };
  }
  const scaffold = lazyScaffold().scaffoldOwnership(input);
  // Checked again right before writing: the file may have appeared while we listed files.
  if (await exists(target)) {
    await vscode.window.showTextDocument(target, { preview: false });
    return target;
  }
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(scaffold.text));
  await vscode.window.showTextDocument(target, { preview: false });
  void vscode.window.showInformationMessage(`Created ${FILE_NAME} with ${scaffold.features} feature${scaffold.features === 1 ? '' : 's'} from ${scaffold.from}: review what its comments say was detected.`);
  return target;
}
