# Which modules each host gets. A host's modules are the built-in host options, then
# `defaults`, then those of its inventory groups, of its tags, and its own entry.
{ lib, hosts, ... }:
{
  defaults = ./modules/common.nix;

  groups.web = [ ./modules/app.nix ./modules/web.nix ];
  groups.db = ./modules/db.nix;

  # The canary runs the release candidate with more logging before the rest of the tier.
  tags.canary = {
    app.logLevel = "debug";
    environment.etc."flotilla/channel".text = "canary";
  };

  hosts.web-3 = {
    # web-3 is the bigger machine.
    app.workers = 8;
  };
}
