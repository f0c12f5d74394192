/**
 * Test support for room streams (issue 15): raw `ws` clients that follow one history room and
 * record every frame, and a checker that reads a client's frames the way a careful app would and
 * lists every promise of SPEC section 4 that was broken.
 *
 *   const watcher = await follow(connect(node.url), 'r');   joined; every join is remembered
 *   const report = check(watcher);                         { violations, ids, durable, live, notices, ... }
 *   await rejoin(watcher);                                 `{ since, epoch }` from where it stands
 *   expect(report.violations, explain(watcher)).toEqual([]);
 */
import { type Frame, type TestClient, until } from './clients';
import { MESSAGE } from './stream-traffic';

export interface JoinReply {
  success: true;
  offset: number;
  epoch: string;
  recovered?: boolean;
}

/** A client in one room, with the frame index at which each of its joins was sent. */
export interface RoomWatcher {
  readonly client: TestClient;
  readonly room: string;
  /** `frames.length` when a join was sent, and that join's options. */
  readonly joins: { at: number; since?: number; epoch?: string }[];
}

/** Joins `room` (optionally `{ since, epoch }` or `rewind`) and resolves with the reply. */
export async function join(
  watcher: RoomWatcher,
  options: { since?: number; epoch?: string; rewind?: number } = {},
): Promise<JoinReply> {
  const { since, epoch } = options;
  watcher.joins.push({ at: watcher.client.frames.length, ...(since !== undefined && { since, epoch }) });
  const reply = await watcher.client.request('system', 'joinRoom', { roomName: watcher.room, ...options });
  if (!reply.response) throw new Error(`join refused: ${JSON.stringify(reply)}`);
  return reply.response as JoinReply;
}

/** A connected client joined to `room`. */
export async function follow(client: Promise<TestClient>, room: string): Promise<RoomWatcher> {
  const watcher: RoomWatcher = { client: await client, room, joins: [] };
  await join(watcher);
  return watcher;
}

/** Rejoins with `{ since, epoch }` from where the client stands (its last offset or notice). */
export function rejoin(watcher: RoomWatcher): Promise<JoinReply> {
  const { position, epoch } = check(watcher);
  return join(watcher, { since: position, epoch });
}

export interface Notice {
  /** `roomNotRecovered`, or a `since` join answered `recovered: false`. */
  kind: 'roomNotRecovered' | 'recoveredFalse';
  /** Where exact delivery resumes: the next message has offset + 1. */
  offset: number;
  epoch: string;
  /** The offset the client stood at before: offsets in (before, offset] may be missing. */
  before: number | undefined;
  /** The offset of the first durable message after the notice, once one came. */
  firstAfter?: number;
  /** How many durable messages came before the notice (`durable.slice(at)` came after it). */
  at: number;
}

export interface StreamReport {
  /** Every broken promise, in words; empty when the client's view is sound. */
  violations: string[];
  /** Every message id in arrival order (durable and live). */
  ids: string[];
  /** Durable messages: id and offset, in arrival order. */
  durable: { id: string; offset: number }[];
  /** Ids of messages delivered live, without an offset. */
  live: string[];
  /** Offsets jumped over without a notice (each gap's offsets). */
  skipped: number[];
  interrupted: number;
  notices: Notice[];
  /** The last offset the client stands at (for a `since` rejoin) and its epoch. */
  position: number;
  epoch: string;
}

const isJoinReply = (frame: Frame, room: string) => {
  const response = frame.response as Partial<JoinReply> & { roomName?: string };
  return typeof response === 'object' && response?.roomName === room && typeof response.offset === 'number';
};
const systemFor = (frame: Frame, room: string, action: string) =>
  frame.type === 'system' &&
  frame.action === action &&
  (frame.data as { roomName?: string })?.roomName === room;

/**
 * Reads a client's frames for its room as an app would, and checks the promise of SPEC section 4:
 * durable messages arrive with offsets that go up by exactly one from the join's (or a notice's)
 * position; none arrives twice (by id, live or durable); live messages (no offset) come only after
 * `roomInterrupted`; a `since` join answered `recovered: true` replays exactly since+1.. in order.
 * Frames between a join request and its reply belong to that join (tests rejoin when traffic is
 * quiet, so nothing sent before the join is handled lands there).
 */
export function check({ client, room, joins }: RoomWatcher): StreamReport {
  const report: StreamReport = {
    violations: [],
    ids: [],
    durable: [],
    live: [],
    skipped: [],
    interrupted: 0,
    notices: [],
    position: 0,
    epoch: '',
  };
  const seen = new Set<string>();
  let position: number | undefined;
  let interrupted = false;
  let joinIndex = 0;
  let pendingJoin: { since?: number; epoch?: string; held: { id: string; offset?: number }[] } | undefined;

  const take = (id: string, offset: number | undefined, where: string) => {
    if (seen.has(id)) report.violations.push(`${id} arrived twice (${where}, offset ${offset ?? 'none'})`);
    seen.add(id);
    report.ids.push(id);
    if (offset === undefined) {
      report.live.push(id);
      if (!interrupted) report.violations.push(`${id} arrived without an offset before any roomInterrupted`);
      return;
    }
    report.durable.push({ id, offset });
    const notice = report.notices.at(-1);
    if (notice && notice.firstAfter === undefined) notice.firstAfter = offset;
    if (position === undefined)
      report.violations.push(`${id} (offset ${offset}) arrived before the join reply`);
    else if (offset !== position + 1) {
      report.violations.push(`${id} has offset ${offset} after ${position} (${where}): a gap or a step back`);
      for (let skipped = position + 1; skipped < offset; skipped++) report.skipped.push(skipped);
    }
    position = offset;
  };

  client.frames.forEach((frame, index) => {
    while (joinIndex < joins.length && joins[joinIndex]!.at === index) {
      const { since, epoch } = joins[joinIndex++]!;
      pendingJoin = { ...(since !== undefined && { since, epoch }), held: [] };
    }
    if (frame.type === MESSAGE.type && frame.action === MESSAGE.action && frame.room === room) {
      const id = String((frame.data as { id?: unknown })?.id);
      const offset = typeof frame.offset === 'number' ? frame.offset : undefined;
      if (pendingJoin) pendingJoin.held.push({ id, ...(offset !== undefined && { offset }) });
      else take(id, offset, 'live stream');
    } else if (isJoinReply(frame, room) && pendingJoin) {
      const reply = frame.response as JoinReply;
      const before = position;
      if (pendingJoin.since !== undefined && reply.recovered === true) {
        if (pendingJoin.epoch !== undefined && reply.epoch !== pendingJoin.epoch)
          report.violations.push(
            `recovered: true under epoch ${reply.epoch}, asked for ${pendingJoin.epoch}`,
          );
        position = pendingJoin.since;
      } else {
        if (pendingJoin.since !== undefined)
          report.notices.push({
            kind: 'recoveredFalse',
            offset: reply.offset,
            epoch: reply.epoch,
            before,
            at: report.durable.length,
          });
        position = reply.offset;
        interrupted = false;
      }
      report.epoch = reply.epoch;
      for (const { id, offset } of pendingJoin.held) take(id, offset, 'join');
      pendingJoin = undefined;
    } else if (systemFor(frame, room, 'roomInterrupted')) {
      report.interrupted++;
      interrupted = true;
    } else if (systemFor(frame, room, 'roomNotRecovered')) {
      const { offset, epoch } = frame.data as { offset: number; epoch: string };
      report.notices.push({
        kind: 'roomNotRecovered',
        offset,
        epoch,
        before: position,
        at: report.durable.length,
      });
      position = offset;
      report.epoch = epoch;
      interrupted = false;
    }
  });
  if (pendingJoin) report.violations.push('a join got no reply');
  report.position = position ?? 0;
  return report;
}

/**
 * What the offsets a client jumped over held (from the stream, or from the other clients), and
 * whether the client had that message live: evidence for a failure message.
 */
export function describeSkipped(report: StreamReport, idAt: Map<number, string>): string[] {
  const live = new Set(report.live);
  return report.skipped.map(offset => {
    const id = idAt.get(offset);
    return `offset ${offset} = ${id ?? 'unknown'}${id === undefined ? '' : live.has(id) ? ' (this client had it live)' : ' (never reached this client)'}`;
  });
}

/** Offsets a notice (or `recovered: false`) covered: where a message may be missing. */
export function announcedGap(report: StreamReport, offset: number, epoch: string): boolean {
  return report.notices.some(
    notice =>
      notice.epoch === epoch &&
      offset <= notice.offset &&
      (notice.before === undefined || offset > notice.before),
  );
}

/** A compact line per room frame of a client (for failure messages): `id@offset`, `live id`, notices, replies. */
export function timeline({ client, room }: RoomWatcher): string[] {
  return client.frames.flatMap(frame => {
    if (frame.type === MESSAGE.type && frame.room === room) {
      const id = String((frame.data as { id?: unknown })?.id);
      return [typeof frame.offset === 'number' ? `${id}@${frame.offset}` : `live ${id}`];
    }
    if (isJoinReply(frame, room)) {
      const { offset, epoch, recovered } = frame.response as JoinReply;
      return [
        `reply offset ${offset} epoch ${epoch}${recovered === undefined ? '' : ` recovered ${recovered}`}`,
      ];
    }
    if (systemFor(frame, room, 'roomInterrupted')) return ['roomInterrupted'];
    if (systemFor(frame, room, 'roomNotRecovered')) {
      const { offset, epoch } = frame.data as { offset: number; epoch: string };
      return [`roomNotRecovered offset ${offset} epoch ${epoch}`];
    }
    return [];
  });
}

/** A watcher's timeline for a failure message: from 15 lines before its first notice, 200 lines. */
export function explain(watcher: RoomWatcher): string {
  const lines = timeline(watcher);
  const first = lines.findIndex(line => line.startsWith('room'));
  const from = Math.max(0, (first === -1 ? lines.length : first) - 15);
  return `client ${watcher.client.clientId}, from line ${from}:\n  ${lines.slice(from, from + 200).join('\n  ')}`;
}

/** `until(what, condition)` whose timeout error shows every watcher's timeline. */
export async function untilWatchers(
  what: string,
  watchers: RoomWatcher[],
  condition: () => boolean | Promise<boolean>,
  timeoutMs?: number,
) {
  try {
    await until(what, condition, timeoutMs);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${watchers.map(explain).join('\n')}`);
  }
}
