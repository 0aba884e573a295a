# Shared by every host: a function of the host's inventory facts.
{ host }:
{
  etc."flotilla/host.conf".text = ''
    name = ${host.name}
    role = ${host.vars.role}
    groups = ${builtins.concatStringsSep " " host.groups}
  '';
}
