# (c) Module-merge-heavy: a small NixOS-like module system in plain Nix (mkIf, mkMerge,
# mkOverride/mkDefault/mkForce, priorities, list concatenation, a config fixpoint), evaluating
# `hosts` machines built from `services` service modules plus per-host modules.
{ hosts ? 40, services ? 60 }:
let
  inherit (builtins) attrNames concatLists filter foldl' genList head isAttrs isList length listToAttrs map tail;

  mkOverride = priority: content: { _type = "override"; inherit priority content; };
  mkDefault = mkOverride 1000;
  mkForce = mkOverride 50;
  mkIf = condition: content: { _type = "if"; inherit condition content; };
  mkMerge = contents: { _type = "merge"; inherit contents; };

  # Definitions of one option path: flatten mkMerge, drop false mkIf, keep priorities.
  discharge = prio: def:
    if isAttrs def && def ? _type then
      if def._type == "merge" then concatLists (map (discharge prio) def.contents)
      else if def._type == "if" then (if def.condition then discharge prio def.content else [ ])
      else if def._type == "override" then discharge def.priority def.content
      else [ { inherit prio; value = def; } ]
    else [ { inherit prio; value = def; } ];

  isSet = v: isAttrs v && !(v ? _type);

  mergeDefs = defs:
    let
      flat = concatLists (map (discharge 100) defs);
      best = foldl' (m: d: if d.prio < m then d.prio else m) 9999 flat;
      winners = map (d: d.value) (filter (d: d.prio == best) flat);
    in
      if flat == [ ] then throw "option has no definitions"
      else if isSet (head winners) then mergeSets winners
      else if isList (head winners) then concatLists winners
      else foldl' (a: b: if a == b then b else b) (head winners) (tail winners);

  mergeSets = sets:
    let names = attrNames (foldl' (a: b: a // b) { } sets);
    in listToAttrs (map (n: { name = n; value = mergeDefs (concatLists (map (s: if s ? ${n} then [ s.${n} ] else [ ]) sets)); }) names);

  evalModules = modules:
    let config = mergeSets (map (m: m { inherit config; }) modules);
    in config;

  serviceModule = k: { config, ... }:
    let name = "svc${toString k}"; cfg = config.services.${name}; in {
      services.${name} = {
        enable = mkDefault (k / 3 * 3 == k);
        port = mkDefault (8000 + k);
        user = mkDefault name;
        extraArgs = [ "--port" (toString cfg.port) ];
      };
      users = mkIf cfg.enable { ${name} = { uid = 2000 + k; groups = [ "services" ]; }; };
      networking.firewall.allowedTCPPorts = mkIf cfg.enable [ cfg.port ];
      environment.etc = mkIf cfg.enable {
        "${name}.conf".text = "listen ${toString cfg.port}\nuser ${cfg.user}\nargs ${builtins.concatStringsSep " " cfg.extraArgs}\n";
      };
      systemd.units = mkIf cfg.enable (mkMerge [
        { "${name}.service" = { wantedBy = [ "multi-user.target" ]; restart = mkDefault "on-failure"; }; }
        { "${name}.service".after = [ "network.target" ]; }
      ]);
    };

  baseModule = { config, ... }: {
    networking.hostName = mkDefault "nixos";
    networking.firewall.enable = mkDefault true;
    networking.firewall.allowedTCPPorts = [ 22 ];
    users.root = { uid = 0; groups = [ "wheel" ]; };
    environment.etc."hostname".text = config.networking.hostName + "\n";
    system.stateVersion = mkDefault "22.05";
  };

  hostModule = i: { config, ... }: {
    networking.hostName = "host${toString i}";
    services = listToAttrs (genList (k: { name = "svc${toString (k * 5)}"; value.enable = mkForce (i / 2 * 2 == i); }) (services / 5));
    system.stateVersion = "22.11";
  };

  machine = i: evalModules ([ baseModule (hostModule i) ] ++ genList serviceModule services);
  machines = genList machine hosts;
in {
  ports = map (m: length m.networking.firewall.allowedTCPPorts) machines;
  etc = map (m: length (attrNames m.environment.etc)) machines;
  units = foldl' (n: m: n + length (attrNames m.systemd.units)) 0 machines;
  sample = (head machines).environment.etc."svc3.conf".text;
}
