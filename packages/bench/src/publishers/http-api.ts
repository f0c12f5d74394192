import { Agent, request } from 'node:http';
import { benchMessage } from '../message';
import type { PublisherOptions, RunningPublisher } from './publisher';

/**
 * A plain HTTP client of `POST /api/broadcast`, as a backend in another language would be: a
 * keep-alive pool of `window` connections, each sending its next request when the last answered.
 */
export function startHttpApiClient(options: PublisherOptions): RunningPublisher {
  if (!options.url || !options.apiKey) throw new TypeError('http-api: pass url and apiKey');
  const url = new URL('/api/broadcast', options.url.replace(/^ws/, 'http'));
  const agent = new Agent({ keepAlive: true });
  const headers = { Authorization: `Bearer ${options.apiKey}`, 'Content-Type': 'application/json' };
  let seq = 0;
  const post = (roomName: string) =>
    new Promise<void>((resolve, reject) => {
      const body = JSON.stringify({ room: roomName, data: benchMessage(seq++) });
      const req = request(url, { method: 'POST', agent, headers }, response => {
        response.resume();
        response.on('end', () =>
          response.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${response.statusCode}`)),
        );
      });
      req.on('error', reject);
      req.end(body);
    });
  return {
    publish: async (roomName, count, window) => {
      agent.maxSockets = window;
      let next = 0;
      const worker = async () => {
        while (next < count) {
          next++;
          await post(roomName);
        }
      };
      await Promise.all(Array.from({ length: Math.min(window, count) }, worker));
    },
    stop: async () => agent.destroy(),
  };
}
