import type { Logger } from '@roomcast/protocol';

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  msg: string;
}

/** A real Logger that keeps every line, so a test can assert what was (and was not) logged. */
export function recordingLogger(): {
  logger: Logger;
  lines: LogLine[];
  onLine: (listener: (line: LogLine) => void) => void;
} {
  const lines: LogLine[] = [];
  const listeners: ((line: LogLine) => void)[] = [];
  const at =
    (level: LogLine['level']) =>
    (objOrMsg: object | string, msg?: string): void => {
      const line: LogLine =
        typeof objOrMsg === 'string'
          ? { level, fields: {}, msg: objOrMsg }
          : { level, fields: objOrMsg as Record<string, unknown>, msg: msg ?? '' };
      lines.push(line);
      for (const listener of listeners) listener(line);
    };
  return {
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    lines,
    onLine: listener => listeners.push(listener),
  };
}
