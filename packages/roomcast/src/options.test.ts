import { describe, expect, it } from 'vitest';
import { WebApplication } from './web-application';

describe('WebApplication options', () => {
  it('suggests the option a typo meant', () => {
    expect(() => new WebApplication({ name: 'a', websockt: {} } as never)).toThrow(
      /unknown option "websockt"; did you mean "websocket"\?/,
    );
    expect(() => new WebApplication({ name: 'a', webserver: { prot: 1 } } as never)).toThrow(
      'WebApplication: unknown option "webserver.prot"; did you mean "webserver.port"?',
    );
    expect(() => new WebApplication({ name: 'a', websocket: { controllerDirectory: 'x' } } as never)).toThrow(
      /did you mean "websocket.controllersDirectory"/,
    );
    expect(() => new WebApplication({ name: 'a', auth: { jwtSecret: 'x' } } as never)).toThrow(
      /did you mean "auth.jwtSecretKey"/,
    );
  });

  it('refuses both websocket spellings at once, a client without a url and a bad url', () => {
    expect(() => new WebApplication({ name: 'a', websocket: {}, webSocket: {} })).toThrow(TypeError);
    expect(() => new WebApplication({ name: 'a', webSocket: { type: 'client' } as never })).toThrow(
      /url must be the server's WebSocket URL, e.g. 'ws:\/\/127.0.0.1:3000\/ws'/,
    );
    expect(
      () =>
        new WebApplication({
          name: 'a',
          webSocket: { type: 'client', url: 'ws://x/ws', rutes: [] } as never,
        }),
    ).toThrow(/did you mean "webSocket.routes"/);
    expect(
      () =>
        new WebApplication({
          name: 'a',
          webSocket: { type: 'client', url: 'ws://x/ws', rooms: {} } as never,
        }),
    ).toThrow(/"webSocket.rooms" is a server option and does nothing for a client/);
    expect(() => new WebApplication({ name: 'a', websocket: { type: 'peer' } as never })).toThrow(
      'WebApplication: websocket.type must be "server" or "client", got the string "peer"',
    );
    expect(() => new WebApplication({ name: 'a', websocket: { url: 'not a url' } })).toThrow(
      /ws:\/\/localhost/,
    );
    expect(() => new WebApplication({ name: 'a', cluster: { workers: 0 } })).toThrow(/cluster.workers/);
    expect(() => new WebApplication({ name: '' })).toThrow(/name is required/);
  });

  it('has no WebSocket server before start', () => {
    const app = new WebApplication({ name: 'a' });
    expect(() => app.websocket.server).toThrow(/call await app.start\(\) first/);
    expect(() => app.websocket.client).toThrow(/use app.websocket.server/);
    const client = new WebApplication({
      name: 'c',
      webSocket: { type: 'client', url: 'ws://127.0.0.1:1/ws' },
    });
    expect(() => client.websocket.server).toThrow(/use app.websocket.client/);
    expect(app.redis.instance.publisherClient).toBeUndefined();
  });
});
