# Version 1 of the demo fleet's configuration. Every host evaluates this
# function with its own inventory facts as `host`.
{ host, hosts, ... }:
let
  common = import ./common.nix { inherit host; };
in
{
  environment.etc = common.etc // {
    "motd".text = ''
      Welcome to ${host.name} (${host.vars.role} tier, one of ${toString (builtins.length hosts)} hosts).
      Managed by Flotilla: this file is replaced on every deploy.
    '';
  };

  # Runs on the host after the switch, from the host's root directory.
  healthChecks.motd = {
    command = "grep -q 'Welcome to ${host.name}' etc/motd";
    retries = 1;
  };
}
