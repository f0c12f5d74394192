import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/**
 * Which proxies in front of the server may say who the client is (in `X-Forwarded-For`): the
 * number of proxy hops (`1`: one load balancer or nginx), or their addresses and subnets
 * (`['10.0.0.0/8', '192.168.1.5']`). `0` or `false`: none, the TCP peer is the client.
 */
export type TrustProxy = number | false | readonly string[];

/** How the server tells a client's address, for per-IP limits and logs. */
export interface ClientAddress {
  /** The client's address for an upgrade request. */
  ofRequest(request: IncomingMessage): string;
  /**
   * The client's address at TCP accept, before any header is read: the peer's, unless the peer is
   * a proxy to trust (or a custom `getClientIp` decides), when it is only known from the request.
   */
  ofPeer(remoteAddress: string | undefined): string | undefined;
}

export function defaultClientIp(request: IncomingMessage): string {
  return normalize(request.socket.remoteAddress) ?? 'unknown';
}

/**
 * Builds the address rule from the server options: `getClientIp` (the caller decides), or
 * `trustProxy`, or neither (the TCP peer). Misused options throw a TypeError that says what to do.
 *
 * @example
 * const address = createClientAddress({ trustProxy: 1 }); // one nginx in front
 * address.ofRequest(request); // the rightmost X-Forwarded-For entry, the one nginx appended
 */
export function createClientAddress({
  trustProxy,
  getClientIp,
}: {
  trustProxy?: TrustProxy | undefined;
  getClientIp?: ((request: IncomingMessage) => string) | undefined;
}): ClientAddress {
  if (getClientIp !== undefined && trustProxy !== undefined && trustProxy !== false) {
    throw new TypeError(
      'Pass either getClientIp or trustProxy, not both: trustProxy is a ready-made getClientIp',
    );
  }
  if (getClientIp !== undefined) {
    if (typeof getClientIp !== 'function')
      throw new TypeError('getClientIp must be a function (request) => ip');
    // The caller's function may read a header: a peer is never taken for the client before it ran.
    return { ofRequest: getClientIp, ofPeer: () => undefined };
  }
  const trusted = trustRule(trustProxy);
  if (!trusted) return { ofRequest: defaultClientIp, ofPeer: normalize };
  return {
    ofRequest: request => forwardedClient(request, trusted),
    ofPeer: remoteAddress => {
      const peer = normalize(remoteAddress);
      return peer === undefined || trusted(peer, 0) ? undefined : peer;
    },
  };
}

type Trust = (address: string, hop: number) => boolean;

function trustRule(trustProxy: TrustProxy | undefined): Trust | undefined {
  if (trustProxy === undefined || trustProxy === false || trustProxy === 0) return undefined;
  if (typeof trustProxy === 'number') {
    if (!Number.isSafeInteger(trustProxy) || trustProxy < 0) {
      throw new TypeError('trustProxy must be the number of proxies in front of the server, e.g. 1');
    }
    return (_address, hop) => hop < trustProxy;
  }
  if (!Array.isArray(trustProxy) || trustProxy.length === 0) {
    throw new TypeError(
      'trustProxy must be a hop count (trustProxy: 1) or the proxies’ addresses (["10.0.0.0/8"]); ' +
        '`true` is refused because it would believe any X-Forwarded-For a client sends',
    );
  }
  const list = new BlockList();
  for (const entry of trustProxy) addTrusted(list, entry);
  return address => list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

function addTrusted(list: BlockList, entry: unknown): void {
  const [address = '', prefix, extra] = typeof entry === 'string' ? entry.split('/') : [];
  const family = isIP(address);
  const bits = prefix === undefined ? undefined : Number(prefix);
  const maxBits = family === 6 ? 128 : 32;
  if (
    family === 0 ||
    extra !== undefined ||
    (bits !== undefined && !(Number.isInteger(bits) && bits >= 0 && bits <= maxBits && prefix !== ''))
  ) {
    throw new TypeError(
      `trustProxy: ${JSON.stringify(entry)} is not an IP address or subnet; use e.g. "10.0.0.5" or "10.0.0.0/8"`,
    );
  }
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (bits === undefined) list.addAddress(address, type);
  else list.addSubnet(address, bits, type);
}

/**
 * Walks the chain from the TCP peer towards the client (X-Forwarded-For read right to left) and
 * stops at the first address not to trust. Only the entries appended by trusted hops are believed:
 * the client writes whatever it likes to the left of them. A hop that reports something that is
 * not an address is itself the last address known.
 */
function forwardedClient(request: IncomingMessage, trusted: Trust): string {
  let client = normalize(request.socket.remoteAddress) ?? 'unknown';
  const forwarded = forwardedFor(request);
  for (let hop = 0; hop < forwarded.length && trusted(client, hop); hop++) {
    const next = normalize(forwarded[forwarded.length - 1 - hop]);
    if (next === undefined) break;
    client = next;
  }
  return client;
}

function forwardedFor(request: IncomingMessage): string[] {
  const header = request.headers['x-forwarded-for'];
  // node:http joins repeated X-Forwarded-For headers with ", ", as RFC 9110 allows for lists.
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return value
    .split(',')
    .map(entry => entry.trim())
    .filter(entry => entry !== '');
}

/**
 * One spelling per address, so that limits count it once: IPv4-mapped IPv6 (`::ffff:1.2.3.4`, what
 * a dual-stack socket reports) as IPv4, and the ports some proxies append (`1.2.3.4:5678`,
 * `[::1]:80`) dropped. Undefined for anything that is not an address.
 */
function normalize(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let address = value.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed?.[1]) address = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'));
  const mapped = /^::ffff:([\d.]+)$/i.exec(address);
  if (mapped?.[1] && isIP(mapped[1]) === 4) address = mapped[1];
  return isIP(address) === 0 ? undefined : address;
}
