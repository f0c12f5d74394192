import { type Logger, silentLogger } from '@roomcast/protocol';
import { pino } from 'pino';

/**
 * The app's logger: the caller's, or pino at info. Tests stay quiet (NODE_ENV=test) because a
 * test run full of request logs hides the one line that explains a failure.
 */
export function createAppLogger(name: string, option: Logger | false | undefined): Logger {
  if (option === false) return silentLogger;
  if (option !== undefined) return option;
  if (process.env['NODE_ENV'] === 'test') return silentLogger;
  return pino({ name, level: process.env['LOG_LEVEL'] ?? 'info' });
}
