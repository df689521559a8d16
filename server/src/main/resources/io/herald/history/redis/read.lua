-- What a stream keeps after an offset. Keys as in append.lua.
-- ARGV: ttl ms, meta ttl ms, epoch to use if the stream has none, offset to read after (or "-"
--       for none: only the top)
-- Returns {epoch, top offset, {offset, frame, excluded}...} with frames younger than ttl, oldest first.
local epoch = redis.call('HGET', KEYS[2], 'e')
if not epoch then
  epoch = ARGV[3]
  redis.call('HSET', KEYS[2], 'e', epoch, 'o', 0)
end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
local top = tonumber(redis.call('HGET', KEYS[2], 'o'))
local out = {epoch, top}
if ARGV[4] ~= '-' then
  local after = tonumber(ARGV[4])
  local t = redis.call('TIME')
  local oldest = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[1])
  for _, e in ipairs(redis.call('XRANGE', KEYS[1], oldest .. '-0', '+')) do
    local f = e[2]
    local o, frame, x = nil, nil, ''
    for i = 1, #f, 2 do
      if f[i] == 'o' then o = tonumber(f[i + 1]) elseif f[i] == 'f' then frame = f[i + 1] elseif f[i] == 'x' then x = f[i + 1] end
    end
    if o > after then
      out[#out + 1] = {o, frame, x}
    end
  end
end
return out
