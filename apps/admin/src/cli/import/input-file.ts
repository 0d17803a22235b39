import { stat } from 'node:fs/promises';

/**
 * The size of an input file (an import's lines, migrate's users), or why it cannot be read, in
 * one line for the user: `cannot read history.ndjson (ENOENT: no such file or directory)`
 * rather than the error's own words, which name the system call and not always the path.
 */
export async function inputFileSize(path: string): Promise<{ size: number } | { problem: string }> {
  try {
    const file = await stat(path);
    if (file.isDirectory()) return { problem: `cannot read ${path} (a directory, not a file)` };
    return { size: file.size };
  } catch (error) {
    return { problem: `cannot read ${path} (${(error as Error).message.split(',')[0]})` };
  }
}
