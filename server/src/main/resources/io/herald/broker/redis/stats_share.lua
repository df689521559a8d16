-- Dashboard statistics: one node shares its status and newest sample (ClusterStats.share).
-- KEYS[1] nodes HASH id -> status JSON; KEYS[2] seen HASH id -> ms of Redis time of the last share;
-- KEYS[3] this node's series LIST of sample JSON; KEYS[4] the "channels wanted" flag.
-- ARGV[2] node id, ARGV[3] status, ARGV[4] sample, ARGV[5] samples kept, ARGV[6] series life (ms).
-- Returns 1 while some dashboard wants channel counts.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[2], now)
redis.call('RPUSH', KEYS[3], ARGV[4])
redis.call('LTRIM', KEYS[3], -tonumber(ARGV[5]), -1)
redis.call('PEXPIRE', KEYS[3], ARGV[6])
return redis.call('EXISTS', KEYS[4])
