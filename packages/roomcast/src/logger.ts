import { type Logger, silentLogger } from '@roomcast/protocol';
import { destination, pino } from 'pino';

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/**
 * The app's logger: the caller's, or pino at info (`LOG_LEVEL` to change it). JSON lines for log
 * collectors; on a terminal, one readable line per entry instead. Tests stay quiet
 * (NODE_ENV=test) because a test run full of request logs hides the line that explains a failure.
 */
export function createAppLogger(name: string, option: Logger | false | undefined): Logger {
  if (option === false) return silentLogger;
  if (option !== undefined) return option;
  if (process.env['NODE_ENV'] === 'test') return silentLogger;
  const options = { name, level: process.env['LOG_LEVEL'] ?? 'info' };
  // Synchronous writes: an app logs little at info, and pino's default asynchronous stdout loses
  // the last lines ("stopped") when a handled signal ends the process right after stop().
  return process.stdout.isTTY
    ? pino(options, { write: line => process.stdout.write(pretty(line)) })
    : pino(options, destination({ dest: 1, sync: true }));
}

/** `12:00:01 INFO  chat: listening {"port":3000}` from one pino JSON line. */
export function pretty(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { level, time, name, msg, pid: _pid, hostname: _hostname, ...fields } = entry;
  const clock = new Date(typeof time === 'number' ? time : Date.now()).toTimeString().slice(0, 8);
  const label = (LEVELS[level as number] ?? String(level)).padEnd(5);
  const rest = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
  return `${clock} ${label} ${String(name ?? '')}: ${String(msg ?? '')}${rest}\n`;
}
