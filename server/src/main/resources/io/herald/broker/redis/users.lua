-- ARGV: prefix
sweep()
return redis.call('SMEMBERS', ONLINE)
