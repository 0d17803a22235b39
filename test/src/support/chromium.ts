import { findExecutable } from '@tally/testing';

/**
 * Path of the system Chromium that playwright-core drives (playwright's own browser downloads
 * are not used): `CHROMIUM_BIN` if set, else `chromium` or `chromium-browser` on `PATH`. Throws
 * with the install line when there is none: the browser test fails, it never skips.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const found = findExecutable('CHROMIUM_BIN', ['chromium', 'chromium-browser'], env);
  if ('path' in found) return found.path;
  if (found.missing === 'override-not-executable') throw new Error(`CHROMIUM_BIN=${found.override} is not an executable file.`);
  throw new Error(
    [
      'chromium was not found on PATH; the Bull Board test drives it headless.',
      'Install it:  sudo apt-get install -y chromium   (Debian; .ci/run does this)',
      'or point CHROMIUM_BIN at a Chromium or Chrome binary.',
    ].join('\n'),
  );
}
