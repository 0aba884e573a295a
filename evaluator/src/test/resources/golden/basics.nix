# Arithmetic, comparison, float printing and string escapes.
[
  (1 + 2 * 3 - 4 / 2)
  (9223372036854775807 + 1)
  (7 / 2) (-7 / 2) (7.0 / 2) (1 + 2.5)
  0.1 1.0 100000.0 1000000.0 1.0e-5 0.0001 123456789.0 3.14159265 (1.0 / 3) 2.5e10
  (1 < 2) (2 <= 1) ("a" < "b") ([1 2] < [1 3]) (1 == 1.0) ({ a = 1; } == { a = 1; }) ([ 1 ] != [ 2 ])
  (true -> false) (false -> true) (!true || false && true)
  "tab\there \"q\" back\\slash\nnl \${not} $${x}"
  (builtins.toString 1.5) (builtins.toString [ 1 [ ] "x" null true ])
  (builtins.bitAnd 12 10) (builtins.bitOr 12 10) (builtins.bitXor 12 10)
  (builtins.ceil 1.2) (builtins.floor (-1.2))
  x:y
  (let a = 3; in a: a)
  __curPos
]
