import type { PublisherKind, PublisherOptions, RunningPublisher } from './publisher';

export type { PublisherKind, PublisherOptions, RunningPublisher } from './publisher';

/** Loaded on demand, so a publisher process holds only the client it runs. */
export async function startPublisher(options: PublisherOptions): Promise<RunningPublisher> {
  const starters: Record<PublisherKind, () => Promise<RunningPublisher>> = {
    'roomcast-emitter': async () => (await import('./roomcast-emitter')).startRoomcastEmitter(options),
    'socket.io-emitter': async () => (await import('./socket-io-emitter')).startSocketIoEmitter(options),
    'http-api': async () => (await import('./http-api')).startHttpApiClient(options),
  };
  return starters[options.kind]();
}
