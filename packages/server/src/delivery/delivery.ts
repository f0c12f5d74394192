import type { Bus, BusListener, History } from '@roomcast/protocol';
import { createRoomSettings, type RoomSettings } from '@roomcast/rooms';
import type { WebSocket } from 'ws';
import type { ClientRegistry } from '../connection/client-registry';
import type { Metrics } from '../metrics';
import type { ResolvedOptions } from '../options';
import type { RoomMembers } from '../rooms/room-members';
import { type Broadcaster, ScopedBroadcaster } from './broadcaster';
import { createBusReceiver } from './bus-receiver';
import { DurablePublisher } from './durable-publisher';
import { LocalDelivery } from './local-delivery';
import { Outbound } from './outbound';
import { RecoveryGates } from './recovery-gate';
import { RoomStreams } from './room-streams';

/** How long a resyncing room waits for this node's appends in flight before it reads the stream. */
const APPENDS_SETTLE_MS = 5_000;

export interface DeliveryDeps {
  nodeId: string;
  bus: Bus;
  history: History;
  clients: ClientRegistry;
  members: RoomMembers;
  resolved: Pick<ResolvedOptions, 'limits' | 'logger' | 'rooms' | 'writeDelayMs'>;
  metrics: Metrics;
  /** Closes a slow consumer with 4009 and takes it out of its rooms at once. */
  closeSlowConsumer: (ws: WebSocket) => void;
  /** Runs this node's subscribers for an event. */
  dispatchEvent: (channel: string, message: unknown) => void;
  /** Closes a client of this node (another node asked, over the bus). */
  disconnect: (clientId: string, code: number, reason: string) => void;
}

/** Everything that gets a frame from a broadcast call (here or on another node) to the sockets. */
export interface Delivery {
  outbound: Outbound;
  local: LocalDelivery;
  gates: RecoveryGates;
  streams: RoomStreams;
  durable: DurablePublisher;
  /** The server's broadcast calls: every node. */
  cluster: Broadcaster;
  /** `server.local`: this node's clients only. */
  localScope: Broadcaster;
  /** The bus listener of this node's channels and rooms. */
  receiver: BusListener;
  roomSettings: (roomName: string) => RoomSettings;
}

/**
 * Assembles the delivery side: the outbound writer, local delivery with the recovery gates, the
 * durable publisher and room streams of history rooms, the two broadcasters and the bus receiver.
 */
export function createDelivery(deps: DeliveryDeps): Delivery {
  const { nodeId, bus, history, metrics, dispatchEvent } = deps;
  const { limits, logger, rooms, writeDelayMs } = deps.resolved;
  const closeSlowConsumer = deps.closeSlowConsumer;
  const outbound = new Outbound({ metrics, limits, logger, closeSlowConsumer, writeDelayMs });
  const gates = new RecoveryGates();
  const { clients, members } = deps;
  const local = new LocalDelivery({ clients, rooms: members, outbound, gates, fanout: metrics.fanout });
  const roomSettings = createRoomSettings(rooms.patterns);
  const streams = new RoomStreams({
    history,
    local,
    logger,
    appendsSettled: (): Promise<void> => durable.settled(APPENDS_SETTLE_MS),
  });
  const durable = new DurablePublisher({
    nodeId,
    bus,
    history,
    streams,
    logger,
    maxLiveDelayMs: rooms.maxLiveDelayMs,
  });
  const scope = { nodeId, bus, local, durable, roomSettings, dispatchEvent, logger };
  const receiver = createBusReceiver({
    nodeId,
    local,
    streams,
    durable,
    metrics,
    logger,
    dispatchEvent,
    disconnect: deps.disconnect,
  });
  return {
    outbound,
    local,
    gates,
    streams,
    durable,
    cluster: new ScopedBroadcaster(scope, 'cluster'),
    localScope: new ScopedBroadcaster(scope, 'local'),
    receiver,
    roomSettings,
  };
}
