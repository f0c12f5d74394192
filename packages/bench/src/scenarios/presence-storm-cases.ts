import type { PresenceOption } from 'roomcast';

/** The batch interval the storm's batched room uses. */
export const STORM_BATCH_MS = 200;

/** The rows of scenario 7: one room's presence setting each, first the one the target measures. */
export const PRESENCE_CASES = [
  {
    label: 'roomcast, presence: { batchMs: 200 }',
    presence: { batchMs: STORM_BATCH_MS },
    batchMs: STORM_BATCH_MS,
  },
  { label: "roomcast, presence: 'count'", presence: 'count', batchMs: 1_000 },
  { label: 'roomcast, no presence', presence: false, batchMs: 0 },
  { label: 'roomcast, presence: true', presence: true, batchMs: 0 },
] as const satisfies readonly { label: string; presence: PresenceOption; batchMs: number }[];

export type PresenceCase = (typeof PRESENCE_CASES)[number]['label'];
