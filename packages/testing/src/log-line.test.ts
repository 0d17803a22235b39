import { describe, expect, it } from 'vitest';
import { parseLogLine } from './log-line.js';

describe('parseLogLine', () => {
  it('parses pino JSON lines', () => {
    expect(parseLogLine('{"level":30,"msg":"ingress listening","url":"http://127.0.0.1:3000"}')).toEqual({
      level: 30,
      msg: 'ingress listening',
      url: 'http://127.0.0.1:3000',
    });
  });

  it('returns null for anything else', () => {
    for (const line of ['', 'plain text', '    at main (file.ts:1:1)', '{not json}', '[1,2]', '"{}"']) {
      expect(parseLogLine(line)).toBeNull();
    }
  });
});
