import { randomUUID } from 'node:crypto';
import type { Bus, Logger } from '@roomcast/protocol';
import type { NodeSnapshot } from './node-snapshot';

/** A node that answered, with its rates since the previous answer. */
export type ReachableNode = NodeSnapshot & {
  reachable: true;
  messagesInPerSec: number;
  messagesOutPerSec: number;
};
/** A node known to exist (it answered before, or holds room members) that did not answer in time. */
export interface UnreachableNode {
  nodeId: string;
  reachable: false;
  /** When it last answered or asked; null when only the room store names it. */
  lastSeen: number | null;
}
export type NodeView = ReachableNode | UnreachableNode;

export interface ClusterStatsDeps {
  bus: Bus;
  nodeId: string;
  timeoutMs: number;
  snapshot: () => NodeSnapshot;
  logger: Logger;
}

/** Dashboards' requests: every node with `admin` subscribes; replies go to the asker's channel. */
const REQUESTS = 'admin:stats';
const repliesTo = (nodeId: string) => `admin:stats:${nodeId}`;
/** A node silent this long is dropped from the list instead of shown unreachable forever. */
const FORGET_AFTER_MS = 10 * 60_000;

interface Pending {
  answers: Map<string, NodeSnapshot>;
  waitingFor: Set<string>;
  done: () => void;
}

/**
 * Cluster-wide node stats over the bus: a request to every node and a bounded wait for their
 * replies. The nodes it expects are the ones heard from before (replies, and other dashboards'
 * requests) and those the room store names; one that does not answer within `timeoutMs` is
 * reported unreachable rather than left out. Idle, it costs two bus subscriptions and nothing
 * else: no timer runs unless a dashboard asks.
 */
export class ClusterStats {
  readonly #deps: ClusterStatsDeps;
  readonly #lastSeen = new Map<string, number | null>();
  readonly #previous = new Map<string, { at: number; messagesIn: number; messagesOut: number }>();
  readonly #rates = new Map<string, { messagesInPerSec: number; messagesOutPerSec: number }>();
  readonly #pending = new Map<string, Pending>();
  readonly #onRequest = (payload: string) => this.#answer(payload);
  readonly #onReply = (payload: string) => this.#received(payload);

  constructor(deps: ClusterStatsDeps) {
    this.#deps = deps;
  }

  /** Subscribes, then asks once so the other nodes learn of this one and it of them. */
  async start(): Promise<void> {
    const { bus, nodeId } = this.#deps;
    await bus.subscribe(REQUESTS, this.#onRequest);
    await bus.subscribe(repliesTo(nodeId), this.#onReply);
    void bus.publish(REQUESTS, JSON.stringify({ id: 'hello', from: nodeId }));
  }

  /** Says goodbye first: a node that stops is gone, not unreachable. */
  async stop(): Promise<void> {
    for (const pending of this.#pending.values()) pending.done();
    const { bus, nodeId } = this.#deps;
    await bus.publish(REQUESTS, JSON.stringify({ bye: nodeId })).catch(() => {});
    await Promise.allSettled([
      bus.unsubscribe(REQUESTS, this.#onRequest),
      bus.unsubscribe(repliesTo(nodeId), this.#onReply),
    ]);
  }

  /** Every node expected, this one first; `alsoExpected`: node ids the room store names. */
  async collect(alsoExpected: Iterable<string> = []): Promise<NodeView[]> {
    const { bus, nodeId, timeoutMs } = this.#deps;
    const now = Date.now();
    for (const [id, seen] of this.#lastSeen)
      if (seen !== null && now - seen > FORGET_AFTER_MS) this.#forget(id);
    for (const id of alsoExpected) if (id !== nodeId && !this.#lastSeen.has(id)) this.#lastSeen.set(id, null);
    const id = randomUUID();
    const answers = new Map<string, NodeSnapshot>();
    const waitingFor = new Set([...this.#lastSeen.keys()].filter(other => other !== nodeId));
    await new Promise<void>(resolve => {
      const timer = setTimeout(() => pending.done(), timeoutMs);
      const pending: Pending = {
        answers,
        waitingFor,
        done: () => {
          clearTimeout(timer);
          this.#pending.delete(id);
          resolve();
        },
      };
      this.#pending.set(id, pending);
      if (waitingFor.size === 0) pending.done();
      void bus.publish(REQUESTS, JSON.stringify({ id, from: nodeId }));
    });
    const own = this.#withRates(this.#deps.snapshot());
    const others = [...new Set([...this.#lastSeen.keys(), ...answers.keys()])]
      .filter(other => other !== nodeId)
      .sort()
      .map((other): NodeView => {
        const answer = answers.get(other);
        return answer
          ? this.#withRates(answer)
          : { nodeId: other, reachable: false, lastSeen: this.#lastSeen.get(other) ?? null };
      });
    return [own, ...others];
  }

  #answer(payload: string): void {
    const request = parse(payload);
    const { bus, nodeId, snapshot } = this.#deps;
    if (typeof request?.bye === 'string') {
      this.#forget(request.bye);
      return;
    }
    if (!request || typeof request.from !== 'string' || request.from === nodeId) return;
    this.#lastSeen.set(request.from, Date.now());
    const reply = JSON.stringify({ id: request.id, snapshot: snapshot() });
    void bus.publish(repliesTo(request.from), reply);
  }

  #received(payload: string): void {
    const reply = parse(payload);
    const snapshot = reply?.snapshot as NodeSnapshot | undefined;
    if (typeof snapshot?.nodeId !== 'string' || snapshot.nodeId === this.#deps.nodeId) return;
    this.#lastSeen.set(snapshot.nodeId, Date.now());
    const pending = typeof reply?.id === 'string' ? this.#pending.get(reply.id) : undefined;
    if (!pending) return;
    pending.answers.set(snapshot.nodeId, snapshot);
    pending.waitingFor.delete(snapshot.nodeId);
    if (pending.waitingFor.size === 0) pending.done();
  }

  /** Rates from the previous answer of the same node; kept when two reads come close together. */
  #withRates(snapshot: NodeSnapshot): ReachableNode {
    const before = this.#previous.get(snapshot.nodeId);
    const seconds = before ? (snapshot.at - before.at) / 1000 : 0;
    if (!before || seconds >= 0.5) {
      if (before) {
        this.#rates.set(snapshot.nodeId, {
          messagesInPerSec: Math.max(0, (snapshot.messagesIn - before.messagesIn) / seconds),
          messagesOutPerSec: Math.max(0, (snapshot.messagesOut - before.messagesOut) / seconds),
        });
      }
      const { at, messagesIn, messagesOut } = snapshot;
      this.#previous.set(snapshot.nodeId, { at, messagesIn, messagesOut });
    }
    const rates = this.#rates.get(snapshot.nodeId) ?? { messagesInPerSec: 0, messagesOutPerSec: 0 };
    return { ...snapshot, reachable: true, ...rates };
  }

  #forget(nodeId: string): void {
    this.#lastSeen.delete(nodeId);
    this.#previous.delete(nodeId);
    this.#rates.delete(nodeId);
  }
}

function parse(payload: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(payload);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
