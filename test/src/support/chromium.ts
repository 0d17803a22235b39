import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Path of the system Chromium that playwright-core drives (playwright's own browser downloads
 * are not used): `CHROMIUM_BIN` if set, else `chromium` or `chromium-browser` on `PATH`. Throws
 * with the install line when there is none: the browser test fails, it never skips.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.CHROMIUM_BIN;
  if (explicit !== undefined && explicit !== '') {
    if (isExecutable(explicit)) return explicit;
    throw new Error(`CHROMIUM_BIN=${explicit} is not an executable file.`);
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const candidate = dir === '' ? '' : join(dir, name);
      if (candidate !== '' && isExecutable(candidate)) return candidate;
    }
  }
  throw new Error(
    [
      'chromium was not found on PATH; the Bull Board test drives it headless.',
      'Install it:  sudo apt-get install -y chromium   (Debian; .ci/run does this)',
      'or point CHROMIUM_BIN at a Chromium or Chrome binary.',
    ].join('\n'),
  );
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
