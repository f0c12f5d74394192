// Issue 19 point 5: `new WebApplication<Pushes>()` types `app.websocket.server`'s broadcasts by
// the app's PushMap (`pnpm typecheck` checks every `@ts-expect-error`); without one, any frame.
import { describe, expectTypeOf, it } from 'vitest';
import { WebApplication } from './web-application';

type Pushes = { news: { item: { title: string } } };

/** Never called: its body is what the compiler checks. */
function typed(app: WebApplication<Pushes>) {
  app.websocket.server.sendMessageToAll({ data: { type: 'news', action: 'item', data: { title: 'x' } } });
  const untitled = { type: 'news', action: 'item', data: {} } as const;
  // @ts-expect-error title is missing
  app.websocket.server.sendMessageToAll({ data: untitled });
  // @ts-expect-error not a push of this map
  app.websocket.server.broadcastToAllClients({ data: { type: 'news', action: 'gone', data: {} } });
}

function untyped(app: WebApplication) {
  app.websocket.server.sendMessageToAll({ data: 'anything' });
}

describe('typed pushes on a WebApplication', () => {
  it('type app.websocket.server by the app’s PushMap', () => {
    expectTypeOf(new WebApplication<Pushes>({ name: 'typed', handleSignals: false })).toEqualTypeOf<
      WebApplication<Pushes>
    >();
    expectTypeOf(typed).toBeFunction();
    expectTypeOf(untyped).toBeFunction();
  });
});
