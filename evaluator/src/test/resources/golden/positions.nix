# Where Nix 2.8 says attributes are defined (unsafeGetAttrPos), for the cases it is particular about.
let
  pos = n: s: let p = builtins.unsafeGetAttrPos n s; in if p == null then null else { inherit (p) line column; };
  a = 1;
  b = 2;
  set = { a = 1; b = 2; };
  drv = derivation { name = "x"; builder = "/bin/sh"; system = "x86_64-linux"; outputs = [ "out" "dev" ]; };
in {
  # inherit: every name is placed right after the keyword (or the closing parenthesis)
  inherited = pos "b" { inherit   a    b; };
  inheritedFrom = pos "b" { inherit (set)   a
    b; };
  recInherited = pos "a" (rec { c = 1; inherit a; });
  # builtins that make new attributes
  mapped = pos "a" (builtins.mapAttrs (n: v: v) set);
  fromList = pos "k" (builtins.listToAttrs [ { name = "k";
    value = 1; } ]);
  updated = pos "a" ({ z = 0; } // set);
  removed = pos "b" (builtins.removeAttrs set [ "a" ]);
  intersected = pos "a" (builtins.intersectAttrs { a = null; } set);
  formals = pos "y" (builtins.functionArgs ({ x, y ? 1 }: x));
  json = pos "a" (builtins.fromJSON "{\"a\": 1}");
  # the attributes the built-in derivation wrapper adds
  derivation = map (n: pos n drv) [ "all" "drvAttrs" "outPath" "drvPath" "type" "outputName" "out" "dev" ];
  curPos = { inherit (__curPos) line column; };
}
