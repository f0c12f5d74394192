import { defineScript } from './command-client';

/**
 * The room's position: `meta` holds `epoch` and `offset`. When it is missing (never used, expired,
 * flushed, a restarted server) a new epoch starts at offset 0 and whatever stream is left is
 * dropped: nothing in it can be proven to follow anything a client saw.
 * KEYS[1] stream, KEYS[2] meta; `candidate` is a fresh epoch from the caller (scripts have no
 * good randomness), `metaTtl` how long a new position lives.
 */
const ENSURE_META = `
local function ensure_meta(candidate, metaTtl)
  local epoch = redis.call('HGET', KEYS[2], 'epoch')
  if epoch then return epoch end
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[2], 'epoch', candidate, 'offset', 0)
  redis.call('PEXPIRE', KEYS[2], metaTtl)
  return candidate
end
`;

/**
 * KEYS: stream, meta, id key. ARGV: frame, size, ttlMs, metaTtlMs, idTtlMs, epoch candidate,
 * bus channel, header head, sharded (1/0), message id. Returns { offset, epoch, duplicate (1/0) }.
 * Entries keep the frame (`f`) and the message id (`i`).
 * The entry id `0-<offset>` makes the stream itself say which offsets it still holds. The bus
 * payload is built as `completeDurablePayload` (protocol) builds it.
 */
export const APPEND = defineScript(`${ENSURE_META}
local epoch = ensure_meta(ARGV[6], ARGV[4])
local seen = redis.call('GET', KEYS[3])
if seen then
  local sep = string.find(seen, ':', 1, true)
  if sep and string.sub(seen, sep + 1) == epoch then
    return {tonumber(string.sub(seen, 1, sep - 1)), epoch, 1}
  end
end
local offset = redis.call('HINCRBY', KEYS[2], 'offset', 1)
redis.call('XADD', KEYS[1], 'MAXLEN', '=', ARGV[2], '0-' .. offset, 'f', ARGV[1], 'i', ARGV[10])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], math.max(tonumber(ARGV[3]), tonumber(ARGV[4])))
redis.call('SET', KEYS[3], offset .. ':' .. epoch, 'PX', ARGV[5])
local payload = ARGV[8] .. ',"offset":' .. offset .. ',"epoch":"' .. epoch .. '"}\\n' .. ARGV[1]
if ARGV[9] == '1' then
  redis.call('SPUBLISH', ARGV[7], payload)
else
  redis.call('PUBLISH', ARGV[7], payload)
end
return {offset, epoch, 0}
`);

/**
 * KEYS: stream, meta. ARGV: since, the client's epoch ('' for none), epoch candidate, metaTtlMs.
 * Returns { offset, epoch, entries after since } (no entries when the epoch is not the client's).
 */
export const SINCE = defineScript(`${ENSURE_META}
local epoch = ensure_meta(ARGV[3], ARGV[4])
local offset = tonumber(redis.call('HGET', KEYS[2], 'offset'))
local since = tonumber(ARGV[1])
local same = ARGV[2] == epoch or (ARGV[2] == '' and since == 0)
if since >= offset or not same then return {offset, epoch, {}} end
return {offset, epoch, redis.call('XRANGE', KEYS[1], '0-' .. (since + 1), '+')}
`);

/** KEYS: stream, meta. ARGV: count, epoch candidate, metaTtlMs. Returns { offset, epoch, newest first }. */
export const LATEST = defineScript(`${ENSURE_META}
local epoch = ensure_meta(ARGV[2], ARGV[3])
local offset = tonumber(redis.call('HGET', KEYS[2], 'offset'))
local count = tonumber(ARGV[1])
if count <= 0 or offset == 0 then return {offset, epoch, {}} end
return {offset, epoch, redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', count)}
`);
