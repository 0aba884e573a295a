# Version 2: adds the application's configuration and a health check that
# validates it. A host whose inventory gives a bad value fails that check,
# and its agent rolls it back to the previous generation.
{ host, hosts, ... }:
let
  v1 = import ./host.nix { inherit host hosts; };
  maxConnections = toString host.vars.max_connections;
in
v1 // {
  environment.etc = v1.environment.etc // {
    "app/app.conf".text = ''
      listen = 0.0.0.0:8080
      max_connections = ${maxConnections}
    '';
  };

  healthChecks = v1.healthChecks // {
    app-config = {
      command = "grep -Eq '^max_connections = [0-9]+$' etc/app/app.conf";
      retries = 2;
      intervalSeconds = 1;
    };
  };
}
