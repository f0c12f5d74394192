// A server in its own process, so a test can read its memory without the clients' in the number.
// IPC in: { broadcast: { count, bytes, paced } }, { stop: true }. `paced` waits for every client
// to drain as it goes (a warm-up nobody must be closed in).
// IPC out: { url }, then per broadcast { done: { baselineRss, peakRss } }.
import { WebSocketServer } from '@roomcast/server';

const server = new WebSocketServer({ heartbeat: false, limits: { rateLimit: false } });
const { url } = await server.listen({ port: 0, host: '127.0.0.1' });
process.send({ url });

process.on('message', async message => {
  if (message.stop) {
    await server.stop({ timeoutMs: 500 });
    process.exit(0);
  }
  if (!message.broadcast) return;
  const { count, bytes, paced } = message.broadcast;
  globalThis.gc();
  const baselineRss = process.memoryUsage().rss;
  let peakRss = baselineRss;
  const text = 'x'.repeat(bytes);
  for (let i = 0; i < count; i++) {
    server.broadcastToAllClients({ data: { type: 'bulk', action: 'x', data: text } });
    // Yield now and then, as a server between events does, so sockets can drain.
    if (i % 5 === 0) {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      await new Promise(resolve => setImmediate(resolve));
      while (paced && backlog() > 256 * 1024) await new Promise(resolve => setTimeout(resolve, 5));
    }
  }
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  process.send({ done: { baselineRss, peakRss, dropped: server.getHealth().dropped } });
});
function backlog() {
  let most = 0;
  for (const { ws } of server.clientManager.getClients()) most = Math.max(most, ws.bufferedAmount);
  return most;
}

process.on('disconnect', () => process.exit(0));
