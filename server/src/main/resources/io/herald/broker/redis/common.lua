-- Herald presence model, shared by every script (Java prepends this file). ARGV[1] is the key
-- prefix with its colon, hash-tagged ({herald}:), so on a Redis Cluster every key below lives in
-- one slot; KEYS[1] is <p>nodes and routes the script to that slot. Keys:
--   <p>nodes              SET   ids of nodes that registered
--   <p>node:<id>:alive    STRING heartbeat, the node's incarnation, expires after the presence TTL
--   <p>node:<id>:users    SET   users with a connection on that node
--   <p>user:<uid>         SET   nodes holding that user
--   <p>online             SET   users with at least one node (SCARD is the online count)
-- Invariant: uid is in online iff user:<uid> is not empty.
local P = ARGV[1]
local NODES = P .. 'nodes'
local ONLINE = P .. 'online'

local function node_users(n) return P .. 'node:' .. n .. ':users' end
local function alive(n) return P .. 'node:' .. n .. ':alive' end
local function user_nodes(u) return P .. 'user:' .. u end

local function add(n, u)
  redis.call('SADD', node_users(n), u)
  redis.call('SADD', user_nodes(u), n)
  redis.call('SADD', ONLINE, u)
end

local function forget(n, u)
  redis.call('SREM', user_nodes(u), n)
  if redis.call('SCARD', user_nodes(u)) == 0 then
    redis.call('SREM', ONLINE, u)
  end
end

local function remove(n, u)
  redis.call('SREM', node_users(n), u)
  forget(n, u)
end

-- Removes every presence entry of node n (not its heartbeat).
local function drop(n)
  for _, u in ipairs(redis.call('SMEMBERS', node_users(n))) do
    forget(n, u)
  end
  redis.call('DEL', node_users(n))
  redis.call('SREM', NODES, n)
end

-- Drops the nodes whose heartbeat expired; returns how many.
local function sweep()
  local dropped = 0
  for _, n in ipairs(redis.call('SMEMBERS', NODES)) do
    if redis.call('EXISTS', alive(n)) == 0 then
      drop(n)
      dropped = dropped + 1
    end
  end
  return dropped
end
