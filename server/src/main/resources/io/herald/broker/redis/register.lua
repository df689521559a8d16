-- A node (re)joins: replaces whatever Redis holds for it with the users it holds now.
-- ARGV: prefix, node, ttl ms, incarnation, user...
local n = ARGV[2]
drop(n)
redis.call('SET', alive(n), ARGV[4], 'PX', ARGV[3])
redis.call('SADD', NODES, n)
for i = 5, #ARGV do
  add(n, ARGV[i])
end
sweep()
return #ARGV - 4
