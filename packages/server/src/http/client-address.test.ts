import type { IncomingMessage } from 'node:http';
import { type Authenticator, ErrorCode, RoomcastError } from '@roomcast/protocol';
import { RawClient, upgradeRequest } from '@roomcast/test-support/raw-client';
import { recordingLogger } from '@roomcast/test-support/recording-logger';
import { useTestServers } from '@roomcast/test-support/test-servers';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocketServerOptions } from '../options';
import { WebSocketServer } from '../server';
import { createClientAddress, type TrustProxy } from './client-address';

const start = useTestServers((options?: WebSocketServerOptions) => new WebSocketServer(options));
const raws: RawClient[] = [];
afterEach(() => {
  for (const raw of raws.splice(0)) raw.destroy();
});

/** What node:http hands an upgrade handler, reduced to the two fields the address is read from. */
function request(remoteAddress: string, forwardedFor?: string): IncomingMessage {
  const headers = forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor };
  return { headers, socket: { remoteAddress } } as unknown as IncomingMessage;
}

describe('createClientAddress', () => {
  const cases: [string, TrustProxy | undefined, IncomingMessage, string][] = [
    [
      'no trustProxy: the peer, X-Forwarded-For ignored',
      undefined,
      request('10.0.0.1', '6.6.6.6'),
      '10.0.0.1',
    ],
    ['one hop: the entry the proxy appended', 1, request('10.0.0.1', '6.6.6.6, 203.0.113.1'), '203.0.113.1'],
    [
      'two hops: one entry further',
      2,
      request('10.0.0.2', '198.51.100.7, 203.0.113.1, 10.0.0.1'),
      '203.0.113.1',
    ],
    ['more hops than entries: the leftmost', 3, request('10.0.0.1', '203.0.113.1'), '203.0.113.1'],
    ['a trusted hop without the header: the peer', 1, request('10.0.0.1'), '10.0.0.1'],
    [
      'trusted subnet: first untrusted from the right',
      ['10.0.0.0/8'],
      request('10.1.2.3', '6.6.6.6, 203.0.113.5, 10.9.9.9'),
      '203.0.113.5',
    ],
    [
      'untrusted peer: its header is not believed',
      ['10.0.0.0/8'],
      request('127.0.0.1', '203.0.113.5'),
      '127.0.0.1',
    ],
    ['a hop that reports garbage is the last address known', 1, request('10.0.0.1', 'nonsense'), '10.0.0.1'],
    [
      'IPv4-mapped IPv6 and ports are one spelling',
      ['127.0.0.1'],
      request('::ffff:127.0.0.1', '203.0.113.9:4711'),
      '203.0.113.9',
    ],
    ['IPv6 with brackets and port', 1, request('::1', '[2001:db8::7]:443'), '2001:db8::7'],
    ['an IPv6 trusted address', ['::1'], request('::1', '2001:db8::8'), '2001:db8::8'],
  ];
  it.each(cases)('%s', (_name, trustProxy, incoming, expected) => {
    expect(createClientAddress({ trustProxy }).ofRequest(incoming)).toBe(expected);
  });

  it('knows the client at TCP accept only when the peer is not a proxy to trust', () => {
    expect(createClientAddress({}).ofPeer('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(createClientAddress({ trustProxy: 1 }).ofPeer('127.0.0.1')).toBeUndefined();
    expect(createClientAddress({ trustProxy: ['10.0.0.0/8'] }).ofPeer('10.0.0.3')).toBeUndefined();
    expect(createClientAddress({ trustProxy: ['10.0.0.0/8'] }).ofPeer('127.0.0.1')).toBe('127.0.0.1');
    expect(createClientAddress({ getClientIp: () => 'x' }).ofPeer('127.0.0.1')).toBeUndefined();
  });

  it('throws a TypeError that says what to pass', () => {
    expect(() => createClientAddress({ trustProxy: true as never })).toThrow(/hop count \(trustProxy: 1\)/);
    expect(() => createClientAddress({ trustProxy: -1 })).toThrow(/number of proxies/);
    expect(() => createClientAddress({ trustProxy: ['10.0.0.0/33'] })).toThrow(/"10.0.0.0\/8"/);
    expect(() => createClientAddress({ trustProxy: ['nginx'] })).toThrow(TypeError);
    expect(() => createClientAddress({ trustProxy: 1, getClientIp: () => 'x' })).toThrow(
      /either getClientIp or trustProxy/,
    );
  });
});

describe('behind a proxy (raw TCP from the proxy’s address)', () => {
  async function upgrade(url: string, headers: Record<string, string>) {
    const raw = await RawClient.open(url);
    raws.push(raw);
    raw.write(upgradeRequest(url, headers));
    return { raw, status: await raw.statusLine() };
  }

  it('with trustProxy: 1, per-IP limits and logs use the forwarded client, never one the client wrote', async () => {
    const refuseAll: Authenticator = {
      required: false,
      loginTimeoutMs: 0,
      verify: async () => {
        throw new RoomcastError(ErrorCode.UNAUTHORIZED, 'Invalid token');
      },
    };
    const { lines, logger } = recordingLogger();
    const { server, url } = await start({
      trustProxy: 1,
      limits: { maxConnectionsPerIp: 1 },
      authenticator: refuseAll,
      logger,
    });
    // Every connection comes from 127.0.0.1, the "proxy": two clients behind it both get in.
    const a = await RawClient.upgrade(url, { 'X-Forwarded-For': '203.0.113.1' });
    const b = await RawClient.upgrade(url, { 'X-Forwarded-For': '203.0.113.2' });
    raws.push(a, b);
    expect(server.clientManager.getClient({ clientId: a.clientId })?.ip).toBe('203.0.113.1');
    expect(server.clientManager.getClient({ clientId: b.clientId })?.ip).toBe('203.0.113.2');
    // A second connection of 203.0.113.1 is over its cap, whatever it puts left of the proxy's entry.
    expect((await upgrade(url, { 'X-Forwarded-For': '203.0.113.1' })).status).toBe(
      'HTTP/1.1 429 Too Many Requests',
    );
    expect((await upgrade(url, { 'X-Forwarded-For': '198.51.100.7, 203.0.113.1' })).status).toBe(
      'HTTP/1.1 429 Too Many Requests',
    );
    // Logs name the client, not the proxy.
    expect((await upgrade(`${url}?token=bad`, { 'X-Forwarded-For': '203.0.113.9' })).status).toBe(
      'HTTP/1.1 401 Unauthorized',
    );
    expect(lines.find(line => line.msg === 'upgrade refused: bad token')?.fields['ip']).toBe('203.0.113.9');
  });

  it('without trustProxy, X-Forwarded-For is ignored: the TCP peer is the client', async () => {
    const { server, url } = await start({ limits: { maxConnectionsPerIp: 1 } });
    const a = await RawClient.upgrade(url, { 'X-Forwarded-For': '203.0.113.1' });
    raws.push(a);
    expect(server.clientManager.getClient({ clientId: a.clientId })?.ip).toBe('127.0.0.1');
    expect((await upgrade(url, { 'X-Forwarded-For': '203.0.113.2' })).status).toBe(
      'HTTP/1.1 429 Too Many Requests',
    );
  });
});
