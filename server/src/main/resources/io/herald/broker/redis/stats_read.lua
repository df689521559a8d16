-- Dashboard statistics: every node that shared within the window (ClusterStats.nodes).
-- KEYS[1] nodes HASH, KEYS[2] seen HASH (as in stats_share.lua).
-- ARGV[2] series key prefix (the node id follows), ARGV[3] samples wanted, ARGV[4] window (ms):
-- a node silent for longer is forgotten. Returns {id, status, age ms, {samples}} per node.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = {}
local seen = redis.call('HGETALL', KEYS[2])
for i = 1, #seen, 2 do
  local id = seen[i]
  local age = now - tonumber(seen[i + 1])
  local status = redis.call('HGET', KEYS[1], id)
  if age > tonumber(ARGV[4]) or not status then
    redis.call('HDEL', KEYS[1], id)
    redis.call('HDEL', KEYS[2], id)
    redis.call('DEL', ARGV[2] .. id)
  else
    local samples = redis.call('LRANGE', ARGV[2] .. id, -tonumber(ARGV[3]), -1)
    out[#out + 1] = {id, status, age, samples}
  end
end
return out
