import { z } from 'zod';

/**
 * Versions Intercom publishes for the `Intercom-Version` header (1.0–1.4, 2.0–2.16, plus the
 * moving `Preview` and `Unstable` channels). The header is optional.
 */
export const INTERCOM_VERSIONS: ReadonlySet<string> = new Set([
  '1.0',
  '1.1',
  '1.2',
  '1.3',
  '1.4',
  ...Array.from({ length: 17 }, (_, minor) => `2.${minor}`),
  'Preview',
  'Unstable',
]);

/** The `Intercom-Version` request header, for route schemas and the OpenAPI document. */
export const intercomVersionSchema = z
  .enum([...INTERCOM_VERSIONS] as [string, ...string[]])
  .describe('Intercom API version; optional, as with Intercom (Tally answers every version alike)');

export function isIntercomVersion(value: string): boolean {
  return INTERCOM_VERSIONS.has(value);
}
