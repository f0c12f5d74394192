// The chat's command line: flags, their checks and the usage text.
import { parseArgs } from 'node:util';

export const USAGE = `Usage: pnpm chat -- [options]

Options:
  --port <n>         HTTP and WebSocket port (default: $PORT or 3000; 0 picks a free one)
  --host <address>   address to bind (default: 127.0.0.1)
  --workers <n>      run n worker processes (node:cluster); more than one needs --redis
  --redis <url>      share rooms, presence and history through Redis (redis://host:port)
  --peers <urls>     other chat processes (http://host:port, comma-separated) that share the
                     Redis: a page whose process is gone reconnects to one of them
  -h, --help         print this and exit
`;

export interface ChatOptions {
  port: number;
  host: string;
  workers: number | undefined;
  redis: string | undefined;
  /** WebSocket URLs of the other processes, for the page's `url: [...]`. */
  peers: string[];
}

export type ParsedCommandLine = { help: true } | { error: string } | { options: ChatOptions };

/**
 * The options of `argv` (without node and the script), or `{ error }` with what to fix. A
 * literal `--` (as `pnpm chat -- --port 4000` hands it over) is skipped.
 */
export function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedCommandLine {
  const read = () =>
    parseArgs({
      args: argv.filter(arg => arg !== '--'),
      options: {
        port: { type: 'string', default: env.PORT ?? '3000' },
        host: { type: 'string', default: '127.0.0.1' },
        workers: { type: 'string' },
        redis: { type: 'string' },
        peers: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  let values: ReturnType<typeof read>;
  try {
    values = read();
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { help: true };
  const port = Number(values.port);
  if (!(Number.isInteger(port) && port >= 0 && port <= 65_535))
    return { error: `--port must be a port number (0-65535), got "${values.port}"` };
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1))
    return { error: `--workers must be a whole number of at least 1, got "${values.workers}"` };
  if (values.redis !== undefined && !/^rediss?:\/\//.test(values.redis))
    return { error: `--redis must be a redis:// or rediss:// URL, got "${values.redis}"` };
  const peers = (values.peers ?? '').split(',').filter(peer => peer !== '');
  const bad = peers.find(peer => !/^https?:\/\/[^/]+\/?$/.test(peer));
  if (bad !== undefined) return { error: `--peers takes http(s)://host:port addresses, got "${bad}"` };
  const wsUrls = peers.map(peer => `${peer.replace(/^http/, 'ws').replace(/\/$/, '')}/ws`);
  return { options: { port, host: values.host, workers, redis: values.redis, peers: wsUrls } };
}
