-- Dashboard statistics: every node that shared within the window (ClusterStats.nodes); keys as in
-- stats_share.lua. ARGV[2] samples wanted, ARGV[3] window (ms): a node silent for longer is
-- forgotten. Returns {id, status, age ms, {samples}} per node.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = {}
local seen = redis.call('HGETALL', P .. 'stats:seen')
for i = 1, #seen, 2 do
  local id = seen[i]
  local age = now - tonumber(seen[i + 1])
  local status = redis.call('HGET', P .. 'stats:nodes', id)
  local series = P .. 'stats:series:' .. id
  if age > tonumber(ARGV[3]) or not status then
    redis.call('HDEL', P .. 'stats:nodes', id)
    redis.call('HDEL', P .. 'stats:seen', id)
    redis.call('DEL', series)
  else
    out[#out + 1] = {id, status, age, redis.call('LRANGE', series, -tonumber(ARGV[2]), -1)}
  end
end
return out
