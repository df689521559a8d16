-- Numbers a frame and keeps it. One stream, one hash slot:
--   KEYS[1] <p>:h:{<stream>}:s  STREAM  the kept frames, fields o (offset), f (frame), x (excluded users, \n-separated)
--   KEYS[2] <p>:h:{<stream>}:m  HASH    e (epoch), o (last offset)
-- ARGV: frame without its closing brace, stream field text (may be empty), size, ttl ms,
--       meta ttl ms, epoch to use if the stream has none, excluded users
-- Returns {offset, epoch}. The stream key expires ttl after its last frame; the meta key lives
-- meta ttl, so a reader away longer than ttl still learns whether it missed anything.
local epoch = redis.call('HGET', KEYS[2], 'e')
if not epoch then
  epoch = ARGV[6]
  redis.call('HSET', KEYS[2], 'e', epoch)
end
local offset = redis.call('HINCRBY', KEYS[2], 'o', 1)
local frame = ARGV[1] .. ARGV[2] .. ',"epoch":"' .. epoch .. '","offset":' .. offset .. '}'
redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[3], '*', 'o', offset, 'f', frame, 'x', ARGV[7])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return {offset, epoch}
