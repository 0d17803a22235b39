import { describe, expect, it } from 'vitest';
import { reachableUrl } from './reachable-url.js';

describe('reachableUrl', () => {
  it('turns a wildcard listen address into loopback and keeps a real one', () => {
    expect(reachableUrl('http://0.0.0.0:3000')).toBe('http://127.0.0.1:3000');
    expect(reachableUrl('http://[::]:3001')).toBe('http://127.0.0.1:3001');
    expect(reachableUrl('http://10.0.0.5:3000')).toBe('http://10.0.0.5:3000');
  });
});
