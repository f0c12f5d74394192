import { createEmitter } from 'roomcast';
import { APP_NAME, type Pushes } from './pushes';

// A job worker (a queue consumer, a cron job): no sockets and no server, only Redis. It publishes
// on the wire the app's nodes listen on; each node delivers to its members of the room.
const emitter = createEmitter<Pushes>({
  connection: { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
  appName: APP_NAME,
});
const reportId = Number(process.env.REPORT_ID ?? 1);
// ... the job's work would run here ...
await emitter.broadcastToRoom({
  roomName: `reports:${reportId}`,
  data: { type: 'report', action: 'ready', data: { reportId, url: `/reports/${reportId}.pdf` } },
});
console.log(`report ${reportId} published`);
await emitter.close();
