import { describe, expect, it } from 'vitest';
import { pretty } from './logger';

describe('the terminal log format', () => {
  it('turns a pino JSON line into one readable line with its fields', () => {
    const line = JSON.stringify({
      level: 40,
      time: 0,
      pid: 1,
      hostname: 'h',
      name: 'chat',
      msg: 'slow',
      clientId: 'c1',
    });
    expect(pretty(line)).toMatch(/^\d\d:\d\d:\d\d WARN {2}chat: slow \{"clientId":"c1"\}\n$/);
    expect(pretty('not json\n')).toBe('not json\n');
  });
});
