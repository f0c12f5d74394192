#!/usr/bin/env node
// Starts the chat: node dist/main.js [--port 3000] [--host 127.0.0.1] [--workers N] [--redis redis://host:port]
import cluster from 'node:cluster';
import { createChatApp } from './chat-app';
import { parseCommandLine, USAGE } from './cli';

const parsed = parseCommandLine(process.argv.slice(2));
if ('help' in parsed) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if ('error' in parsed) {
  process.stderr.write(`${parsed.error}\n\n${USAGE}`);
  process.exit(2);
}
const { options } = parsed;
if ((options.workers ?? 1) > 1 && !options.redis) {
  console.warn('Several workers without --redis do not share rooms: add --redis redis://127.0.0.1:6379');
}
const app = createChatApp(options);
try {
  await app.start();
  if (cluster.isPrimary) console.log(`Chat running at http://${options.host}:${app.webserver.port}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
