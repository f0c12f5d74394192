// A cluster worker for cluster-primary.test.ts: listens, then exits with code 1 after
// LIVE_MS milliseconds (a crash loop when that is short).
import { createServer } from 'node:http';

const server = createServer((_request, response) => response.end('ok'));
server.listen(0, '127.0.0.1', () => {
  setTimeout(() => process.exit(1), Number(process.env.LIVE_MS ?? 50));
});
