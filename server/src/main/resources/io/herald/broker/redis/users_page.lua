-- One page of the online users: SSCAN from the cursor until about `limit` ids are collected or
-- the scan is complete. Returns {next cursor ('0' at the end), ids}. SSCAN guarantees that a user
-- online during the whole scan appears at least once; one that comes or goes meanwhile may or may
-- not; an id may appear twice if the set grows a lot during the scan.
-- ARGV: prefix, cursor, limit
sweep()
local cursor, limit, ids = ARGV[2], tonumber(ARGV[3]), {}
repeat
  local r = redis.call('SSCAN', ONLINE, cursor, 'COUNT', limit - #ids)
  cursor = r[1]
  for _, u in ipairs(r[2]) do
    ids[#ids + 1] = u
  end
until cursor == '0' or #ids >= limit
return {cursor, ids}
