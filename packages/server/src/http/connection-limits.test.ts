import { describe, expect, it } from 'vitest';
import { ConnectionLimits } from './connection-limits';

const caps = { maxConnections: 10, maxConnectionsPerIp: 2, maxPendingHandshakes: 10 };

describe('ConnectionLimits: counts go back down', () => {
  it('a client that connects and closes again and again can still connect under its per-IP cap', () => {
    const limits = new ConnectionLimits(caps);
    for (let i = 0; i < 5; i++) {
      expect(limits.open('1.1.1.1')).toBeUndefined();
      limits.upgraded();
      limits.closed('1.1.1.1', false);
    }
    expect(limits.total).toBe(0);
    expect(limits.pending).toBe(0);
    expect(limits.open('1.1.1.1')).toBeUndefined();
    expect(limits.open('1.1.1.1')).toBeUndefined();
    expect(limits.open('1.1.1.1')).toBe(429);
  });

  it('an upgraded connection no longer counts as a pending handshake, but still in the total', () => {
    const limits = new ConnectionLimits({ ...caps, maxPendingHandshakes: 2 });
    limits.open(undefined);
    limits.open(undefined);
    expect(limits.open(undefined)).toBe(503);
    limits.upgraded();
    expect(limits.pending).toBe(1);
    expect(limits.total).toBe(2);
    expect(limits.open(undefined)).toBeUndefined();
  });

  it('a connection closed during its handshake frees its pending slot; one closed after does not touch it', () => {
    const limits = new ConnectionLimits(caps);
    limits.open('1.1.1.1');
    limits.upgraded();
    limits.open('2.2.2.2');
    limits.closed('1.1.1.1', false);
    expect(limits.pending).toBe(1);
    expect(limits.total).toBe(1);
    limits.closed('2.2.2.2', true);
    expect(limits.pending).toBe(0);
    expect(limits.total).toBe(0);
  });

  it('attributing a connection to the client address moves its per-IP count', () => {
    const limits = new ConnectionLimits(caps);
    limits.open('10.0.0.1'); // the proxy
    limits.open('10.0.0.1');
    expect(limits.attribute('10.0.0.1', '1.1.1.1')).toBeUndefined();
    expect(limits.attribute('10.0.0.1', '2.2.2.2')).toBeUndefined();
    // The proxy holds no connection now: two more from it fit under the cap.
    expect(limits.open('10.0.0.1')).toBeUndefined();
    expect(limits.open('10.0.0.1')).toBeUndefined();
    expect(limits.open('10.0.0.1')).toBe(429);
    expect(limits.attribute('10.0.0.1', '1.1.1.1')).toBeUndefined();
    expect(limits.attribute('10.0.0.1', '1.1.1.1')).toBe(429);
  });
});
