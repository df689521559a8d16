-- ARGV: prefix, user
sweep()
return redis.call('SISMEMBER', ONLINE, ARGV[2])
