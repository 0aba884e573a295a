{ host, hosts, ... }:
let
  greeting = name: "Hello from ${name}";
in
{
  environment.etc."motd".text = ''
    ${greeting host.name}
    fleet size: ${toString (builtins.length hosts)}
  '';
  environment.etc."app/version".text = "1\n";
  healthChecks.motd.command = "grep -q '${greeting host.name}' etc/motd";
}
