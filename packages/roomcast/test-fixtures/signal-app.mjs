// An app for web-application.test.ts: the default logger (pino on a pipe), signals handled, on
// 127.0.0.1 and a free port. The test stops it with SIGTERM and reads what it logged.
import { WebApplication } from '../dist/index.js';

const app = new WebApplication({ name: 'signal-app', webserver: { host: '127.0.0.1', port: 0 } });
await app.start();
