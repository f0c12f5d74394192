#!/usr/bin/env node
// Starts the chat: node src/main.js [--port 3000] [--host 127.0.0.1] [--workers N] [--redis redis://host:port]
import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { createChatApp } from './chat-app.js';

// `pnpm chat -- --port 4000` hands the script a literal `--` before the flags.
const args = process.argv.slice(2).filter(arg => arg !== '--');
const { values } = parseArgs({
  args,
  options: {
    port: { type: 'string', default: process.env.PORT ?? '3000' },
    host: { type: 'string', default: '127.0.0.1' },
    workers: { type: 'string' },
    redis: { type: 'string' },
  },
});
const workers = values.workers === undefined ? undefined : Number(values.workers);
if (workers !== undefined && workers > 1 && !values.redis) {
  console.warn('Several workers without --redis do not share rooms: add --redis redis://127.0.0.1:6379');
}
const app = createChatApp({ port: Number(values.port), host: values.host, workers, redis: values.redis });
try {
  await app.start();
  if (cluster.isPrimary) console.log(`Chat running at http://${values.host}:${app.webserver.port}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
