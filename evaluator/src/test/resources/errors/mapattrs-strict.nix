builtins.mapAttrs (n: v: v.a) { x = 1; }
