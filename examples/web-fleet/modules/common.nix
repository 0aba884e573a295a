# Everything every host has: a motd, the fleet tools, a basic health check.
{ config, lib, host, hosts, ... }:
{
  environment.etc.motd.text = ''
    ${host.name} (${host.vars.role or "unassigned"}) in ${host.vars.datacenter}
    Managed by Flotilla: files under /etc/static are replaced at every switch.
  '';

  environment.etc."flotilla/hosts".text =
    lib.concatMapStrings (h: "${h.name} ${h.address}\n") (lib.attrValues hosts);

  environment.packages = [ ../packages/fleet-tools ];

  healthChecks.etc = {
    command = "test -f etc/motd";
    retries = 2;
  };
}
