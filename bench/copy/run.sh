#!/usr/bin/env bash
# bench/copy: Flotilla's store copy against nix-copy-closure (Nix 2.8) and rsync -e ssh.
#
#   (a) fat:  a ~1 GiB closure of mixed files, over loopback
#   (b) slow: 5,000 small paths, 50 ms round trip, between two network namespaces
#
# Prints the raw seconds and ratio_vs_nix_fat=, ratio_vs_rsync_fat=, ratio_vs_nix_slow= (their time
# divided by ours: above 1 means Flotilla was faster). Every tool is timed as a whole command,
# connection set-up included, into an empty destination. Needs root, Nix 2.8 (apt-get install
# nix-bin), OpenSSH (openssh-server openssh-client), rsync, iproute2 and python3; builds the CLI
# if needed. All traffic stays on this machine: loopback, and a veth pair between two namespaces
# of our own (10.213.0.1 <-> 10.213.0.2).
#
# Environment: FAT_MIB (default 1024), SLOW_PATHS (5000), RTT_MS (50), KEEP=1 to keep the work dir,
# BENCH_CLASSPATH to run other jars than cli/target's, PARTS="fat" or "slow" to run one case only
# (the ratios of the other are then not printed), OPENSSH_CIPHER (aes128-gcm@openssh.com, as MINA's
# first choice; "default" for OpenSSH's own), PROFILE_OPTS (JVM options for the agent and the timed
# copies only, e.g. -XX:StartFlightRecording=filename=/tmp/rec-%p.jfr,settings=profile).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
FAT_MIB="${FAT_MIB:-1024}"
SLOW_PATHS="${SLOW_PATHS:-5000}"
RTT_MS="${RTT_MS:-50}"
PARTS="${PARTS:-fat slow}"
OPENSSH_CIPHER="${OPENSSH_CIPHER:-aes128-gcm@openssh.com}"
PROFILE_OPTS="${PROFILE_OPTS:-}"
part() { case " $PARTS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
NS_C=flb-client
NS_S=flb-server
IP_C=10.213.0.1
IP_S=10.213.0.2

die() { echo "bench/copy: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (network namespaces, sshd, a root-owned Nix store)"
for c in nix-store nix-copy-closure ssh ssh-keygen rsync ip python3; do
    command -v "$c" >/dev/null || die "missing $c (apt-get install -y nix-bin openssh-server openssh-client rsync iproute2)"
done
[ -x /usr/sbin/sshd ] || die "missing /usr/sbin/sshd (apt-get install -y openssh-server)"
export LC_ALL=C.UTF-8

JAVA_HOME="$("$repo/.mvn/find-jdk.sh")"
JAVA=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED)
if [ -z "${BENCH_CLASSPATH:-}" ]; then
    # The launcher builds what is out of date (and its start-up cache) now, so that no timed run does.
    flock /tmp/flotilla-build.lock "$repo/flotilla" --version >/dev/null
fi
CP="${BENCH_CLASSPATH:-$repo/cli/target/flotilla-cli.jar:$repo/cli/target/lib/*}"
store() { "${JAVA[@]}" -Xmx1g -cp "$CP" dev.flotilla.cli.store.StoreCommand "$@"; }
# Both sides run as shipped: the agent with its bundle's JVM options (dev.flotilla.agent.AgentJvm), the copy
# as ./flotilla runs it (its launcher, start-up cache included); with BENCH_CLASSPATH, a JVM with the
# launcher's options for store commands.
mapfile -t AGENT_JVM < <("${JAVA[@]}" -cp "$CP" dev.flotilla.agent.AgentJvm)
[ "${#AGENT_JVM[@]}" -gt 3 ] || die "cannot read the agent's JVM options (dev.flotilla.agent.AgentJvm)"
if [ -z "${BENCH_CLASSPATH:-}" ]; then
    COPY=("$repo/flotilla" store copy)
else
    mapfile -t JIT < <("${JAVA[@]}" -cp "$CP" dev.flotilla.agent.AgentJvm --jit)
    COPY=("${JAVA[@]}" -Xss64m -XX:+UseSerialGC "${JIT[@]}" -cp "$CP" dev.flotilla.cli.store.StoreCommand copy)
fi

W="$(mktemp -d /tmp/flotilla-bench.XXXXXX)"
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    ip netns del "$NS_C" 2>/dev/null || true
    ip netns del "$NS_S" 2>/dev/null || true
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $W" >&2; else chmod -R u+w "$W" 2>/dev/null; rm -rf "$W"; fi
}
trap cleanup EXIT

now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2 - $1:.2f}')"; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
wait_for() { # FILE PATTERN: until FILE has a line matching PATTERN (30 s)
    for _ in $(seq 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    cat "$1" >&2; die "timed out waiting for '$2' in $1"
}

# ---------------------------------------------------------------- keys, data, source stores
mkdir -p "$W/ssh" "$W/keys"
ssh-keygen -q -t ed25519 -N '' -f "$W/ssh/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$W/ssh/nix_key"
ssh-keygen -q -t ed25519 -N '' -f "$W/ssh/rsync_key"
ssh-keygen -q -t ed25519 -N '' -f "$W/ssh/flotilla_key"
ssh-keygen -q -t ed25519 -N '' -f "$W/ssh/agent_host_key"
nix-store --generate-binary-cache-key bench-1 "$W/keys/store.sec" "$W/keys/store.pub"
cp "$W/ssh/flotilla_key.pub" "$W/ssh/agent_authorized_keys"

echo "generating ${FAT_MIB} MiB of mixed files and ${SLOW_PATHS} small paths ..." >&2
part fat && python3 "$here/gen.py" fat "$W/data/fat" "$FAT_MIB"
part slow && python3 "$here/gen.py" slow "$W/data/slow" "$SLOW_PATHS"
python3 "$here/gen.py" fat "$W/data/warm" 64   # other random bytes: other paths, to warm up the agent

echo "adding them to a Nix store and a Flotilla store ..." >&2
export NIX_REMOTE="local?root=$W/nix-src"   # a local store (no daemon) under its own root
if part fat; then
    (cd "$W/data/fat" && nix-store --add ./*) > "$W/fat.nix"
    (cd "$W/data/fat" && store add --root "$W/fl-src" --sign-key "$W/keys/store.sec" ./*) > "$W/fat.fl"
    [ "$(wc -l < "$W/fat.fl")" = 40 ] || die "adding paths failed"
fi
if part slow; then
    (cd "$W/data/slow" && ls | xargs -n 1000 nix-store --add) > "$W/slow.nix"
    (cd "$W/data/slow" && store add --root "$W/fl-src" --sign-key "$W/keys/store.sec" ./*) > "$W/slow.fl"
    [ "$(wc -l < "$W/slow.fl")" = "$SLOW_PATHS" ] || die "adding paths failed"
fi
(cd "$W/data/warm" && store add --root "$W/fl-src" --sign-key "$W/keys/store.sec" ./*) > "$W/warm.fl"

# ---------------------------------------------------------------- servers
# sshd: key-only, its own host key; nix_key may only run nix-store --serve into the destination store.
authorized() { # DEST_ROOT
    echo "restrict,command=\"env NIX_REMOTE=local?root=$1 nix-store --serve --write\" $(cat "$W/ssh/nix_key.pub")"
    echo "restrict $(cat "$W/ssh/rsync_key.pub")"
}
start_sshd() { # NAME PORT NETNS_PREFIX...
    local name="$1" port="$2"; shift 2
    authorized "$W/nix-dst-$name" > "$W/ssh/authorized_keys_$name"
    cat > "$W/ssh/sshd_$name.conf" <<EOF
ListenAddress 127.0.0.1:$port
HostKey $W/ssh/host_key
AuthorizedKeysFile $W/ssh/authorized_keys_$name
PidFile $W/ssh/sshd_$name.pid
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
LogLevel ERROR
EOF
    mkdir -p /run/sshd
    "$@" /usr/sbin/sshd -D -e -f "$W/ssh/sshd_$name.conf" 2>"$W/sshd_$name.log" &
    PIDS+=($!)
}
start_agent() { # NAME PORT NETNS_PREFIX...
    local name="$1" port="$2"; shift 2
    rm -rf "$W/fl-dst-$name"
    "$@" "$JAVA_HOME/bin/java" "${AGENT_JVM[@]}" $PROFILE_OPTS -cp "$CP" dev.flotilla.agent.AgentMain run --root "$W/fl-dst-$name" --listen "127.0.0.1:$port" \
        --host-key "$W/ssh/agent_host_key" --authorized-keys "$W/ssh/agent_authorized_keys" \
        --trusted-key "$W/keys/store.pub" > "$W/agent_$name.out" 2>"$W/agent_$name.log" &
    AGENT_PID=$!
    PIDS+=("$AGENT_PID")
    wait_for "$W/agent_$name.out" "flotilla-agent ready"
    # An agent is a daemon: warm its JIT with another closure first (the client stays cold, as a CLI is).
    "$@" "${COPY[@]}" --root "$W/fl-src" --to "127.0.0.1:$port" \
        --identity "$W/ssh/flotilla_key" --host-key "$W/ssh/agent_host_key.pub" --roots-from "$W/warm.fl" \
        2> "$W/warmup_$name.log" || { cat "$W/warmup_$name.log" >&2; die "warm-up copy failed"; }
}
stop_agent() { kill "$AGENT_PID"; wait "$AGENT_PID" 2>/dev/null || true; }

known_hosts() { # HOST PORT
    echo "[$1]:$2 $(cut -d' ' -f1,2 "$W/ssh/host_key.pub")" >> "$W/ssh/known_hosts"
}
SSH_OPTS="-o UserKnownHostsFile=$W/ssh/known_hosts -o StrictHostKeyChecking=yes -o BatchMode=yes -o LogLevel=ERROR"
# The same cipher on both sides: Flotilla's MINA client prefers AES-128-GCM, so OpenSSH gets it too
# (OPENSSH_CIPHER=default leaves OpenSSH's own choice, chacha20-poly1305).
if [ "$OPENSSH_CIPHER" != default ]; then SSH_OPTS="$SSH_OPTS -c $OPENSSH_CIPHER"; fi
SSH_CIPHER="?"
record_cipher() { # HOST PORT NETNS_PREFIX...: what OpenSSH negotiates with our sshd
    local host="$1" port="$2"; shift 2
    SSH_CIPHER=$("$@" ssh -v -p "$port" -i "$W/ssh/rsync_key" $SSH_OPTS -o LogLevel=DEBUG1 "root@$host" true 2>&1 \
        | sed -n 's/.*kex: client->server cipher: \([^ ]*\).*/\1/p' | head -n 1)
}

run_nix() { # NAME HOST PORT PATHLIST NETNS_PREFIX...
    local name="$1" host="$2" port="$3" list="$4"; shift 4
    rm -rf "$W/nix-dst-$name"
    sync
    local t0; t0=$(now)
    "$@" env NIX_SSHOPTS="-p $port -i $W/ssh/nix_key $SSH_OPTS" nix-copy-closure --to "root@$host" $(cat "$list") \
        > "$W/nix_$name.log" 2>&1 || { cat "$W/nix_$name.log" >&2; die "nix-copy-closure failed"; }
    elapsed "$t0" "$(now)"
}
run_rsync() { # NAME HOST PORT SRC NETNS_PREFIX...
    local name="$1" host="$2" port="$3" src="$4"; shift 4
    rm -rf "$W/rsync-dst-$name"
    sync
    local t0; t0=$(now)
    "$@" rsync -a -e "ssh -p $port -i $W/ssh/rsync_key $SSH_OPTS" "$src/" "root@$host:$W/rsync-dst-$name/" \
        || die "rsync failed"
    elapsed "$t0" "$(now)"
}
run_flotilla() { # NAME HOST PORT PATHLIST EXTRA NETNS_PREFIX...
    local name="$1" host="$2" port="$3" list="$4" extra="$5"; shift 5
    sync
    local t0; t0=$(now)
    "$@" env ${PROFILE_OPTS:+JAVA_TOOL_OPTIONS="$PROFILE_OPTS"} "${COPY[@]}" --root "$W/fl-src" --to "$host:$port" \
        --identity "$W/ssh/flotilla_key" --host-key "$W/ssh/agent_host_key.pub" --roots-from "$list" $extra \
        2> "$W/flotilla_$name.log" || { cat "$W/flotilla_$name.log" >&2; die "flotilla copy failed"; }
    elapsed "$t0" "$(now)"
}
check_flotilla() { # NAME COUNT (paths besides the 40 warm-up ones)
    store verify --root "$W/fl-dst-$1" 2> "$W/verify_$1.log" || { cat "$W/verify_$1.log" >&2; die "destination $1 does not verify"; }
    grep -q "^$(($2 + 40)) path(s) checked, 0 problem(s)" "$W/verify_$1.log" || { cat "$W/verify_$1.log" >&2; die "destination $1 is incomplete"; }
}

# ---------------------------------------------------------------- (a) fat, loopback
fat_case() {
    echo "(a) fat closure over loopback ..." >&2
    start_sshd fat 42022
    known_hosts 127.0.0.1 42022
    sleep 0.5
    record_cipher 127.0.0.1 42022
    nix_fat=$(run_nix fat 127.0.0.1 42022 "$W/fat.nix")
    rsync_fat=$(run_rsync fat 127.0.0.1 42022 "$W/data/fat")
    start_agent fat 42222
    fl_fat=$(run_flotilla fat 127.0.0.1 42222 "$W/fat.fl" "")
    stop_agent
    check_flotilla fat 40
    start_agent fat 42222
    fl_fat_zstd=$(run_flotilla fat-zstd 127.0.0.1 42222 "$W/fat.fl" "--compress")
    stop_agent
    check_flotilla fat 40
    [ "$(ls "$W/nix-dst-fat/nix/store" | grep -c -- '-pkg-')" = 40 ] || die "nix-copy-closure did not copy every path"
}

# ---------------------------------------------------------------- (b) slow, two namespaces
slow_case() {
    echo "(b) ${SLOW_PATHS} small paths at ${RTT_MS} ms round trip ..." >&2
    ip netns add "$NS_C"
    ip netns add "$NS_S"
    ip link add flb-c0 type veth peer name flb-s0
    ip link set flb-c0 netns "$NS_C"
    ip link set flb-s0 netns "$NS_S"
    ip -n "$NS_C" addr add "$IP_C/24" dev flb-c0
    ip -n "$NS_S" addr add "$IP_S/24" dev flb-s0
    for ns in "$NS_C" "$NS_S"; do ip -n "$ns" link set lo up; done
    ip -n "$NS_C" link set flb-c0 up
    ip -n "$NS_S" link set flb-s0 up
    IN_C=(ip netns exec "$NS_C")
    IN_S=(ip netns exec "$NS_S")
    if "${IN_S[@]}" tc qdisc add dev flb-s0 root netem delay "$((RTT_MS / 2))ms" 2>/dev/null \
            && "${IN_C[@]}" tc qdisc add dev flb-c0 root netem delay "$((RTT_MS / 2))ms" 2>/dev/null; then
        DELAY_MS=0; how="tc netem on the veth pair"
    else
        DELAY_MS=$((RTT_MS / 2)); how="a delay relay ($here/delay_relay.py; this kernel has no sch_netem)"
    fi
    echo "    delay by $how" >&2
    start_sshd slow 22022 "${IN_S[@]}"
    start_agent slow 22222 "${IN_S[@]}"
    relay() { # LISTEN_PORT TARGET_PORT: in the server namespace, IP_S:LISTEN -> 127.0.0.1:TARGET
        "${IN_S[@]}" python3 "$here/delay_relay.py" "$IP_S" "$1" 127.0.0.1 "$2" "$DELAY_MS" > "$W/relay_$1.out" 2>&1 &
        PIDS+=($!)
        wait_for "$W/relay_$1.out" "relay ready"
    }
    relay 9022 22022
    relay 9222 22222
    known_hosts "$IP_S" 9022
    sleep 0.5
    record_cipher "$IP_S" 9022 "${IN_C[@]}"
    fl_slow=$(run_flotilla slow "$IP_S" 9222 "$W/slow.fl" "" "${IN_C[@]}")
    check_flotilla slow "$SLOW_PATHS"
    nix_slow=$(run_nix slow "$IP_S" 9022 "$W/slow.nix" "${IN_C[@]}")
    [ "$(ls "$W/nix-dst-slow/nix/store" | grep -c -- '-p[0-9]')" = "$SLOW_PATHS" ] || die "nix-copy-closure did not copy every path"
}

if part fat; then fat_case; fi
if part slow; then slow_case; fi

# ---------------------------------------------------------------- report
echo "ssh: OpenSSH (nix-copy-closure, rsync) used $SSH_CIPHER; Flotilla (MINA) aes128-gcm@openssh.com, its first preference"
if part fat; then
    fat_bytes=$(du -sb "$W/data/fat" | cut -f1)
    echo "fat: $((fat_bytes / 1048576)) MiB in 40 paths"
    echo "seconds_nix_fat=$nix_fat"
    echo "seconds_rsync_fat=$rsync_fat"
    echo "seconds_flotilla_fat=$fl_fat"
    echo "seconds_flotilla_fat_zstd=$fl_fat_zstd"
    echo "flotilla_fat: $(tail -n 1 "$W/flotilla_fat.log")"
    echo "flotilla_fat_zstd: $(tail -n 1 "$W/flotilla_fat-zstd.log")"
fi
if part slow; then
    echo "slow: $SLOW_PATHS paths, ${RTT_MS} ms RTT by $how"
    echo "seconds_nix_slow=$nix_slow"
    echo "seconds_flotilla_slow=$fl_slow"
    echo "flotilla_slow: $(tail -n 1 "$W/flotilla_slow.log")"
fi
if part fat; then
    echo "ratio_vs_nix_fat=$(ratio "$nix_fat" "$fl_fat")"
    echo "ratio_vs_rsync_fat=$(ratio "$rsync_fat" "$fl_fat")"
fi
if part slow; then
    echo "ratio_vs_nix_slow=$(ratio "$nix_slow" "$fl_slow")"
fi
if part fat; then
    echo "ratio_vs_nix_fat_zstd=$(ratio "$nix_fat" "$fl_fat_zstd")"
fi
