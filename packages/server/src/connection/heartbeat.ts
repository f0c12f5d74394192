import { CloseCode, type Logger } from '@roomcast/protocol';
import type { WebSocket } from 'ws';
import type { HeartbeatOptions, InactiveClientsOptions } from '../options';
import type { ClientRegistry } from './client-registry';

/**
 * One timer for all clients (not one per socket): pings every `intervalMs` and terminates the
 * clients that did not answer within `timeoutMs` — half-open TCP connections never close alone.
 * Also closes clients silent for `inactiveTime` (4010). Timers are unref'd and stopped by `stop()`.
 * The last pong is kept on each client's record.
 */
export class Heartbeat {
  readonly #clients: ClientRegistry;
  readonly #logger: Logger;
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #onPong: (this: WebSocket) => void;
  #stopped = false;

  constructor(clients: ClientRegistry, logger: Logger) {
    this.#clients = clients;
    this.#logger = logger;
    // One listener for every socket (`this` is the socket), not a closure per connection.
    this.#onPong = function onPong(this: WebSocket) {
      const client = clients.ofSocket(this);
      if (client) client.lastPong = Date.now();
    };
  }

  /** Call for each new socket: pongs mark it alive. */
  track(ws: WebSocket): void {
    ws.on('pong', this.#onPong);
  }

  start(heartbeat: HeartbeatOptions | false, inactive: InactiveClientsOptions): void {
    this.#stopped = false;
    if (heartbeat) this.#every(heartbeat.intervalMs, () => this.#pingAll(heartbeat.timeoutMs));
    if (inactive.enabled) this.#every(inactive.intervalCheckTime, () => this.#closeInactive(inactive));
  }

  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers.splice(0)) clearTimeout(timer);
  }

  #pingAll(timeoutMs: number): void {
    const pingedAt = Date.now();
    for (const { ws } of this.#clients.connections()) ws.ping();
    const check = setTimeout(() => {
      this.#timers.splice(this.#timers.indexOf(check), 1);
      // Timers run before the poll phase: a pong that arrived while this process was busy past
      // the deadline is still unread. setImmediate runs after the poll, so such a pong counts and
      // a server that stalls does not blame its clients for it.
      setImmediate(() => this.#terminateSilent(pingedAt));
    }, timeoutMs);
    check.unref();
    this.#timers.push(check);
  }

  #terminateSilent(pingedAt: number): void {
    if (this.#stopped) return;
    for (const { ws, clientId, lastPong } of this.#clients.connections()) {
      if (lastPong < pingedAt) {
        this.#logger.info({ clientId }, 'no pong: terminating');
        ws.terminate();
      }
    }
  }

  #closeInactive(options: InactiveClientsOptions): void {
    const oldest = Date.now() - options.inactiveTime;
    for (const client of this.#clients.connections()) {
      if (client.lastActivity >= oldest) continue;
      if (options.log) this.#logger.info({ clientId: client.clientId }, 'disconnecting inactive client');
      client.ws.close(CloseCode.INACTIVE, 'inactive');
    }
  }

  #every(ms: number, run: () => void): void {
    const timer = setInterval(run, ms);
    timer.unref();
    this.#timers.push(timer);
  }
}
