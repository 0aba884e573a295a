# The training run for the JVM's ahead-of-time cache (JDK 25+, see ../../../../flotilla): the
# launcher evaluates this once after each build, and the JVM records which classes it loaded and
# how the hot methods behaved, so that later commands start with them already loaded and profiled.
# It should touch what typical configurations touch: functions and closures, attribute sets and
# `//`, lists, string interpolation and builtins on strings, recursion, a fixpoint of modules with
# priorities, and JSON. It is not a test: nothing checks its value.
let
  inherit (builtins) attrNames concatStringsSep filter foldl' genList length listToAttrs mapAttrs
    replaceStrings sort stringLength substring toJSON;

  mod = a: b: a - a / b * b;
  pad = n: s: if stringLength s >= n then s else pad n ("0" + s);
  fib = n: if n < 2 then n else fib (n - 1) + fib (n - 2);
  qsort = l: if l == [ ] then [ ] else
    let p = builtins.head l; rest = builtins.tail l;
    in qsort (filter (x: x < p) rest) ++ [ p ] ++ qsort (filter (x: x >= p) rest);

  mkOverride = priority: content: { _type = "override"; inherit priority content; };
  mkDefault = mkOverride 1000;
  mkIf = condition: content: { _type = "if"; inherit condition content; };
  discharge = prio: def:
    if builtins.isAttrs def && def ? _type then
      if def._type == "if" then (if def.condition then discharge prio def.content else [ ])
      else discharge def.priority def.content
    else [ { inherit prio; value = def; } ];
  merge = defs:
    let
      flat = builtins.concatLists (map (discharge 100) defs);
      best = foldl' (m: d: if d.prio < m then d.prio else m) 9999 flat;
    in (builtins.head (filter (d: d.prio == best) flat)).value;

  modules = [
    (cfg: { port = mkDefault 80; name = "web"; tls = mkIf (cfg.port == 443) true; })
    (cfg: { port = 8080; motd = "Welcome to ${cfg.name}:${toString cfg.port}"; })
    (cfg: { tls = mkDefault false; users = genList (k: "user${toString k}") 4; })
  ];
  evalModules = extra:
    let
      defsOf = cfg: map (m: m cfg) (modules ++ extra);
      names = cfg: attrNames (foldl' (a: b: a // b) { } (defsOf cfg));
      config = listToAttrs (map (n: {
        name = n;
        value = merge (map (d: d.${n}) (filter (d: d ? ${n}) (defsOf config)));
      }) (names { port = 0; name = ""; }));
    in config;

  host = i:
    let
      role = if mod i 5 == 0 then "db" else "web";
      name = "${role}-${pad 3 (toString i)}";
      config = evalModules [ (_: { name = name; }) ];
    in {
      inherit name role config;
      ip = "10.0.${toString (i / 250)}.${toString (mod i 250)}";
      tags = [ role ] ++ (if mod i 10 == 0 then [ "canary" ] else [ ]);
      rendered = replaceStrings [ "@NAME@" "@ROLE@" ] [ name role ] "host @NAME@ is a @ROLE@\n";
      prefix = substring 0 3 name;
    };
  hosts = genList host 200;
in {
  count = length hosts;
  byName = listToAttrs (map (h: { name = h.name; value = h; }) hosts);
  json = toJSON (map (h: { inherit (h) name ip tags; }) hosts);
  sorted = sort (a: b: a < b) (map (h: h.name) hosts);
  ports = mapAttrs (_: h: h.config.port) (listToAttrs (map (h: { name = h.name; value = h; }) hosts));
  lines = concatStringsSep "\n" (map (h: h.rendered) hosts);
  numbers = qsort (genList (k: mod (k * 7919) 1000) 500);
  fib = fib 18;
  matched = builtins.match "([a-z]+)-([0-9]+)" "web-042";
  split = builtins.split "[.]" "a.b.c";
}
