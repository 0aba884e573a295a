# How Nix 2.8 prints shared values: «repeated» by pointer identity (expected output from nix-instantiate 2.8)
let
  s = { a = 1; b = s; };
  l = [ 1 ];
  l3 = [ 1 2 3 ];
  a = { x = 1; };
  e = { };
  c = { p = [ 1 ]; q = [ 1 2 3 ]; };
in [
  s
  [ l l ]
  [ l3 l3 ]
  [ a a { y = a; } ]
  [ e e [ ] [ ] ]
  { p = a; q = a // { }; r = { } // a; }
  [ c.p c.p c.q c.q ]
  [ (l3 ++ [ ]) l3 ]
]
