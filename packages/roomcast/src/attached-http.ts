import type { IncomingMessage, Server, ServerResponse } from 'node:http';

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Puts the app's HTTP routes in front of a server someone else owns, the way engine.io attaches:
 * the server's own 'request' listeners are taken off and called for every request the app does
 * not answer (`handle` resolves false). `detach()` puts them back, so the owner's server is as it
 * was, and requests that arrive after it never see the app.
 */
export function attachHttpRoutes(
  server: Server,
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<boolean>,
): { detach(): void } {
  const owners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  const front: RequestListener = (request, response) => {
    void handle(request, response).then(handled => {
      if (!handled) for (const listener of owners) listener.call(server, request, response);
    });
  };
  server.on('request', front);
  return {
    detach() {
      server.off('request', front);
      for (const listener of owners) server.on('request', listener);
    },
  };
}
