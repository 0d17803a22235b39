import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.js';

/** A logger made by createLogger, as the apps make theirs, whose lines the test reads. */
function captured() {
  const lines: string[] = [];
  const destination = new Writable({
    write: (chunk, _enc, done) => {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ name: 'ingress', level: 'info', destination }), output: () => lines.join('') };
}

describe('createLogger', () => {
  it('names the service and honours the level', () => {
    const logger = createLogger({ name: 'ingress', level: 'warn' });
    expect(logger.level).toBe('warn');
    expect(logger.bindings()).toMatchObject({ service: 'ingress' });
  });

  it('never writes an Authorization header, a cookie, a token or a password', () => {
    const { logger, output } = captured();
    logger.info(
      {
        req: { headers: { authorization: 'Bearer s3cret-a', cookie: 'session=s3cret-b' } },
        config: { tokens: 'a:s3cret-c', ADMIN_PASSWORD: 's3cret-d', TALLY_TOKENS: 'acme:s3cret-e' },
        password: 's3cret-f',
      },
      'hello',
    );
    expect(output()).not.toMatch(/s3cret/);
    expect(output()).toContain('[redacted]');
  });

  it('censors a secret key at any depth and in child bindings, whatever its case', () => {
    const { logger, output } = captured();
    const child = logger.child({ token: 's3cret-g' });
    child.info({ job: { redis: { options: { password: 's3cret-h' } } }, headers: { Authorization: 'Basic s3cret-i' } }, 'deep');
    const line = JSON.parse(output()) as Record<string, unknown>;
    expect(output()).not.toMatch(/s3cret/);
    expect(line.token).toBe('[redacted]');
    expect(line.job).toEqual({ redis: { options: { password: '[redacted]' } } });
  });

  it('writes nothing of an object nested past the depth it scrubs', () => {
    const { logger, output } = captured();
    let deep: Record<string, unknown> = { note: 'sent Bearer s3cret-j' };
    for (let i = 0; i < 10; i++) deep = { inner: deep };
    logger.info({ deep }, 'deep');
    expect(output()).not.toMatch(/s3cret/);
    expect(output()).toContain('[too deep]');
  });

  it('scrubs credentials from connection URLs and bearer tokens inside strings, errors included', () => {
    const { logger, output } = captured();
    logger.warn({ url: 'mongodb://tally:hunter2@mongo:27017/?replicaSet=rs0' }, 'connecting to redis://:hunter3@redis:6379');
    logger.error({ err: new Error('connect failed: mongodb+srv://u:hunter4@cluster.example.net') }, 'boom');
    logger.info({ detail: { nested: ['sent Bearer hunter5 to the API'] } }, 'nested');
    const text = output();
    expect(text).not.toMatch(/hunter\d/);
    expect(text).toContain('mongodb://tally:[redacted]@mongo:27017');
    expect(text).toContain('redis://:[redacted]@redis:6379');
    expect(text).toContain('Bearer [redacted]');
  });
});
