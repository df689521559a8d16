-- Dashboard channels: raises <P>stats:want-channels for ARGV[2] ms, so every node shares its
-- channel counts, and returns what the nodes that shared within ARGV[3] ms last wrote
-- (stats_share.lua, channels_share.lua): {id, {channel, count, ...}} per live node.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('SET', P .. 'stats:want-channels', '1', 'PX', ARGV[2])
local out = {}
local seen = redis.call('HGETALL', P .. 'stats:seen')
for i = 1, #seen, 2 do
  if now - tonumber(seen[i + 1]) <= tonumber(ARGV[3]) then
    out[#out + 1] = {seen[i], redis.call('HGETALL', P .. 'stats:channels:' .. seen[i])}
  end
end
return out
