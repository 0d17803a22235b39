import { stat } from 'node:fs/promises';
import { fileProblem } from '../text-format.js';

/**
 * The size of an input file (an import's lines, migrate's users), or why it cannot be read, in
 * one line for the user: `cannot read history.ndjson (ENOENT: no such file or directory)`.
 */
export async function inputFileSize(path: string): Promise<{ size: number } | { problem: string }> {
  try {
    const file = await stat(path);
    if (file.isDirectory()) return { problem: `cannot read ${path} (a directory, not a file)` };
    return { size: file.size };
  } catch (error) {
    return { problem: `cannot read ${path} (${fileProblem(error)})` };
  }
}
