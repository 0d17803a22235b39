import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogger, REDACTED_PATHS } from './create-logger.js';

describe('createLogger', () => {
  it('names the service and honours the level', () => {
    const logger = createLogger({ name: 'ingress', level: 'warn' });
    expect(logger.level).toBe('warn');
    expect(logger.bindings()).toMatchObject({ service: 'ingress' });
  });

  it('never writes an Authorization header or a token', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write: (chunk, _enc, done) => {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
    logger.info({ req: { headers: { authorization: 'Bearer s3cret' } }, config: { tokens: 'a:s3cret' } }, 'hello');
    expect(lines.join('')).not.toContain('s3cret');
    expect(lines.join('')).toContain('[redacted]');
  });
});
