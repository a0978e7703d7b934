// Reads one OWNERSHIP.yml safely (the reading stage of src/node/folderAnalysis.ts, which finds,
// parses and compiles them).
import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { FILE_NAME, MAX_FILE_BYTES } from '../core/parse';
import type { Problem } from '../core/types';
import type { Git } from './git';

const TOP = { line: 1, col: 1, endLine: 1, endCol: 1 };

function problem(path: string, code: string, message: string, at = TOP): Problem {
  return { file: path, ...at, severity: 'error', code, message };
}

/**
 * Reads one OWNERSHIP.yml from the working tree; undefined when it no longer exists. A symbolic
 * link is followed only when it ends inside the repository: git stores links as links, so a
 * committed `OWNERSHIP.yml -> /home/you/.ssh/config` must not make the tool read (and echo in its
 * messages) a file outside the repository. The same holds for a folder on the way that is a link.
 * With `git`, a file that sparse checkout keeps out of the working tree is read from the index.
 */
export async function readOwnershipText(root: string, path: string, git?: Pick<Git, 'sparseContent'>): Promise<{ text?: string; problem?: Problem } | undefined> {
  const full = join(root, path);
  let real: string;
  try {
    real = await realpath(full);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || (code === 'ENOENT' && (await isLink(full)))) {
      return { problem: problem(path, 'bad-link', `${FILE_NAME} is a symbolic link that loops or points to nothing: replace it with a file`) };
    }
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      const staged = await git?.sparseContent(path);
      return staged ? decodeOwnership(staged, path) : undefined;
    }
    return { problem: problem(path, 'unreadable', `cannot read ${FILE_NAME}: ${(e as Error).message}`) };
  }
  const realRoot = await realpath(root).catch(() => root);
  if (real !== realRoot && !real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)) {
    return { problem: problem(path, 'outside-repository', `${FILE_NAME} is a symbolic link (or inside a linked folder) leading outside the repository, so it is not read: replace it with a file`) };
  }
  let buf: Buffer;
  try {
    // Size first: a 50 MB file is refused without being read into memory.
    const size = (await stat(real)).size;
    if (size > MAX_FILE_BYTES) return { problem: tooLarge(path, size) };
    buf = await readFile(real);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    const why = code === 'EISDIR' ? `${FILE_NAME} is a directory; it must be a YAML file` : `cannot read ${FILE_NAME}: ${(e as Error).message}`;
    return { problem: problem(path, code === 'EISDIR' ? 'directory' : 'unreadable', why) };
  }
  return decodeOwnership(buf, path);
}

async function isLink(p: string): Promise<boolean> {
  try {
    return (await lstat(p)).isSymbolicLink();
  } catch {
    return false;
  }
}

function tooLarge(path: string, bytes: number): Problem {
  return problem(path, 'too-large', `${FILE_NAME} is ${(bytes / 1048576).toFixed(1)} MB; the limit is ${MAX_FILE_BYTES / 1048576} MB: split it into one ${FILE_NAME} per folder`);
}

/** UTF-8 text of an OWNERSHIP.yml, or a problem pointing at the first byte that is not UTF-8. */
export function decodeOwnership(buf: Buffer, path: string): { text?: string; problem?: Problem } {
  if (buf.length > MAX_FILE_BYTES) return { problem: tooLarge(path, buf.length) };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf) };
  } catch {
    const offset = firstInvalidUtf8(buf);
    // Everything before the bad byte is valid, so this prefix decodes exactly.
    const before = buf.subarray(0, offset).toString('utf8');
    const line = before.split('\n').length;
    const col = before.length - before.lastIndexOf('\n');
    return { problem: problem(path, 'encoding', `${FILE_NAME} is not valid UTF-8 (byte ${offset + 1}): save it as UTF-8`, { line, col, endLine: line, endCol: col + 1 }) };
  }
}

/**
 * Offset of the first byte that does not start a well-formed UTF-8 sequence, in one pass: the
 * lossy decoder marks every ill-formed sequence with U+FFFD, and a U+FFFD that the file really
 * contains is the 3 bytes EF BF BD, so the first U+FFFD not backed by them is the bad byte.
 */
function firstInvalidUtf8(buf: Buffer): number {
  const text = buf.toString('utf8');
  let offset = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0xfffd && !(buf[offset] === 0xef && buf[offset + 1] === 0xbf && buf[offset + 2] === 0xbd)) return offset;
    offset += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return buf.length;
}
