/** Bounded waits, message collectors, a capturing logger. */

import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@roomcast/protocol';

/** Polls `condition` every 20 ms, at most `timeoutMs`; throws naming `what` when it never holds. */
export async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; attempt < 5000 && Date.now() < deadline; attempt++) {
    if (await condition()) return;
    await sleep(20);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** A bus listener that keeps what it got and can wait for a count. */
export function collector() {
  const payloads: string[] = [];
  const channels: string[] = [];
  const listener = (payload: string, channel: string) => {
    payloads.push(payload);
    channels.push(channel);
  };
  return {
    listener,
    payloads,
    channels,
    wait: (count: number, what = `${count} messages`) => until(what, () => payloads.length >= count),
  };
}

export interface LogEntry {
  level: keyof Logger;
  message: string;
  fields: object;
}

/** A Logger that records every call, for asserting what was logged. */
export function capturingLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at =
    (level: keyof Logger) =>
    (objOrMsg: object | string, msg?: string): void => {
      if (typeof objOrMsg === 'string') entries.push({ level, message: objOrMsg, fields: {} });
      else entries.push({ level, message: msg ?? '', fields: objOrMsg });
    };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
