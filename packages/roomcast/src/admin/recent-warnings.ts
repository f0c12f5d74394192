import type { Logger } from '@roomcast/protocol';

export interface LogEntry {
  time: number;
  level: 'warn' | 'error';
  msg: string;
  /** The entry's fields as JSON, cut short; an error as its message only. */
  detail: string;
}

const KEPT = 50;
const DETAIL_CHARS = 300;

/**
 * The last warnings and errors of this node, for the dashboard. The app's logger is wrapped,
 * not replaced: every entry still goes where it went, and this keeps a bounded copy.
 */
export class RecentWarnings {
  readonly #entries: LogEntry[] = [];

  /** The logger to hand to the server and Redis: the same calls, warn and error also kept. */
  wrap(logger: Logger): Logger {
    const keep = (level: LogEntry['level']) => (objOrMsg: object | string, msg?: string) => {
      logger[level](objOrMsg, msg);
      this.#add(level, objOrMsg, msg);
    };
    return {
      debug: (objOrMsg, msg) => logger.debug(objOrMsg, msg),
      info: (objOrMsg, msg) => logger.info(objOrMsg, msg),
      warn: keep('warn'),
      error: keep('error'),
    };
  }

  list(): LogEntry[] {
    return [...this.#entries];
  }

  #add(level: LogEntry['level'], objOrMsg: object | string, msg: string | undefined): void {
    const text = typeof objOrMsg === 'string' ? objOrMsg : (msg ?? '');
    const detail = typeof objOrMsg === 'string' ? '' : describe(objOrMsg);
    this.#entries.push({ time: Date.now(), level, msg: text, detail });
    if (this.#entries.length > KEPT) this.#entries.shift();
  }
}

function describe(fields: object): string {
  try {
    const json = JSON.stringify(fields, (_key, value: unknown) =>
      value instanceof Error ? `${value.name}: ${value.message}` : value,
    );
    return json.length > DETAIL_CHARS ? `${json.slice(0, DETAIL_CHARS)}…` : json;
  } catch {
    return '';
  }
}
