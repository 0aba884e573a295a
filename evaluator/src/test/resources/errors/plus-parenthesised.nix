1 + (true)
