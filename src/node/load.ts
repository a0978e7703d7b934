// Finds and reads every OWNERSHIP.yml of a repository and compiles them into one model.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compileModel, type Model } from '../core/model';
import { FILE_NAME, MAX_FILE_BYTES, parseOwnership } from '../core/parse';
import type { OwnershipFile, Problem } from '../core/types';
import type { Git } from './git';

export interface Loaded {
  model: Model;
  problems: Problem[];
  /** Repository-relative paths of the OWNERSHIP.yml files found. */
  paths: string[];
}

const TOP = { line: 1, col: 1, endLine: 1, endCol: 1 };

/** Reads one OWNERSHIP.yml from the working tree; undefined when it no longer exists. */
export async function readOwnershipText(root: string, path: string): Promise<{ text?: string; problem?: Problem } | undefined> {
  let buf: Buffer;
  try {
    buf = await readFile(join(root, path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    const why = code === 'EISDIR' ? `${FILE_NAME} is a directory; it must be a YAML file` : `cannot read ${FILE_NAME}: ${(e as Error).message}`;
    return { problem: { file: path, ...TOP, severity: 'error', code: 'unreadable', message: why } };
  }
  if (buf.length > MAX_FILE_BYTES) {
    return { problem: { file: path, ...TOP, severity: 'error', code: 'too-large', message: `${FILE_NAME} is ${(buf.length / 1048576).toFixed(1)} MB; the limit is ${MAX_FILE_BYTES / 1048576} MB: split it into one ${FILE_NAME} per folder` } };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf) };
  } catch {
    // Point at the first invalid byte so the user can find it.
    let offset = 0;
    for (let end = 1; end <= buf.length; end++) {
      try { new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, end)); offset = end; } catch { if (end - offset > 4) break; }
    }
    const before = buf.subarray(0, offset).toString('utf8');
    const line = before.split('\n').length;
    const col = before.length - before.lastIndexOf('\n');
    return { problem: { file: path, line, col, endLine: line, endCol: col + 1, severity: 'error', code: 'encoding', message: `${FILE_NAME} is not valid UTF-8 (byte ${offset + 1}): save it as UTF-8` } };
  }
}

/** Parses the given files (text by path) and compiles them. */
export function buildModel(texts: Map<string, string>, readProblems: Problem[] = []): Loaded {
  const problems = [...readProblems];
  const files: OwnershipFile[] = [];
  for (const [path, text] of texts) {
    const r = parseOwnership(text, path);
    problems.push(...r.problems);
    if (r.file) files.push(r.file);
  }
  const { model, problems: more } = compileModel(files);
  problems.push(...more);
  return { model, problems, paths: [...texts.keys(), ...readProblems.map((p) => p.file)].sort() };
}

/** Finds, reads and compiles every OWNERSHIP.yml of the repository. */
export async function loadModel(git: Git): Promise<Loaded> {
  const paths = await git.ownershipFiles();
  const texts = new Map<string, string>();
  const readProblems: Problem[] = [];
  await Promise.all(paths.map(async (p) => {
    const r = await readOwnershipText(git.root, p);
    if (!r) return;
    if (r.problem) readProblems.push(r.problem);
    else texts.set(p, r.text!);
  }));
  return buildModel(new Map([...texts].sort(([a], [b]) => a.localeCompare(b))), readProblems);
}
