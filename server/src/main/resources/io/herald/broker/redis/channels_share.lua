-- Dashboard channels: one node replaces its channel counts (ClusterStats.shareChannels) in
-- <P>stats:channels:<id>, HASH channel -> local subscribers. ARGV[2] node id, ARGV[3] life (ms),
-- then channel, count pairs.
local key = P .. 'stats:channels:' .. ARGV[2]
redis.call('DEL', key)
for i = 4, #ARGV, 2 do
  redis.call('HSET', key, ARGV[i], ARGV[i + 1])
end
if #ARGV > 3 then
  redis.call('PEXPIRE', key, ARGV[3])
end
return 1
