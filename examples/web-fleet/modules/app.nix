# The web application: options of its own, a supervised service and an HTTP health check.
{ config, lib, host, ... }:
let
  inherit (lib) mkOption types;
  cfg = config.app;
in
{
  options.app = {
    port = mkOption {
      type = types.port;
      default = host.vars.app_port or 8080;
      description = "Port the application listens on.";
    };
    workers = mkOption {
      type = types.ints.positive;
      default = 2;
      description = "Worker processes.";
    };
    logLevel = mkOption {
      type = types.enum [ "debug" "info" "warn" "error" ];
      default = "info";
      description = "Log level of the application.";
    };
  };

  config = {
    environment.packages = [ ../packages/webapp ];

    environment.etc."webapp/webapp.conf".text = ''
      port = ${toString cfg.port}
      workers = ${toString cfg.workers}
      log_level = ${cfg.logLevel}
    '';

    services.webapp = {
      command = "${../packages/webapp}/bin/webapp /etc/webapp/webapp.conf";
      environment = {
        WEBAPP_PORT = cfg.port;
        WEBAPP_HOST = host.name;
      };
      restart = "always";
    };

    healthChecks.webapp = {
      http = "http://127.0.0.1:${toString cfg.port}/health";
      expectStatus = 200;
      expectBody = "ok";
      retries = 5;
      intervalSeconds = 1;
    };
  };
}
