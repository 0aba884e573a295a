let
  name = "world";
  ind = ''
    hello ${name}
      indented
    dollar ''${x} quote ''' tab''\tend
  '';
in [
  ind
  ''  one line  ''
  ''
      a
     b
  ''
  "${name}-${toString 42}"
  (builtins.substring 1 3 "abcdef")
  (builtins.substring 4 (-1) "abcdef")
  (builtins.stringLength "café")
  (builtins.replaceStrings [ "a" "" ] [ "A" "-" ] "banana")
  (builtins.concatStringsSep ", " [ "a" "b" "c" ])
  (builtins.hashString "sha256" "hello\n")
  (builtins.match "([a-z]+)-([0-9.]+)" "hello-1.2.3")
  (builtins.match "[[:alpha:]]+" "abc1")
  (builtins.split "(,)|(;)" "a,b;c")
  (builtins.splitVersion "1.2.3pre4")
  (builtins.compareVersions "1.2.3" "1.2.10")
  (builtins.parseDrvName "nix-2.8.0pre")
  (builtins.toJSON { a = [ 1 2.5 "x\n" null true ]; b = { c = "d"; }; })
  (builtins.fromJSON ''{"x": [1, 2.5, "\u00e9"], "y": {"z": null}}'')
]
