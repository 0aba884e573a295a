# The options every host has (the first module of every host's evaluation). `host` is the host's
# inventory facts: { name; address; port; user; hostKey; tags; groups; vars; }.
{ lib, host, ... }:
let
  inherit (lib) mkOption types;

  mode = default: mkOption {
    type = types.strMatching "0?[0-7]{3}";
    inherit default;
    description = "Permission bits, in octal (\"${default}\").";
  };

  # A file for the store: a path value (copied into the store when the host is evaluated), a
  # derivation (its output, built before the system, e.g. `import <nix/fetchurl.nix> { ... }`) or a
  # store path. Plain absolute paths are refused: what a host gets must be pinned.
  storeFile = types.mkType {
    name = "storeFile";
    description = "path (./file, copied into the store), derivation or store path";
    check = x: builtins.isPath x || lib.isDerivation x
      || (builtins.isString x && lib.hasPrefix (builtins.storeDir + "/") x);
    merge = loc: defs:
      let v = types.mergeEqual loc defs; in
      if builtins.isPath v || lib.isDerivation v then "${v}" else v;
  };

  etcFile = types.submodule {
    options = {
      text = mkOption {
        type = types.nullOr types.lines;
        default = null;
        description = "Contents of the file (definitions from several modules are joined by newlines).";
      };
      source = mkOption {
        type = types.nullOr storeFile;
        default = null;
        description = "A file whose contents become the entry (instead of `text`).";
      };
      mode = mode "0444";
    };
  };

  service = types.submodule {
    options = {
      enable = mkOption {
        type = types.bool;
        default = true;
        description = "Whether the service is part of the system.";
      };
      command = mkOption {
        type = types.either types.str (types.nonEmptyListOf types.str);
        description = "The service's command: a string run by /bin/sh -c, or a list (argv, run directly); it must stay in the foreground.";
      };
      environment = mkOption {
        type = types.attrsOf (types.coercedTo types.int toString types.str);
        default = { };
        description = "Environment variables of the service (nothing else is inherited).";
      };
      workingDirectory = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "Directory the service starts in.";
      };
      user = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "User the service runs as (null: the agent's user).";
      };
      restart = mkOption {
        type = types.enum [ "always" "on-failure" "no" ];
        default = "on-failure";
        description = "When the supervisor restarts the service.";
      };
      after = mkOption {
        type = types.listOf types.str;
        default = [ ];
        description = "Services of this host started before this one.";
      };
    };
  };

  healthCheck = types.submodule {
    options = {
      command = mkOption { type = types.nullOr types.str; default = null; description = "Shell command; exit status 0 means healthy."; };
      http = mkOption { type = types.nullOr types.str; default = null; description = "URL fetched with GET."; };
      tcp = mkOption { type = types.nullOr types.str; default = null; description = "\"host:port\" that must accept a connection."; };
      expectStatus = mkOption { type = types.nullOr (types.ints.between 100 599); default = null; description = "HTTP status expected (200 when null)."; };
      expectBody = mkOption { type = types.nullOr types.str; default = null; description = "Text the HTTP response body must contain."; };
      timeoutSeconds = mkOption { type = types.nullOr types.ints.positive; default = null; description = "Time per attempt (10 when null)."; };
      retries = mkOption { type = types.nullOr types.ints.positive; default = null; description = "Attempts before the check fails (3 when null)."; };
      intervalSeconds = mkOption { type = types.nullOr types.ints.unsigned; default = null; description = "Pause between attempts (1 when null)."; };
    };
  };

  activationScript = types.coercedTo types.lines (text: { inherit text; }) (types.submodule {
    options = {
      text = mkOption { type = types.lines; description = "Shell script run (by /bin/sh) when the system is activated."; };
      timeoutSeconds = mkOption { type = types.ints.positive; default = 60; description = "Time the script may take."; };
      after = mkOption { type = types.listOf types.str; default = [ ]; description = "Activation scripts run before this one."; };
    };
  });

  secret = types.submodule ({ name, ... }: {
    options = {
      path = mkOption {
        type = types.str;
        default = "/run/flotilla/secrets/${name}";
        description = "Where the agent writes the secret on the host.";
      };
      owner = mkOption { type = types.str; default = "root"; description = "Owner of the secret file."; };
      group = mkOption { type = types.nullOr types.str; default = null; description = "Group of the secret file (null: the agent's choice, a group named like the owner if any)."; };
      mode = mode "0400";
    };
  });
in
{
  options = {
    environment.etc = mkOption {
      type = types.attrsOf etcFile;
      default = { };
      description = "Files linked into /etc on the host, by name relative to /etc (\"nginx/nginx.conf\").";
    };
    environment.packages = mkOption {
      type = types.listOf types.package;
      default = [ ];
      description = "Packages (store paths) whose files are linked into the system's sw/ directory.";
    };
    services = mkOption {
      type = types.attrsOf service;
      default = { };
      description = "Long-running processes the agent supervises.";
    };
    healthChecks = mkOption {
      type = types.attrsOf healthCheck;
      default = { };
      description = "Checks run after every switch; one of command, http or tcp each.";
    };
    activation.scripts = mkOption {
      type = types.attrsOf activationScript;
      default = { };
      description = "Scripts run when the system is activated, by name (a string, or { text; timeoutSeconds; }).";
    };
    deployment = {
      targetHost = mkOption {
        type = types.str;
        default = host.address;
        description = "Address the deployer connects to (the inventory's address by default).";
      };
      targetPort = mkOption {
        type = types.port;
        default = host.port;
        description = "SSH port of the host's agent (the inventory's port by default).";
      };
      tags = mkOption {
        type = types.listOf types.str;
        description = "Tags of the host for selectors (@tag); the inventory's tags plus any defined here.";
      };
      hostKey = mkOption {
        type = types.nullOr types.str;
        default = host.hostKey or null;
        description = "The host's pinned SSH host key (the inventory's host_key by default).";
      };
    };
    secrets = mkOption {
      type = types.attrsOf secret;
      default = { };
      description = "Secrets the host needs: declared here, their contents delivered by the agent at activation, never stored in the store.";
    };
  };

  config.deployment.tags = host.tags or [ ];
}
