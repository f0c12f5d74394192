import { createClient, isRoomcastError } from 'roomcast/client';
import type { Routes } from './routes';
import { type Pushes, ROOM } from './shared';

const client = createClient<Routes, Pushes>({ url: process.env.URL ?? 'ws://127.0.0.1:3000/ws' });
await client.connect();
await client.joinRoom(ROOM);

// `data` is typed from Pushes: { text, from, at }.
const received = new Promise<void>(resolve =>
  client.on('chat', 'message', data => {
    console.log(`${data.from}: ${data.text}`);
    resolve();
  }),
);
// The data is checked against the route's schema, here and again on the server.
const { at } = await client.request('chat', 'send', { text: 'hello', from: 'alice' });
console.log(`sent at ${at}`);
await received;

try {
  await client.request('chat', 'send', { text: '', from: 'alice' });
} catch (error) {
  if (!isRoomcastError(error)) throw error;
  console.log(`refused: ${error.code}`);
}
client.close();
