# The web tier: a reverse proxy in front of the application.
{ config, lib, ... }:
{
  environment.etc."proxy/proxy.conf".source = ../files/proxy.conf;
  environment.etc."proxy/upstream.conf".text = ''
    upstream webapp { server 127.0.0.1:${toString config.app.port}; }
  '';

  activation.scripts.proxy-reload = ''
    echo "proxy configuration at $FLOTILLA_SYSTEM/etc/proxy"
  '';
}
