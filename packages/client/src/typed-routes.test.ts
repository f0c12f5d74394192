// Issue 19 point 5: typed routes held at the type level (`pnpm typecheck` checks every
// `@ts-expect-error` below: a call that should not compile and does fails the build).
import { type RoutesOf, route, WebSocketServer } from '@roomcast/server';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { RoomcastClient } from './index';

const routes = [
  route({
    type: 'event',
    action: 'add',
    // The client sends a string; the handler gets a Date.
    schema: z.object({ at: z.string().transform(text => new Date(text)), title: z.string() }),
    handler: (_ws, _clientId, data) => {
      expectTypeOf(data.at).toEqualTypeOf<Date>();
      return { id: 1, at: data.at.toISOString() };
    },
  }),
  route({ type: 'who', action: 'ami', handler: (_ws, clientId) => ({ clientId }) }),
  route({
    type: 'note',
    action: 'maybe',
    schema: z.object({ text: z.string() }).optional(),
    handler: () => true,
  }),
] as const;
type Routes = RoutesOf<typeof routes>;

/** Never called: its body is what the compiler checks. */
function calls(client: RoomcastClient<Routes>) {
  // The schema's input, not its output.
  void client.request('event', 'add', { at: '2026-12-01T00:00:00Z', title: 'launch' });
  // @ts-expect-error the output type (a Date) is not what a client sends
  void client.request('event', 'add', { at: new Date(), title: 'launch' });
  // @ts-expect-error data is required when the schema requires it
  void client.request('event', 'add');
  // @ts-expect-error nor does send() go without it
  client.send('event', 'add');
  // A route without a schema, or with an optional one, takes no data.
  void client.request('who', 'ami');
  void client.request('note', 'maybe');
  void client.request('note', 'maybe', { text: 'hi' }, { timeoutMs: 500 });
  // @ts-expect-error not a route of this server
  void client.request('who', 'nope');
  return client.request('event', 'add', { at: '2026-12-01T00:00:00Z', title: 'x' });
}

describe('typed routes', () => {
  it('type the client from the schema input and the handler response', () => {
    expectTypeOf(calls).returns.resolves.toEqualTypeOf<{ id: number; at: string }>();
  });

  it('accept a route list declared `as const` in new WebSocketServer({ routes })', () => {
    expectTypeOf(WebSocketServer).toBeConstructibleWith({ routes });
  });
});
