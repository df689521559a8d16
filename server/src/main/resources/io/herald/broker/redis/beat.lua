-- Renews a node's heartbeat and drops dead nodes. Returns 1 when the node was still registered
-- under this incarnation; 0 when it must register again (its heartbeat expired, it was dropped,
-- or Redis lost its data); 2 when another live process holds the heartbeat under the same node id.
-- ARGV: prefix, node, ttl ms, incarnation
local n = ARGV[2]
local was = redis.call('GET', alive(n))
local registered = was == ARGV[4] and redis.call('SISMEMBER', NODES, n) == 1
redis.call('SET', alive(n), ARGV[4], 'PX', ARGV[3])
sweep()
if registered then
  return 1
end
if was then
  return 2
end
return 0
