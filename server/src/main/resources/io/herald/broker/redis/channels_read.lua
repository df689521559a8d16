-- Dashboard channels: raises the "channels wanted" flag and returns what live nodes shared.
-- KEYS[1] the flag, KEYS[2] seen HASH (stats_share.lua). ARGV[2] channels key prefix (the node id
-- follows), ARGV[3] flag life (ms), ARGV[4] how recently a node must have shared to count (ms).
-- Returns {id, {channel, count, ...}} per live node.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('SET', KEYS[1], '1', 'PX', ARGV[3])
local out = {}
local seen = redis.call('HGETALL', KEYS[2])
for i = 1, #seen, 2 do
  if now - tonumber(seen[i + 1]) <= tonumber(ARGV[4]) then
    out[#out + 1] = {seen[i], redis.call('HGETALL', ARGV[2] .. seen[i])}
  end
end
return out
