let n = 1; in "a${"b"}${n}"
