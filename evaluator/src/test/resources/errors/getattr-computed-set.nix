builtins.getAttr "b" (builtins.mapAttrs (n: v: v) { a = 1; })
