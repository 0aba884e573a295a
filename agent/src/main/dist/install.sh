#!/bin/sh
# install.sh: installs or upgrades the Flotilla agent from an unpacked agent bundle, on the host itself
# (becomes share/install.sh in the bundle; `flotilla bootstrap HOST` runs it over the host's OpenSSH).
#
#   share/install.sh --bundle DIR --prefix /opt/flotilla-agent --root / --listen 0.0.0.0:2222 \
#       --authorized-key 'ssh-ed25519 AAAA… operator' --trusted-key 'flotilla-1:BASE64' [--no-systemd]
#
# --bundle: the unpacked bundle to install (moved to --prefix; may be --prefix itself for a re-run).
# --root: the agent's root (what it manages); its settings live in ROOT/etc/flotilla.
# Keys are added to ROOT/etc/flotilla/{authorized_keys,store-key.pub} when missing, never removed.
# The agent's host key (ROOT/etc/flotilla/ssh_host_ed25519_key) is made once and then kept.
# With systemd running (and no --no-systemd) the agent is the unit flotilla-agent.service; otherwise it
# runs detached (setsid, pid in ROOT/flotilla/var/agent.pid, log in ROOT/flotilla/var/log/agent.log).
# The agent is (re)started only when something changed or it is not running.
# Prints `key: value` lines ending with `host-key: <the agent's public host key>`.
set -euf   # no globbing: key lines are split into words below

die() { echo "install.sh: $*" >&2; exit 1; }

bundle= prefix=/opt/flotilla-agent root=/ listen=0.0.0.0:2222 authorized= trusted= systemd=auto
while [ $# -gt 0 ]; do
    case "$1" in
        --bundle) bundle=${2:?}; shift 2 ;;
        --prefix) prefix=${2:?}; shift 2 ;;
        --root) root=${2:?}; shift 2 ;;
        --listen) listen=${2:?}; shift 2 ;;
        --authorized-key) authorized=${2:?}; shift 2 ;;
        --trusted-key) trusted=${2:?}; shift 2 ;;
        --no-systemd) systemd=no; shift ;;
        *) die "unknown argument $1" ;;
    esac
done
[ -n "$bundle" ] || die "--bundle DIR is required"
[ -x "$bundle/bin/flotilla-agent" ] || die "$bundle is not an agent bundle (no bin/flotilla-agent)"
case "$prefix" in /*) ;; *) die "--prefix must be absolute: $prefix" ;; esac
case "$root" in /*) ;; *) die "--root must be absolute: $root" ;; esac
root=${root%/}
conf="$root/etc/flotilla"
var="$root/flotilla/var"
pidfile="$var/agent.pid"
log="$var/log/agent.log"
changed=

if [ "$systemd" = auto ]; then
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then systemd=yes; else systemd=no; fi
fi

# 1. The bundle in place: the previous one stays as PREFIX.old until the new agent is started (a running
#    agent keeps its open files either way).
bundle=$(cd "$bundle" && pwd)
if [ "$bundle" != "$prefix" ]; then
    mkdir -p "$(dirname "$prefix")"
    rm -rf "$prefix.old"
    if [ -e "$prefix" ]; then mv "$prefix" "$prefix.old"; fi
    mv "$bundle" "$prefix"
    # The staging directory bootstrap unpacked into, now empty.
    if [ "$(dirname "$bundle")" = "$prefix.new" ]; then rmdir "$prefix.new" 2>/dev/null || true; fi
    changed=bundle
    # Bundles before 2026-11-22 kept a dynamic class-data archive here; the launcher now keeps an AOT cache beside it.
    rm -f "$root/var/lib/flotilla-agent/flotilla-agent.jsa" "$root/var/lib/flotilla-agent/flotilla-agent.jsa.stamp"
fi

# 2. Settings: keys are appended when missing, so other deployers' keys survive a re-run.
umask 077
mkdir -p "$conf" "$var/log"
chmod 0700 "$conf"
add_line() {   # FILE LINE MATCH: appends LINE unless a line of FILE contains MATCH
    touch "$1"
    if ! grep -qF -- "$3" "$1"; then
        printf '%s\n' "$2" >> "$1"
        changed="$changed $(basename "$1")"
    fi
}
if [ -n "$authorized" ]; then
    # Match on the key itself (type and base64), not the comment.
    set -- $authorized
    add_line "$conf/authorized_keys" "$authorized" "$1 $2"
fi
if [ -n "$trusted" ]; then
    name=${trusted%%:*}
    if [ -f "$conf/store-key.pub" ] && grep -q "^$name:" "$conf/store-key.pub" \
            && ! grep -qxF -- "$trusted" "$conf/store-key.pub"; then
        die "$conf/store-key.pub already trusts another key named '$name'; remove that line first if it is no longer wanted"
    fi
    add_line "$conf/store-key.pub" "$trusted" "$trusted"
fi
[ -s "$conf/authorized_keys" ] || die "$conf/authorized_keys is empty: pass --authorized-key"
[ -s "$conf/store-key.pub" ] || die "$conf/store-key.pub is empty: pass --trusted-key"
if [ ! -f "$conf/ssh_host_ed25519_key" ]; then
    "$prefix/bin/flotilla-agent" keygen "$conf/ssh_host_ed25519_key" --comment "flotilla-agent@$(hostname)" >/dev/null
    changed="$changed host-key"
fi
env_file="$conf/agent.env"
if [ "$(cat "$env_file" 2>/dev/null || true)" != "FLOTILLA_AGENT_LISTEN=$listen" ]; then
    echo "FLOTILLA_AGENT_LISTEN=$listen" > "$env_file"
    changed="$changed listen"
fi
umask 022

# 3. Stop an agent this script started detached earlier (also when it is now moving to systemd).
detached_pid() {
    [ -f "$pidfile" ] || return 1
    p=$(cat "$pidfile")
    [ -n "$p" ] && [ -r "/proc/$p/cmdline" ] && tr '\0' ' ' < "/proc/$p/cmdline" | grep -q 'dev.flotilla.agent.AgentMain run' \
        && echo "$p"
}
stop_detached() {
    p=$(detached_pid) || return 0
    kill -TERM "$p" 2>/dev/null || return 0
    i=0
    while [ -d "/proc/$p" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
    if [ -d "/proc/$p" ]; then kill -KILL "$p" 2>/dev/null || true; fi
    rm -f "$pidfile"
}

if [ "$systemd" = yes ]; then
    stop_detached
    unit=/etc/systemd/system/flotilla-agent.service
    # The shipped unit names /opt/flotilla-agent, /etc/flotilla and root /: point them at this install.
    sed -e "s:/opt/flotilla-agent:$prefix:g" -e "s:/etc/flotilla/:$conf/:g" -e "s:--root / :--root ${root:-/} :" \
        "$prefix/share/flotilla-agent.service" > "$unit.tmp"
    if ! cmp -s "$unit.tmp" "$unit"; then mv "$unit.tmp" "$unit"; changed="$changed unit"; else rm -f "$unit.tmp"; fi
    systemctl daemon-reload
    systemctl enable --quiet flotilla-agent
    if [ -n "$changed" ] || ! systemctl is-active --quiet flotilla-agent; then
        systemctl restart flotilla-agent
        echo "started: systemd"
    else
        echo "started: already-running"
    fi
    echo "log: journalctl -u flotilla-agent"
else
    if [ -n "$changed" ] || ! detached_pid >/dev/null; then
        stop_detached
        cds="$root/var/lib/flotilla-agent/flotilla-agent.aot"
        # setsid: its own session, so the agent outlives this SSH session; no fd left open on it.
        FLOTILLA_AGENT_CDS=$cds setsid "$prefix/bin/flotilla-agent" run --root "${root:-/}" --listen "$listen" \
            --host-key "$conf/ssh_host_ed25519_key" --authorized-keys "$conf/authorized_keys" \
            --trusted-key "$conf/store-key.pub" >> "$log" 2>&1 < /dev/null &
        echo $! > "$pidfile"
        echo "started: detached"
    else
        echo "started: already-running"
    fi
    echo "pid: $(cat "$pidfile")"
    echo "log: $log"
fi
rm -rf "$prefix.old"
echo "changed: $(echo ${changed:-nothing})"   # unquoted: trims the leading blank
echo "host-key: $(cat "$conf/ssh_host_ed25519_key.pub")"
