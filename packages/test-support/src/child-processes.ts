import { fileURLToPath } from 'node:url';

/**
 * A `ws` client in its own process that answers pings while the test's process is busy.
 * `fork(PONG_CLIENT, [url])`; IPC out: `{ open: true }`, then `{ closed: code }`.
 */
export const PONG_CLIENT = fileURLToPath(new URL('./pong-client.mjs', import.meta.url));

/**
 * A Roomcast server in its own process, so a test can read its memory alone.
 * `fork(BROADCAST_NODE, [serverModuleUrl])`: the URL of the `@roomcast/server` build to run.
 */
export const BROADCAST_NODE = fileURLToPath(new URL('./broadcast-node.mjs', import.meta.url));
