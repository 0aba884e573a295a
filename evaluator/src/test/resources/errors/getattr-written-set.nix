let s = { a = 1; }; in builtins.getAttr "b" s
