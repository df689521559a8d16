-- A node shuts down cleanly. ARGV: prefix, node
drop(ARGV[2])
redis.call('DEL', alive(ARGV[2]))
return 1
