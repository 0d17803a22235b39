import { z } from 'zod';
import { quoted } from './echoed-value.js';
import { requestSchema } from './request-schema.js';

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

/** The `Intercom-Version` request header as the OpenAPI document describes it. */
export const intercomVersionSchema = z
  .enum([...INTERCOM_VERSIONS] as [string, ...string[]])
  .describe('Intercom API version; optional, as with Intercom (Tally answers every version alike)');

export function isIntercomVersion(value: string): boolean {
  return INTERCOM_VERSIONS.has(value);
}

/**
 * The `Intercom-Version` header as a route schema: a published version, or 400
 * `intercom_version_invalid` quoting (at most 40 characters of) what was sent.
 */
export const intercomVersionHeaderSchema = requestSchema(intercomVersionSchema, (input) => {
  const value = Array.isArray(input) ? input.join(',') : String(input);
  if (isIntercomVersion(value)) return { ok: true, value };
  return {
    ok: false,
    errors: [
      {
        code: 'intercom_version_invalid',
        field: 'Intercom-Version',
        message: `Intercom-Version ${quoted(value)} is not a published version (1.0–1.4, 2.0–2.16, Preview, Unstable)`,
      },
    ],
  };
});
