/**
 * Real `ws` clients for cross-node tests. `TestClient` (records every frame, waits for one) and
 * `until` come from the server's and the redis package's test support, by path.
 */

import { TestClient, upgradeStatus } from '@roomcast/test-support/test-client';
import { afterEach } from 'vitest';

export { until } from '@roomcast/test-support/helpers';
export { TestClient };

export type Frame = TestClient['frames'][number];

export interface ConnectOptions {
  /** Sent as `?token=`. */
  token?: string;
  /** Sent as `Authorization: Bearer <bearer>`. */
  bearer?: string;
}

function target(url: string, { token, bearer }: ConnectOptions) {
  const withToken = token === undefined ? url : `${url}?token=${encodeURIComponent(token)}`;
  const headers = bearer === undefined ? {} : { Authorization: `Bearer ${bearer}` };
  return { url: withToken, options: { headers } };
}

/** Connects a client (with a token, if given) and resolves after `system.connected`. */
export function openClient(url: string, options: ConnectOptions = {}): Promise<TestClient> {
  const { url: full, options: wsOptions } = target(url, options);
  return TestClient.connect(full, wsOptions);
}

/** `openClient`, closing every client after each test. */
export function useClients(): typeof openClient {
  const open: TestClient[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map(client => client.close()));
  });
  return async (url, options) => {
    const client = await openClient(url, options);
    open.push(client);
    return client;
  };
}

/** The HTTP status of an upgrade the server refuses; rejects if the socket opens instead. */
export function refusedStatus(url: string, options: ConnectOptions = {}): Promise<number> {
  const { url: full, options: wsOptions } = target(url, options);
  return upgradeStatus(full, wsOptions);
}

/**
 * The `id` a test put in a frame's data, or in the message a recording subscriber reported
 * (`{ type: 'subscriber', data: { message } }`).
 */
export function frameId(frame: Frame): string | undefined {
  const data = frame.data as { id?: unknown; message?: { id?: unknown } } | null | undefined;
  const id = frame.type === 'subscriber' ? data?.message?.id : data?.id;
  return typeof id === 'string' ? id : undefined;
}
