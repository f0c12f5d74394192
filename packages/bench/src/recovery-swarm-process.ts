/**
 * The restart scenario's clients: a child process of real `@roomcast/client` clients (the only
 * swarm that is not a bare protocol client, since what is measured is the client's own
 * reconnect: its jittered first delay, the next URL, the rejoin with `since`). Each client joins
 * one history room and notes the `seq` of every bench message it shows, and when it was back.
 */
import { createClient, type RoomcastClient } from 'roomcast/client';
import { WebSocket } from 'ws';
import { nowMs, within } from './clock';
import { serveRpc } from './rpc';

export interface RecoveryConnectArgs {
  /** Every client gets this list: it starts on the first and moves on after a lost connection. */
  urls: string[];
  rooms: string[];
  count: number;
  concurrency: number;
}

export interface RecoveryTally {
  /** Messages a client that was not told `recovered: false` never showed. */
  lost: number;
  /** Messages shown twice by one client that was never told `recovered: false`. */
  duplicates: number;
  /** The same, by the clients told `recovered: false` (their live copies have no offset to dedupe). */
  duplicatesNotRecovered: number;
  /** Clients told `recovered: false` (the app would reload): their gaps are not counted as lost. */
  notRecovered: number;
  errors: number;
}

interface Tracked {
  client: RoomcastClient;
  room: string;
  seqs: Set<number>;
  shown: number;
  /** Monotonic time of its last `reconnected`; 0: not reconnected since the last reset. */
  backAt: number;
  /** Monotonic time of its last `close`. */
  closedAt: number;
  notRecovered: boolean;
}

const CONNECT_TIMEOUT_MS = 60_000;
const tracked: Tracked[] = [];
let errors = 0;

function track(urls: string[], room: string): Tracked {
  const client = createClient({ url: urls, WebSocket: WebSocket as never, requestTimeoutMs: 30_000 });
  const entry: Tracked = {
    client,
    room,
    seqs: new Set(),
    shown: 0,
    backAt: 0,
    closedAt: 0,
    notRecovered: false,
  };
  client.on('bench', 'message', data => {
    entry.shown++;
    entry.seqs.add((data as { seq: number }).seq);
  });
  client.events.on('close', () => {
    entry.closedAt = nowMs();
  });
  client.events.on('reconnected', () => {
    entry.backAt = nowMs();
  });
  client.events.on('roomNotRecovered', () => {
    entry.notRecovered = true;
  });
  client.events.on('error', () => {
    errors++;
  });
  return entry;
}

async function connect({
  urls,
  rooms,
  count,
  concurrency,
}: RecoveryConnectArgs): Promise<{ elapsedMs: number }> {
  const started = nowMs();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const room = rooms[next++ % rooms.length] as string;
      const entry = track(urls, room);
      tracked.push(entry);
      await within('client connect', CONNECT_TIMEOUT_MS, entry.client.connect());
      await within('client join', CONNECT_TIMEOUT_MS, entry.client.joinRoom(room));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { elapsedMs: nowMs() - started };
}

serveRpc({
  connect,
  /**
   * Resolves once every client has reconnected (and rejoined its room) after `since`, the
   * moment the node was killed or told to stop: how long after it each one was back, and how
   * long after its own close (the client's part: its first delay, the dial, the rejoin).
   */
  waitRecovered: async ({ since, timeoutMs }: { since: number; timeoutMs: number }) => {
    const deadline = nowMs() + timeoutMs;
    while (tracked.some(entry => entry.backAt < since)) {
      if (nowMs() > deadline) {
        const missing = tracked.filter(entry => entry.backAt < since).length;
        throw new Error(`${missing} of ${tracked.length} clients not back after ${timeoutMs} ms`);
      }
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    return tracked.map(entry => ({
      afterStop: entry.backAt - since,
      afterClose: entry.backAt - entry.closedAt,
    }));
  },
  /** `perRoom`: how many messages were published into each room. */
  tally: ({ perRoom }: { perRoom: number }): RecoveryTally => {
    const tally: RecoveryTally = {
      lost: 0,
      duplicates: 0,
      duplicatesNotRecovered: 0,
      notRecovered: 0,
      errors,
    };
    for (const entry of tracked) {
      const twice = entry.shown - entry.seqs.size;
      if (entry.notRecovered) {
        tally.notRecovered++;
        tally.duplicatesNotRecovered += twice;
      } else {
        tally.lost += perRoom - entry.seqs.size;
        tally.duplicates += twice;
      }
    }
    return tally;
  },
  shown: () => tracked.reduce((sum, entry) => sum + entry.seqs.size, 0),
  closeAll: () => {
    for (const entry of tracked.splice(0)) entry.client.close();
  },
});
