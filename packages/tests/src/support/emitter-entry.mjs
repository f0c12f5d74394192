// The child side of `startEmitter()` (emitter-process.ts): a process that holds only
// `createEmitter` from the *built* @roomcast/redis, as a queue worker would: no WebSocket server,
// no `ws`. The parent sends the options once ({ start }), then calls ({ id, method, args }).
import { createEmitter } from '@roomcast/redis';

const send = message => process.send?.(message);

process.on('disconnect', () => process.exit(0));
process.once('message', ({ start: options }) => {
  let emitter;
  try {
    emitter = createEmitter(options);
  } catch (error) {
    send({ failed: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
  process.on('message', async ({ id, method, args = [] }) => {
    if (id === undefined) return;
    try {
      if (typeof emitter[method] !== 'function') throw new TypeError(`no emitter.${method}()`);
      const value = await emitter[method](...args);
      send({ id, ok: true, value: value ?? null });
      if (method === 'close') setImmediate(() => process.exit(0));
    } catch (error) {
      send({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  });
  send({ ready: { origin: emitter.origin } });
});
