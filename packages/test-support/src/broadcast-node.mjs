// A server in its own process, so a test can read its memory without the clients' in the number.
// IPC in: { broadcast: { count, bytes, pace } }, { stop: true }. Every 5 broadcasts it yields, then
// waits until every client (`pace: 'every'`, a warm-up nobody must be closed in) or the fastest
// one (`pace: 'fastest'`: a stalled client does not hold the others back) has drained.
// IPC out: { url }, then per broadcast { done: { baselineRss, peakRss } }.
// argv[2]: the URL of the @roomcast/server module to run (this package does not depend on it).
const { WebSocketServer } = await import(process.argv[2]);

const server = new WebSocketServer({ heartbeat: false, limits: { rateLimit: false } });
const { url } = await server.listen({ port: 0, host: '127.0.0.1' });
process.send({ url });

process.on('message', async message => {
  if (message.stop) {
    await server.stop({ timeoutMs: 500 });
    process.exit(0);
  }
  if (!message.broadcast) return;
  const { count, bytes, pace } = message.broadcast;
  globalThis.gc();
  const baselineRss = process.memoryUsage().rss;
  let peakRss = baselineRss;
  const text = 'x'.repeat(bytes);
  for (let i = 0; i < count; i++) {
    server.broadcastToAllClients({ data: { type: 'bulk', action: 'x', data: text } });
    if (i % 5 === 0) {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      await new Promise(resolve => setImmediate(resolve));
      await drained(pace);
    }
  }
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  process.send({ done: { baselineRss, peakRss, dropped: server.getHealth().dropped } });
});

async function drained(pace) {
  const since = Date.now();
  while (backlog(pace) > 256 * 1024) {
    await new Promise(resolve => setTimeout(resolve, 5));
    // A socket that never drains is a bug worth seeing in the test's output, not just a timeout.
    if (Date.now() - since > 10_000) {
      process.stderr.write(`broadcast-node: a client has not drained in 10 s: ${socketStates()}\n`);
      return;
    }
  }
}

function backlog(pace) {
  const open = [...server.clientManager.getClients()]
    .filter(({ ws }) => ws.readyState === ws.OPEN)
    .map(({ ws }) => ws.bufferedAmount);
  if (open.length === 0) return 0;
  return pace === 'every' ? Math.max(...open) : Math.min(...open);
}

function socketStates() {
  const states = [...server.clientManager.getClients()].map(({ ws }) => {
    const state = ws._socket._writableState;
    return { bufferedAmount: ws.bufferedAmount, corked: state.corked, writing: state.writing };
  });
  return JSON.stringify(states);
}

process.on('disconnect', () => process.exit(0));
