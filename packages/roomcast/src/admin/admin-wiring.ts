import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@roomcast/protocol';
import { createRoomSettings } from '@roomcast/rooms';
import type { WebSocketServer, WebSocketServerOptions } from '@roomcast/server';
import { sharedBusAndHistory } from '../in-process-parts';
import type { ResolvedAdminOptions } from './admin-options';
import { createAdminRoutes } from './admin-routes';
import { ClusterStats } from './cluster-stats';
import { snapshotNode } from './node-snapshot';
import type { RecentWarnings } from './recent-warnings';

export type AdminHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
) => Promise<boolean>;

export interface AdminWiring {
  /** The server's options with the bus and history the dashboard reads (made here without Redis). */
  readonly serverOptions: WebSocketServerOptions;
  /** Subscribes to the dashboards' requests; returns the HTTP handler of `admin.path`. */
  start(server: WebSocketServer): Promise<AdminHandler>;
  close(): Promise<void>;
}

/**
 * The dashboard talks to the other nodes on the server's own bus, so without Redis the bus and
 * history are made here and handed to the server (one node: the bus only reaches itself).
 */
export function wireAdmin(
  options: ResolvedAdminOptions,
  serverOptions: WebSocketServerOptions,
  { logger, warnings }: { logger: Logger; warnings: RecentWarnings },
): AdminWiring {
  const parts = sharedBusAndHistory(serverOptions, logger);
  const { bus, history } = parts;
  let stats: ClusterStats | undefined;
  return {
    serverOptions: { ...serverOptions, bus, history },
    async start(server) {
      const snapshot = () => snapshotNode(server, warnings.list());
      stats = new ClusterStats({
        bus,
        nodeId: server.nodeId,
        timeoutMs: options.timeoutMs,
        snapshot,
        logger,
      });
      await stats.start();
      const routes = createAdminRoutes({
        options,
        nodeId: server.nodeId,
        stats,
        rooms: server,
        roomSettings: createRoomSettings(serverOptions.rooms?.patterns ?? []),
        history,
        server,
        logger,
      });
      return routes;
    },
    async close() {
      await stats?.stop();
      await parts.close();
    },
  };
}
