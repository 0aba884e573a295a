# The database tier: the database service, its password as a secret, a TCP health check.
{ config, lib, host, ... }:
{
  environment.etc."db/db.conf".text = ''
    listen_addresses = '${host.address}'
    max_connections = 200
  '';

  secrets.db-password = {
    owner = "postgres";
  };

  services.db = {
    command = "postgres -D /var/lib/postgresql -c config_file=/etc/db/db.conf";
    user = "postgres";
    workingDirectory = "/var/lib/postgresql";
    environment.PGPASSFILE = config.secrets.db-password.path;
  };

  activation.scripts.db-dirs = {
    text = "mkdir -p /var/lib/postgresql";
    timeoutSeconds = 10;
  };

  healthChecks.db = {
    tcp = "127.0.0.1:5432";
    timeoutSeconds = 5;
  };
}
