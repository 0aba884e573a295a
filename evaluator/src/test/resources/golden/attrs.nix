let
  base = { a = 1; b.c = 2; b.d = 3; "quoted key" = 4; ${"dyn" + "amic"} = 5; };
  r = rec { x = 1; y = x + 1; z = { inherit x y; }; };
  s = "b";
in {
  inherit base;
  rec1 = r;
  sel = [ base.b.c base.${s}.d (base.nope or "default") (base ? b.c) (base ? nope) ];
  upd = base // { a = 10; e = 6; };
  names = builtins.attrNames base;
  values = builtins.attrValues { b = 2; a = 1; };
  listToAttrs = builtins.listToAttrs [ { name = "x"; value = 1; } { name = "x"; value = 2; } { name = "y"; value = 3; } ];
  mapAttrs = builtins.mapAttrs (n: v: "${n}=${toString v}") { p = 1; q = 2; };
  removed = builtins.removeAttrs base [ "a" "b" ];
  intersect = builtins.intersectAttrs { a = 0; b = 0; } base;
  cat = builtins.catAttrs "a" [ { a = 1; } { b = 2; } { a = 3; } ];
  zip = builtins.zipAttrsWith (n: vs: vs) [ { a = 1; } { a = 2; b = 3; } ];
  groups = builtins.groupBy (x: if x > 2 then "big" else "small") [ 1 2 3 4 ];
  withs = with { w = 1; }; with { w = 2; v = 3; }; [ w v ];
  letIn = let a = 1; b = a + 1; in b;
  legacy = let { x = 1; body = x + 1; };
  functor = { __functor = self: x: self.k + x; k = 10; } 5;
  formals = [
    (({ a, b ? a + 1, ... }@args: [ a b (builtins.length (builtins.attrNames args)) ]) { a = 1; c = 3; })
    (builtins.functionArgs ({ x, y ? 1 }: x))
  ];
}
