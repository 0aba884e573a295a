# Evaluates one host of a fleet folder. The folder's fleet.nix is an attribute set (or a function
# of { lib, hosts } returning one):
#
#   { defaults = <modules for every host>;
#     groups.<group> = <modules for the hosts of an inventory group>;
#     tags.<tag> = <modules for the hosts with a tag>;
#     hosts.<name> = <modules for one host>; }
#
# where each <modules> is one module or a list of modules. A host's modules are the built-in host
# options, then defaults, its groups (sorted), its tags (sorted), and its own entry.
{ lib, hostOptions }:
{ fleet, fleetFile, root, host, hosts }:
let
  inherit (builtins) attrNames concatMap filter isAttrs isFunction isPath removeAttrs;

  spec = if isFunction fleet then fleet { inherit lib hosts; } else fleet;

  known = [ "defaults" "groups" "tags" "hosts" ];
  allGroups = lib.unionOfNames (map (h: lib.genAttrs h.groups (_: null)) (builtins.attrValues hosts));
  allTags = lib.unionOfNames (map (h: lib.genAttrs h.tags (_: null)) (builtins.attrValues hosts));

  unknownIn = what: names: valid:
    let bad = filter (n: !(builtins.elem n valid)) names; in
    if bad == [ ] then [ ]
    else [ "${lib.showFile root fleetFile}: ${what}.${lib.showName (builtins.head bad)} names no ${what} of the inventory (known: ${builtins.concatStringsSep ", " valid})" ];

  problems =
    if !isAttrs spec then [ "${lib.showFile root fleetFile}: must be an attribute set { defaults; groups; tags; hosts; } or a function returning one, not ${lib.describeValue spec}" ]
    else
      (let stray = attrNames (removeAttrs spec known); in
        if stray == [ ] then [ ]
        else [ "${lib.showFile root fleetFile}: unknown attribute `${builtins.head stray}'; fleet.nix has ${builtins.concatStringsSep ", " known}" ])
      ++ unknownIn "hosts" (attrNames (spec.hosts or { })) (attrNames hosts)
      ++ unknownIn "groups" (attrNames (spec.groups or { })) allGroups
      ++ unknownIn "tags" (attrNames (spec.tags or { })) allTags;

  entry = where: v:
    lib.imap1 (i: m:
      if isPath m then m
      else { _file = fleetFile; imports = [ m ]; }) (lib.toList v);

  pick = kind: names: concatMap (n: entry "${kind}.${n}" spec.${kind}.${n}) (filter (n: (spec.${kind} or { }) ? ${n}) names);

  modules =
    [ hostOptions ]
    ++ entry "defaults" (spec.defaults or [ ])
    ++ pick "groups" host.groups
    ++ pick "tags" host.tags
    ++ entry "hosts.${host.name}" (spec.hosts.${host.name} or [ ]);

  result = lib.evalModules { inherit modules root; specialArgs = { inherit host hosts; }; };
  cfg = result.config;
  nonNull = lib.filterAttrs (n: v: v != null);
in
if problems != [ ] then throw (builtins.concatStringsSep "\n" problems)
else {
  config = removeAttrs cfg [ "_module" ];
  # What becomes the host's system toplevel, in the shape store-copy's SystemConfig reads.
  system = {
    environment = {
      etc = builtins.mapAttrs (n: e: nonNull e) cfg.environment.etc;
      packages = map (p: "${p}") cfg.environment.packages;
    };
    services = builtins.mapAttrs (n: s: removeAttrs s [ "enable" ]) (lib.filterAttrs (n: s: s.enable) cfg.services);
    healthChecks = builtins.mapAttrs (n: c: nonNull c) cfg.healthChecks;
    activation.scripts = cfg.activation.scripts;
    secrets = builtins.mapAttrs (n: s: nonNull s) cfg.secrets;
  };
  deployment = cfg.deployment // { tags = lib.uniqueStrings cfg.deployment.tags; };
  files = result.files;
}
