-- Dashboard channels: one node replaces its channel counts (ClusterStats.shareChannels).
-- KEYS[1] this node's HASH channel -> local subscribers. ARGV[2] life (ms), then channel, count pairs.
redis.call('DEL', KEYS[1])
for i = 3, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
if #ARGV > 2 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 1
