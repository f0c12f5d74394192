import type { Logger } from '@roomcast/protocol';
import { vi } from 'vitest';
import { SubscriberDispatcher, type SubscriberServer } from '../src/index';

/**
 * A stand-in for the server's node-local broadcaster: subscribers are judged by the calls they
 * make on it, and this package must not import the server.
 */
export function fakeServer() {
  const calls: { method: keyof SubscriberServer; options: unknown }[] = [];
  const record = (method: keyof SubscriberServer) =>
    vi.fn((options: unknown) => {
      calls.push({ method, options });
    });
  return {
    calls,
    sendMessageToAll: record('sendMessageToAll'),
    sendCustomMessage: record('sendCustomMessage'),
    broadcastToAllClients: record('broadcastToAllClients'),
    broadcastToRoom: record('broadcastToRoom'),
    broadcastToUsers: record('broadcastToUsers'),
    broadcastToClient: record('broadcastToClient'),
  } satisfies SubscriberServer & { calls: unknown[] };
}

export interface LogLine {
  level: keyof Logger;
  fields: Record<string, unknown>;
  msg: string;
}

export function recordingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log =
    (level: keyof Logger) =>
    (objOrMsg: object | string, msg?: string): void => {
      if (typeof objOrMsg === 'string') lines.push({ level, fields: {}, msg: objOrMsg });
      else lines.push({ level, fields: objOrMsg as Record<string, unknown>, msg: msg ?? '' });
    };
  return {
    lines,
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
  };
}

/** A dispatcher wired to a fake server and a recording logger, plus extra context keys. */
export function setup(context: Record<string, unknown> = {}) {
  const server = fakeServer();
  const { logger, lines } = recordingLogger();
  const dispatcher = new SubscriberDispatcher({ logger, context: { webSocketServer: server, ...context } });
  const errors = () => lines.filter(line => line.level === 'error');
  return { server, logger, lines, errors, dispatcher };
}
