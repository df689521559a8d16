-- Dashboard statistics: one node shares its status and newest sample (ClusterStats.share).
-- Keys (P is ARGV[1], the prefix every Herald key shares, so they live in presence's slot):
--   <P>stats:nodes             HASH  node id -> status JSON
--   <P>stats:seen              HASH  node id -> Redis time (ms) of its last share
--   <P>stats:series:<id>       LIST  the node's last samples (JSON), expires with the window
--   <P>stats:want-channels     STRING set while a dashboard reads the channels
-- ARGV[2] node id, ARGV[3] status, ARGV[4] sample, ARGV[5] samples kept, ARGV[6] series life (ms).
-- Returns 1 while some dashboard wants channel counts.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local series = P .. 'stats:series:' .. ARGV[2]
redis.call('HSET', P .. 'stats:nodes', ARGV[2], ARGV[3])
redis.call('HSET', P .. 'stats:seen', ARGV[2], now)
redis.call('RPUSH', series, ARGV[4])
redis.call('LTRIM', series, -tonumber(ARGV[5]), -1)
redis.call('PEXPIRE', series, ARGV[6])
return redis.call('EXISTS', P .. 'stats:want-channels')
