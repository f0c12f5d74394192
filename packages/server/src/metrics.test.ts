import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TestClient } from '@roomcast/test-support/test-client';
import fc from 'fast-check';
import parsePrometheus, { type ParsedFamily, type ParsedSample } from 'parse-prometheus-text-format';
import { collectDefaultMetrics, type OpenMetricsContentType, Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toExposition } from './observability/exposition';
import type { WebSocketServerOptions } from './options';
import { WebSocketServer } from './server';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

/** A node id no exposition may print raw: a quote, a newline and a backslash. */
const NODE_ID = 'node "a"\nsecond line \\ end';
const SENDS = 5;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** A server attached to a node:http server that answers GET /metrics, as an app would. */
async function startServer(options: Pick<WebSocketServerOptions, 'authenticator'> = {}) {
  const server: WebSocketServer = new WebSocketServer({
    ...options,
    nodeId: NODE_ID,
    routes: [
      {
        type: 'chat',
        action: 'send',
        handler: async (_ws, _id, data) => {
          await server.broadcastToRoom({ roomName: 'r', data: { type: 'chat', action: 'message', data } });
          return { ok: true };
        },
      },
    ],
  });
  const http: Server = createServer((request, response) => {
    if (request.url !== '/metrics') return void response.writeHead(404).end();
    response.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
    response.end(server.metrics());
  });
  await server.attach(http, { path: '/ws' });
  await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve));
  cleanup.push(async () => {
    await server.stop({ timeoutMs: 1000 });
    await new Promise(resolve => http.close(resolve));
  });
  const { port } = http.address() as AddressInfo;
  const connect = async (query = '') => {
    const client = await TestClient.connect(`ws://127.0.0.1:${port}/ws${query}`);
    cleanup.push(async () => {
      await client.close();
    });
    return client;
  };
  const scrape = async () => {
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    return { type: response.headers.get('content-type'), text: await response.text() };
  };
  return { server, connect, scrape };
}

/** Two clients in room `r`; one sends SENDS messages, each broadcast to both. */
async function traffic(connect: () => Promise<TestClient>) {
  const [a, b] = [await connect(), await connect()];
  await a.request('system', 'joinRoom', { roomName: 'r' });
  await b.request('system', 'joinRoom', { roomName: 'r' });
  for (let i = 0; i < SENDS; i++) await a.request('chat', 'send', { text: `hi ${i}` });
  // Input a route label must never take: an unknown route and a frame that is not JSON.
  await a.request('evil"\nroute', 'x').catch(() => undefined);
  await a.request('chat', 'nope');
  a.ws.send('not json');
  await a.request('system', 'ping');
  await b.next(f => f.action === 'message' && (f.data as { text?: string }).text === `hi ${SENDS - 1}`);
}

function byName(families: ParsedFamily[]): Map<string, ParsedFamily> {
  const map = new Map<string, ParsedFamily>();
  for (const family of families) {
    expect(map.has(family.name), `family ${family.name} appears once`).toBe(false);
    map.set(family.name, family);
  }
  return map;
}

interface HistogramSeries {
  labels: Record<string, string>;
  buckets: [number, number][];
  sum: number;
  count: number;
}

/**
 * The histogram's series, read with the same parser. Its grouping of histograms (ported from an
 * old Python client) keeps only unlabelled ones, so the family's sample lines are parsed again
 * without their HELP and TYPE lines: then each `_bucket`, `_sum` and `_count` is a plain family
 * whose samples it parses (labels unescaped) like any other.
 */
function histogramSeries(text: string, name: string): HistogramSeries[] {
  const lines = text.split('\n').filter(line => /^[a-z_]+[{ ]/.test(line) && line.startsWith(name));
  // Untyped, a series' `_bucket` lines, `_sum` and `_count` are three families, repeated per series.
  const parsed = new Map<string, ParsedSample[]>();
  for (const family of parsePrometheus(`${lines.join('\n')}\n`))
    parsed.set(family.name, [...(parsed.get(family.name) ?? []), ...family.metrics]);
  const key = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).sort());
  const series = new Map<string, HistogramSeries>();
  for (const sample of parsed.get(`${name}_count`) ?? []) {
    const labels = sample.labels ?? {};
    series.set(key(labels), { labels, buckets: [], sum: Number.NaN, count: Number(sample.value) });
  }
  for (const sample of parsed.get(`${name}_sum`) ?? []) {
    const entry = series.get(key(sample.labels ?? {}));
    if (entry) entry.sum = Number(sample.value);
  }
  for (const sample of parsed.get(`${name}_bucket`) ?? []) {
    const { le, ...labels } = sample.labels ?? {};
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    series.get(key(labels))?.buckets.push([bound, Number(sample.value)]);
  }
  return [...series.values()];
}

function expectWellFormedHistogram(series: HistogramSeries[]): void {
  expect(series.length).toBeGreaterThan(0);
  for (const { buckets, count, sum } of series) {
    const bounds = buckets.map(([le]) => le);
    expect(bounds).toEqual([...bounds].sort((x, y) => x - y));
    expect(bounds.at(-1)).toBe(Number.POSITIVE_INFINITY);
    const counts = buckets.map(([, value]) => value);
    expect(counts, 'cumulative').toEqual([...counts].sort((x, y) => x - y));
    expect(buckets.at(-1)?.[1]).toBe(count);
    expect(Number.isFinite(sum) && sum >= 0).toBe(true);
  }
}

describe('Prometheus exposition', () => {
  it('parses with a real parser: a node id with a quote and a newline round-trips exactly', async () => {
    const { connect, scrape } = await startServer();
    await traffic(connect);
    const { type, text } = await scrape();
    expect(type).toBe('text/plain; version=0.0.4; charset=utf-8');
    const families = byName(parsePrometheus(text));

    const expected: Record<string, ParsedFamily['type']> = {
      roomcast_connections_open: 'GAUGE',
      roomcast_rooms: 'GAUGE',
      roomcast_bus_connected: 'GAUGE',
      roomcast_uptime_seconds: 'GAUGE',
      roomcast_connections_total: 'COUNTER',
      roomcast_upgrades_rejected_total: 'COUNTER',
      roomcast_messages_in_total: 'COUNTER',
      roomcast_messages_out_total: 'COUNTER',
      roomcast_messages_dropped_total: 'COUNTER',
      roomcast_rate_limited_total: 'COUNTER',
      roomcast_slow_consumers_closed_total: 'COUNTER',
      roomcast_bus_malformed_total: 'COUNTER',
      roomcast_handler_duration_seconds: 'HISTOGRAM',
      roomcast_broadcast_fanout_duration_seconds: 'HISTOGRAM',
      process_cpu_user_seconds_total: 'COUNTER',
      process_cpu_system_seconds_total: 'COUNTER',
      process_cpu_seconds_total: 'COUNTER',
      process_start_time_seconds: 'GAUGE',
      process_resident_memory_bytes: 'GAUGE',
      process_open_fds: 'GAUGE',
      nodejs_heap_size_total_bytes: 'GAUGE',
      nodejs_heap_size_used_bytes: 'GAUGE',
      nodejs_external_memory_bytes: 'GAUGE',
      nodejs_eventloop_active_seconds_total: 'COUNTER',
    };
    expect(Object.fromEntries([...families.values()].map(f => [f.name, f.type]))).toEqual(expected);
    for (const family of families.values()) {
      expect(family.help.length, `${family.name} has HELP`).toBeGreaterThan(0);
      // A counter's OpenMetrics family is its name without `_total`: no gauge may take it.
      if (family.type === 'COUNTER') expect(families.has(family.name.replace(/_total$/, ''))).toBe(false);
      if (family.name.startsWith('roomcast_') && family.type !== 'HISTOGRAM')
        for (const sample of family.metrics) expect(sample.labels).toEqual({ node: NODE_ID });
    }
    const value = (name: string) => Number(families.get(name)?.metrics[0]?.value);
    expect(value('roomcast_connections_open')).toBe(2);
    expect(value('roomcast_connections_total')).toBe(2);
    expect(value('roomcast_rooms')).toBe(1);
    expect(value('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(value('process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(value('process_open_fds')).toBeGreaterThan(0);
    expect(value('nodejs_eventloop_active_seconds_total')).toBeGreaterThan(0);

    const handlers = histogramSeries(text, 'roomcast_handler_duration_seconds');
    expectWellFormedHistogram(handlers);
    const count = Object.fromEntries(handlers.map(s => [s.labels.route, s.count]));
    // Declared routes only: the unknown route and the unreadable frame are not labels.
    expect(count).toEqual({ 'system.joinRoom': 2, 'chat.send': SENDS, 'system.ping': 1 });
    for (const series of handlers) expect(series.labels.node).toBe(NODE_ID);

    const fanout = histogramSeries(text, 'roomcast_broadcast_fanout_duration_seconds');
    expectWellFormedHistogram(fanout);
    const fanoutCount = Object.fromEntries(fanout.map(s => [s.labels.target, s.count]));
    expect(fanoutCount).toEqual({ all: 0, room: SENDS, users: 0, clients: 0 });
  });

  it('times a fan-out that reached a client here, and not one that reached none', async () => {
    const { server, connect, scrape } = await startServer();
    const client = await connect();
    await client.request('system', 'joinRoom', { roomName: 'r' });
    const push = { type: 'news', action: 'item', data: 1 };
    server.broadcastToAllClients({ data: push });
    server.broadcastToClients([client.clientId], push);
    server.broadcastToClients(['no-such-client'], push);
    server.broadcastToUsers({ userIds: ['nobody'], data: push });
    await server.broadcastToRoom({ roomName: 'empty', data: push });
    await vi.waitFor(() => expect(client.received('news', 'item')).toHaveLength(2));
    const fanout = histogramSeries((await scrape()).text, 'roomcast_broadcast_fanout_duration_seconds');
    expectWellFormedHistogram(fanout);
    const fanoutCount = Object.fromEntries(fanout.map(s => [s.labels.target, s.count]));
    expect(fanoutCount).toEqual({ all: 1, room: 0, users: 0, clients: 1 });
  });

  it('times a fan-out to users once it reached one of their clients here', async () => {
    // Each token is its user's id: the user index is what is under test, not the auth.
    const authenticator = {
      required: false,
      loginTimeoutMs: 0,
      verify: async (token: string) => ({ userId: token, payload: {} }),
    };
    const { server, connect, scrape } = await startServer({ authenticator });
    const client = await connect('?token=u1');
    const push = { type: 'news', action: 'item', data: 1 };
    server.broadcastToUsers({ userIds: ['u1', 'nobody'], data: push });
    await vi.waitFor(() => expect(client.received('news', 'item')).toHaveLength(1));
    const fanout = histogramSeries((await scrape()).text, 'roomcast_broadcast_fanout_duration_seconds');
    const fanoutCount = Object.fromEntries(fanout.map(s => [s.labels.target, s.count]));
    expect(fanoutCount).toEqual({ all: 0, room: 0, users: 1, clients: 0 });
  });

  it("goes into an app's prom-client Registry beside its default metrics", async () => {
    const { server, connect } = await startServer();
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const unregister = server.registerMetrics(registry);
    await traffic(connect);

    const families = byName(parsePrometheus(await registry.metrics()));
    expect(families.get('roomcast_connections_open')?.metrics).toEqual([
      { value: '2', labels: { node: NODE_ID } },
    ]);
    expect(families.get('roomcast_handler_duration_seconds')?.type).toBe('HISTOGRAM');
    expect(families.get('process_cpu_seconds_total')?.type).toBe('COUNTER');
    const handlers = histogramSeries(await registry.metrics(), 'roomcast_handler_duration_seconds');
    expectWellFormedHistogram(handlers);
    expect(handlers.find(s => s.labels.route === 'chat.send')?.count).toBe(SENDS);
    // Each scrape reads afresh (a scrape's families share one reading, never the last scrape's).
    await connect();
    const later = byName(parsePrometheus(await registry.metrics()));
    expect(later.get('roomcast_connections_open')?.metrics[0]?.value).toBe('3');

    // OpenMetrics: prom-client names counters itself; ours must not come out as `_total_total`.
    const openMetrics = new Registry<OpenMetricsContentType>();
    openMetrics.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    server.registerMetrics(openMetrics);
    const open = await openMetrics.metrics();
    expect(open).toMatch(/^roomcast_connections_total\{node="node \\"a\\"\\nsecond line \\\\ end"\} 3$/m);
    expect(open).not.toContain('_total_total');

    unregister();
    expect(registry.getSingleMetric('roomcast_connections_open')).toBeUndefined();
    expect(registry.getSingleMetric('process_cpu_seconds_total')).toBeDefined();
  });

  it('refuses a name the registry has, and leaves none of its own behind', async () => {
    const { server } = await startServer();
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    expect(() => server.registerMetrics(registry, { processMetrics: true })).toThrow(
      /already been registered/,
    );
    expect(registry.getSingleMetric('roomcast_connections_open')).toBeUndefined();
    const own = new Registry();
    server.registerMetrics(own, { processMetrics: true });
    expect(byName(parsePrometheus(await own.metrics())).get('process_open_fds')?.type).toBe('GAUGE');
  });
});

describe('escaping, read back by the parser', () => {
  it('any label value and HELP text round-trip exactly', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (value, help) => {
        const text = toExposition([
          {
            name: 'x_total',
            type: 'counter',
            // HELP is read to the end of its line, so the parser keeps no trailing spaces there.
            help: `${help}.`,
            collect: () => [{ metricName: 'x_total', labels: { node: value }, value: 1 }],
          },
        ]);
        const [family] = parsePrometheus(text);
        expect(family?.help).toBe(`${help}.`);
        expect(family?.metrics).toEqual([{ value: '1', labels: { node: value } }]);
      }),
      { numRuns: 200 },
    );
  });
});
