// What tells a rewritten file from the one seen before without reading it: its size, times and
// inode (a rename over it, as editors and git do, changes the inode).
import { stat } from 'node:fs/promises';

/** The signature of a file that cannot be stat'ed (deleted, or never there). */
export const GONE = 'gone';

export async function fileSignature(file: string): Promise<string> {
  try {
    const st = await stat(file);
    return `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
  } catch {
    return GONE;
  }
}
