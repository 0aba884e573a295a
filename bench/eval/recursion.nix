# (b) Recursion-heavy: naive Fibonacci, a recursive list sort, a deep non-tail recursion and
# Ackermann, all plain function calls and arithmetic.
let
  fib = n: if n < 2 then n else fib (n - 1) + fib (n - 2);
  qsort = l:
    if l == [ ] then [ ]
    else
      let p = builtins.head l; rest = builtins.tail l; in
      qsort (builtins.filter (x: x < p) rest) ++ [ p ] ++ qsort (builtins.filter (x: x >= p) rest);
  sumTo = n: if n == 0 then 0 else n + sumTo (n - 1);
  ack = m: n: if m == 0 then n + 1 else if n == 0 then ack (m - 1) 1 else ack (m - 1) (ack m (n - 1));
  pseudo = builtins.genList (i: (i * 7919) - (i * 7919) / 10007 * 10007) 3000;
in {
  fib = fib 24;
  sorted = builtins.elemAt (qsort pseudo) 1500;
  deep = sumTo 20000;
  ack = ack 2 300;
}
