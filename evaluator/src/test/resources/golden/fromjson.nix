# builtins.fromJSON on inputs where JSON readers differ.
map builtins.fromJSON [
  "18446744073709551615"
  "9223372036854775808"
  "-9223372036854775808"
  "-9223372036854775809"
  "123456789012345678901234567890"
  "1E5"
  "0.5"
  "-0"
  "{\"a\": 1, \"a\": 2}"
  "  \n [ 1 ,\n 2 ] \n "
  "\"s\\u00e9 \\ud83d\\ude00 \\/\\b\\f\\n\\r\\t\""
  "[ true, false, null, {}, [], {\"\": {}} ]"
  "\"a\\u0000b\""
]
