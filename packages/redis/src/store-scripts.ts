import { defineScript } from './command-client';

/**
 * The room store's Lua. Each script is atomic, which is what makes the sweep's claim exact: the
 * script that removes a dead node's members is the only one that ever returns them.
 *
 * ARGV[1] is always the membership base (keys.ts): the per-node keys of a member's *current*
 * node are only known inside the script. They share the base's hash tag, so on a Cluster they
 * are in the same slot as the declared KEYS.
 *
 * Liveness deadlines use the Redis clock (TIME), so nodes with skewed clocks agree on who is
 * dead. Redis >= 5 replicates script effects, which TIME before a write requires.
 */
const PRELUDE = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function node_rooms(base, node) return base .. 'node:' .. node .. ':rooms' end
local function node_members(base, node) return base .. 'node:' .. node .. ':members' end
-- Takes (room, client) off a node's books; the room hash entry is the caller's business.
local function forget(base, room, client, node)
  if redis.call('HINCRBY', node_rooms(base, node), room, -1) <= 0 then
    redis.call('HDEL', node_rooms(base, node), room)
  end
  redis.call('SREM', node_members(base, node), cjson.encode({room, client}))
end
-- Removes every member a node still holds; returns {room, member json} pairs.
local function drop_node(base, node)
  local removed = {}
  for _, entry in ipairs(redis.call('SMEMBERS', node_members(base, node))) do
    local pair = cjson.decode(entry)
    local room_key = base .. 'room:' .. pair[1]
    local json = redis.call('HGET', room_key, pair[2])
    if json and cjson.decode(json).nodeId == node then
      redis.call('HDEL', room_key, pair[2])
      removed[#removed + 1] = {pair[1], json}
    end
  end
  redis.call('DEL', node_members(base, node), node_rooms(base, node))
  return removed
end
`;

/** KEYS: room, nodes. ARGV: base, room, clientId, member json, nodeId, ttlMs. 1 when new. */
export const ADD = defineScript(`${PRELUDE}
local base, room, client, member, node = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local old = redis.call('HGET', KEYS[1], client)
redis.call('HSET', KEYS[1], client, member)
redis.call('ZADD', KEYS[2], now_ms() + tonumber(ARGV[6]), node)
if old then
  local old_node = cjson.decode(old).nodeId
  if old_node == node then return 0 end
  forget(base, room, client, old_node)
end
redis.call('HINCRBY', node_rooms(base, node), room, 1)
redis.call('SADD', node_members(base, node), cjson.encode({room, client}))
return 1
`);

/** KEYS: room. ARGV: base, room, clientId. 1 when the client was there. */
export const REMOVE = defineScript(`${PRELUDE}
local old = redis.call('HGET', KEYS[1], ARGV[3])
if not old then return 0 end
redis.call('HDEL', KEYS[1], ARGV[3])
forget(ARGV[1], ARGV[2], ARGV[3], cjson.decode(old).nodeId)
return 1
`);

/** KEYS: room, nodes. The member json of every member whose node is alive. */
export const MEMBERS = defineScript(`${PRELUDE}
local now = now_ms()
local alive, out = {}, {}
for _, json in ipairs(redis.call('HVALS', KEYS[1])) do
  local node = cjson.decode(json).nodeId
  if alive[node] == nil then
    local deadline = redis.call('ZSCORE', KEYS[2], node)
    alive[node] = deadline ~= false and tonumber(deadline) > now
  end
  if alive[node] then out[#out + 1] = json end
end
return out
`);

/** KEYS: nodes. ARGV: base. The rooms where a live node has members. */
export const ROOMS = defineScript(`${PRELUDE}
local seen, out = {}, {}
for _, node in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now_ms(), '+inf')) do
  for _, room in ipairs(redis.call('HKEYS', node_rooms(ARGV[1], node))) do
    if not seen[room] then
      seen[room] = true
      out[#out + 1] = room
    end
  end
end
return out
`);

/**
 * KEYS: nodes. ARGV: nodeId, ttlMs. 1 when the node was not registered (swept after a stall, or
 * Redis lost its data): the store then registers its members again.
 */
export const HEARTBEAT = defineScript(`${PRELUDE}
return redis.call('ZADD', KEYS[1], now_ms() + tonumber(ARGV[2]), ARGV[1])
`);

/** KEYS: nodes. ARGV: base, nodeId. How many members it removed. */
export const REMOVE_NODE = defineScript(`${PRELUDE}
local removed = drop_node(ARGV[1], ARGV[2])
redis.call('ZREM', KEYS[1], ARGV[2])
return #removed
`);

/**
 * KEYS: nodes. ARGV: base, graceMs, maxNodes. Removes the members of nodes whose deadline passed
 * more than graceMs ago; returns them flat: room, member json, room, member json, ...
 */
export const SWEEP = defineScript(`${PRELUDE}
local limit = now_ms() - tonumber(ARGV[2])
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', limit, 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, node in ipairs(dead) do
  for _, pair in ipairs(drop_node(ARGV[1], node)) do
    out[#out + 1] = pair[1]
    out[#out + 1] = pair[2]
  end
  redis.call('ZREM', KEYS[1], node)
end
return out
`);
