-- Sends a message to the users' other nodes: one PUBLISH per node holding any of them, to that
-- node's inbox <p>node:<id>, carrying only that node's users. The envelope layout is Envelope.java's.
-- ARGV: prefix, origin node, kind (U or D), type, payload, publish command, user...
-- The publish command is PUBLISH on a single Redis and SPUBLISH on a Redis Cluster, where the
-- inboxes share the slot of the presence keys (hash tag), so the script stays on one slot.
-- Returns the number of nodes published to.
local origin, kind, type, payload, publish = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local function field(s) return #s .. ':' .. s end
local by_node, order = {}, {}
for i = 7, #ARGV do
  local u = ARGV[i]
  for _, n in ipairs(redis.call('SMEMBERS', user_nodes(u))) do
    if n ~= origin then
      local list = by_node[n]
      if list == nil then
        list = {}
        by_node[n] = list
        order[#order + 1] = n
      end
      list[#list + 1] = field(u)
    end
  end
end
local head = 'H1' .. field(origin) .. field(kind) .. field(type)
for _, n in ipairs(order) do
  local list = by_node[n]
  redis.call(publish, P .. 'node:' .. n, head .. field(tostring(#list)) .. table.concat(list) .. payload)
end
return #order
