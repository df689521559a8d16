-- ARGV: prefix, node, user
add(ARGV[2], ARGV[3])
return 1
