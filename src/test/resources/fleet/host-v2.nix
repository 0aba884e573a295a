{ host, hosts, ... }:
let
  v1 = import ./host.nix { inherit host hosts; };
in
v1 // {
  environment.etc = v1.environment.etc // { "app/version".text = "2\n"; };
  healthChecks = v1.healthChecks // {
    # Fails where the inventory marks the host as broken.
    app.command = if host.vars.broken or false then "echo 'app is broken' >&2; exit 1" else "true";
    app.retries = 1;
  };
}
