/**
 * The rows of scenario 8: how node A goes away. SIGKILL dies at once, as a lost machine does (no
 * drain is possible); `stop()` drains over the server's `drainMs` (undefined: its default).
 */
export const RESTART_CASES = [
  { label: 'SIGKILL', kill: true, drainMs: undefined },
  { label: 'stop(), drainMs: 0 (all at once)', kill: false, drainMs: 0 },
  { label: 'stop(), default drain (1 ms/client, ≤ 1 s)', kill: false, drainMs: undefined },
  { label: 'stop(), drainMs: 5000', kill: false, drainMs: 5_000 },
] as const satisfies readonly { label: string; kill: boolean; drainMs: number | undefined }[];

export type RestartCase = (typeof RESTART_CASES)[number];
export type RestartLabel = RestartCase['label'];
