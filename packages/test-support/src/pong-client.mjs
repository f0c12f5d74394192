// A ws client in its own process: it answers pings (ws's autoPong) while the test's process, where
// the server runs, is busy. IPC out: { open: true }, then { closed: code }.
import { WebSocket } from 'ws';

const ws = new WebSocket(process.argv[2]);
ws.on('open', () => process.send({ open: true }));
ws.on('error', () => {});
ws.on('close', code => {
  process.send({ closed: code });
  process.exit(0);
});
process.on('disconnect', () => process.exit(0));
