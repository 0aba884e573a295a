# (a) A synthetic fleet of 2,000 hosts: per-host settings computed from the host number, role
# defaults merged with //, generated service lists, firewall rules, users and a rendered config
# file per host. Evaluated with --eval --strict.
{ hosts ? 2000 }:
let
  mod = a: b: a - a / b * b;
  roles = {
    web = { services = [ "nginx" "node-exporter" ]; ports = [ 80 443 ]; memoryMb = 2048; };
    cache = { services = [ "redis" "node-exporter" ]; ports = [ 6379 ]; memoryMb = 8192; };
    db = { services = [ "postgresql" "node-exporter" "backup" ]; ports = [ 5432 ]; memoryMb = 16384; };
  };
  roleOf = i: if mod i 10 == 0 then "db" else if mod i 10 < 3 then "cache" else "web";
  pad = n: s: if builtins.stringLength s >= n then s else pad n ("0" + s);
  dcs = [ "fra1" "ams2" "lon3" "nyc1" ];
  mkUser = name: uid: { inherit name uid; home = "/home/${name}"; groups = [ "users" ] ++ (if uid < 1003 then [ "wheel" ] else [ ]); };
  mkHost = i:
    let
      role = roleOf i;
      base = roles.${role};
      name = "${role}-${pad 4 (toString i)}";
      dc = builtins.elemAt dcs (mod i (builtins.length dcs));
      ip = "10.${toString (builtins.div i 250)}.${toString (mod i 250)}.${toString (1 + mod (i * 7) 200)}";
      canary = mod i 50 == 0;
    in base // {
      inherit name role dc ip canary;
      fqdn = "${name}.${dc}.example.net";
      tags = [ role dc ] ++ (if canary then [ "canary" ] else [ ]);
      firewall = map (p: { port = p; proto = "tcp"; from = if p == 443 || p == 80 then "0.0.0.0/0" else "10.0.0.0/8"; }) base.ports;
      users = builtins.genList (k: mkUser "user${toString k}" (1000 + k)) 5;
      units = builtins.listToAttrs (map (s: { name = s; value = { enable = true; restart = "always"; after = [ "network.target" ]; }; }) base.services);
      memoryMb = if canary then base.memoryMb / 2 else base.memoryMb;
      motd = builtins.concatStringsSep "\n" [ "Welcome to ${name}" "role: ${role}" "dc: ${dc}" "services: ${builtins.concatStringsSep ", " base.services}" ];
      config = builtins.toJSON { inherit name ip; ports = base.ports; };
    };
  all = builtins.genList mkHost hosts;
in {
  count = builtins.length all;
  byName = builtins.listToAttrs (map (h: { name = h.name; value = h; }) all);
  canaries = map (h: h.name) (builtins.filter (h: h.canary) all);
  totalMemoryMb = builtins.foldl' (acc: h: acc + h.memoryMb) 0 all;
}
