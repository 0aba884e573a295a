abort "boom"
