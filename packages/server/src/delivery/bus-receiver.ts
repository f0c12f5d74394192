import { type BusListener, decodeBusMessage, type Logger } from '@roomcast/protocol';
import type { Metrics } from '../metrics';
import type { DurablePublisher } from './durable-publisher';
import type { LocalDelivery } from './local-delivery';
import { prepareFrame } from './prepared-frame';
import type { RoomStreams } from './room-streams';

export interface BusReceiverDeps {
  nodeId: string;
  local: LocalDelivery;
  streams: RoomStreams;
  durable: DurablePublisher;
  metrics: Metrics;
  logger: Logger;
  /** Runs this node's subscribers. */
  dispatchEvent: (channel: string, message: unknown) => void;
  /** Closes a client of this node (another node asked). */
  disconnect: (clientId: string, code: number, reason: string) => void;
}

/**
 * Turns bus traffic into local deliveries. Frames from other nodes are written out as they
 * came, without parsing. Durable room messages are delivered from the bus on every node, this
 * one included (one order per room); other traffic this node published was delivered here already.
 */
export function createBusReceiver(deps: BusReceiverDeps): BusListener {
  let warned = false;
  return function receiveBusMessage(payload, channel) {
    const message = decodeBusMessage(payload);
    if (!message) {
      deps.metrics.busMalformed++;
      // Another app sharing the Redis could flood the log: say it once, count the rest.
      if (!warned)
        deps.logger.warn(
          { channel },
          'ignoring malformed bus message (logged once; see roomcast_bus_malformed_total)',
        );
      warned = true;
      return;
    }
    const { header, body } = message;
    if (header.kind === 'event') {
      let event: unknown;
      try {
        event = JSON.parse(body);
      } catch {
        deps.metrics.busMalformed++;
        return;
      }
      deps.dispatchEvent(header.channel, event);
      return;
    }
    if (header.kind === 'durable') {
      if (header.origin === deps.nodeId) deps.durable.arrived(header.id);
      deps.streams.receive(header, body);
      return;
    }
    if (header.origin === deps.nodeId) return;
    switch (header.kind) {
      case 'room':
        deps.local.toRoom(header.room, prepareFrame(body), { exclude: header.exclude });
        return;
      case 'all':
        deps.local.toAll(prepareFrame(body), { exclude: header.exclude });
        return;
      case 'users':
        deps.local.toUsers(header.users, prepareFrame(body), { exclude: header.exclude });
        return;
      case 'clients':
        deps.local.toClientIds(header.clients, prepareFrame(body));
        return;
      case 'disconnect':
        deps.disconnect(header.client, header.code, header.reason);
        return;
    }
  };
}
