import type { SystemName } from '../systems';

export const WRITE_DELAY_SCENARIO = 'write delay: one broadcast per ms';
/** The delay the targets are set for. */
export const TARGET_DELAY_MS = 10;

/**
 * The rows of the write-delay scenario: Roomcast at each `writeDelayMs` the issue names, first the
 * one the targets measure (the tables divide the first row by each other), then the baselines.
 */
export const WRITE_DELAY_CASES = [
  { label: 'roomcast, writeDelayMs: 10', system: 'roomcast', writeDelayMs: TARGET_DELAY_MS },
  { label: 'roomcast, writeDelayMs: 2', system: 'roomcast', writeDelayMs: 2 },
  { label: 'roomcast, writeDelayMs: 0', system: 'roomcast', writeDelayMs: 0 },
  { label: 'ws-preframed', system: 'ws-preframed' },
  { label: 'ws', system: 'ws' },
  { label: 'socket.io', system: 'socket.io' },
] as const satisfies readonly { label: string; system: SystemName; writeDelayMs?: number }[];

/** The Roomcast rows' labels (the baselines' labels are their system names). */
export type WriteDelayCase = Extract<(typeof WRITE_DELAY_CASES)[number], { writeDelayMs: number }>['label'];
