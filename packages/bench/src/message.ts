import { nowMs } from './clock';

/** What every system broadcasts: the same object, so every frame carries the same bytes. */
export interface BenchMessage {
  type: 'bench';
  action: 'message';
  data: { seq: number; sentAt: number; text: string };
}

// Pads the serialized frame to about 100 bytes, the message size.
const TEXT = 'bench payload';

/** A message stamped with the monotonic clock, read back by the clients for latency. */
export function benchMessage(seq: number): BenchMessage {
  return { type: 'bench', action: 'message', data: { seq, sentAt: nowMs(), text: TEXT } };
}

/** The send timestamp of a received message, or undefined when it is not a bench message. */
export function sentAtOf(message: unknown): number | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const data = (message as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null) return undefined;
  const sentAt = (data as { sentAt?: unknown }).sentAt;
  return typeof sentAt === 'number' ? sentAt : undefined;
}
