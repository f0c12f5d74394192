import type { History, RoomMember } from '@roomcast/protocol';
import type { RoomSettings } from '@roomcast/rooms';
import type { ClusterStats, NodeView } from './cluster-stats';
import type { LogEntry } from './recent-warnings';

export interface RoomView {
  name: string;
  members: number;
  presence: boolean;
  history: { size: number; ttlMs: number } | null;
  /** The stream's latest offset (history rooms only). */
  latestOffset: number | null;
}

export interface ClusterView {
  nodeId: string;
  at: number;
  nodes: NodeView[];
  rooms: RoomView[];
  /** Rooms in the store; only the first `MAX_ROOMS` are listed. */
  roomsTotal: number;
  /** Set when the room store could not be read (the nodes are still shown). */
  roomsError: string | null;
  warnings: (LogEntry & { nodeId: string })[];
}

export interface ClusterViewDeps {
  nodeId: string;
  stats: ClusterStats;
  rooms: {
    getRooms(): Promise<string[]>;
    getRoomMembers(roomName: string): Promise<RoomMember[]>;
  };
  roomSettings: (roomName: string) => RoomSettings;
  history: History | undefined;
}

/** A dashboard reads every listed room's members each refresh: the list is bounded. */
export const MAX_ROOMS = 200;

/** The page's data: nodes over the bus, rooms and their members from the room store. */
export async function readCluster(deps: ClusterViewDeps): Promise<ClusterView> {
  const rooms: RoomView[] = [];
  const memberNodes = new Set<string>();
  let roomsTotal = 0;
  let roomsError: string | null = null;
  try {
    const names = await deps.rooms.getRooms();
    roomsTotal = names.length;
    for (const name of names.slice(0, MAX_ROOMS)) {
      const members = await deps.rooms.getRoomMembers(name);
      for (const member of members) memberNodes.add(member.nodeId);
      rooms.push(await roomView(deps, name, members.length));
    }
  } catch (error) {
    roomsError = error instanceof Error ? error.message : String(error);
  }
  const nodes = await deps.stats.collect(memberNodes);
  const warnings = nodes
    .flatMap(node => (node.reachable ? node.warnings.map(entry => ({ ...entry, nodeId: node.nodeId })) : []))
    .sort((a, b) => b.time - a.time)
    .slice(0, 50);
  const withoutWarnings = nodes.map(node => (node.reachable ? { ...node, warnings: [] } : node));
  return {
    nodeId: deps.nodeId,
    at: Date.now(),
    nodes: withoutWarnings,
    rooms,
    roomsTotal,
    roomsError,
    warnings,
  };
}

async function roomView(deps: ClusterViewDeps, name: string, members: number): Promise<RoomView> {
  const settings = deps.roomSettings(name);
  const history = settings.history ? { size: settings.history.size, ttlMs: settings.history.ttlMs } : null;
  // Only history rooms have a stream: reading one elsewhere would create its epoch for nothing.
  const latestOffset = history && deps.history ? (await deps.history.latest(name, 1)).offset : null;
  return { name, members, presence: settings.presence, history, latestOffset };
}
