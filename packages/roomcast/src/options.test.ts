import { describe, expect, it } from 'vitest';
import { WebApplication } from './web-application';

describe('WebApplication options', () => {
  it('suggests the option a typo meant', () => {
    expect(() => new WebApplication({ name: 'a', websockt: {} } as never)).toThrow(
      /unknown option "websockt"; did you mean "websocket"\?/,
    );
    expect(() => new WebApplication({ name: 'a', webserver: { prot: 1 } } as never)).toThrow(
      /did you mean "port"/,
    );
    expect(() => new WebApplication({ name: 'a', websocket: { controllerDirectory: 'x' } } as never)).toThrow(
      /did you mean "controllersDirectory"/,
    );
    expect(() => new WebApplication({ name: 'a', auth: { jwtSecret: 'x' } } as never)).toThrow(
      /did you mean "jwtSecretKey"/,
    );
  });

  it('refuses both websocket spellings at once, a client type and a bad url', () => {
    expect(() => new WebApplication({ name: 'a', websocket: {}, webSocket: {} })).toThrow(TypeError);
    expect(() => new WebApplication({ name: 'a', websocket: { type: 'client' } })).toThrow(
      /@roomcast\/client/,
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
    expect(app.redis.instance.publisherClient).toBeUndefined();
  });
});
