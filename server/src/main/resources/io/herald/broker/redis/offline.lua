-- ARGV: prefix, node, user
remove(ARGV[2], ARGV[3])
return 1
