-- ARGV: prefix
sweep()
return redis.call('SCARD', ONLINE)
