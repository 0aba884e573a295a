#!/usr/bin/env bash
# bench/fleet: evaluate + build a generated fleet of 1,000 hosts (examples/web-fleet's modules, three
# tiers, per-group, per-tag and per-host entries) with `flotilla build --fleet`, into an empty store,
# then again (nothing to build). Prints lines:
#
#   hosts=1000 parallel=… store_paths=…
#   cold_s=… cold_cpu_s=… cold_peak_rss_mb=… per_host_ms=…
#   warm_s=… warm_cpu_s=… warm_peak_rss_mb=…
#   locked_s=… locked_cpu_s=… locked_peak_rss_mb=… lock_inputs=…   (warm again, with --locked)
#
# Times are whole commands (JVM start included); cpu_s is user + system time (steadier than wall
# time on a shared machine); peak memory is /usr/bin/time -v's maximum resident set.
# Environment: HOSTS (default 1000), PARALLEL (default: number of CPUs), XMX (default 1g), KEEP=1 keeps the
# work directory, BENCH_CLASSPATH to run other jars than cli/target's.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
HOSTS="${HOSTS:-1000}"
PARALLEL="${PARALLEL:-$(nproc)}"
XMX="${XMX:-1g}"
export LC_ALL=C.UTF-8

die() { echo "bench/fleet: $*" >&2; exit 1; }
[ -x /usr/bin/time ] || die "missing /usr/bin/time (apt-get install -y time)"

JAVA_HOME="$("$repo/.mvn/find-jdk.sh")"
if [ -z "${BENCH_CLASSPATH:-}" ] && [ ! -f "$repo/cli/target/flotilla-cli.jar" ]; then
    echo "building the CLI ..." >&2
    (cd "$repo" && flock /tmp/flotilla-build.lock ./mvnw -B -q -pl cli -am install -Dmaven.test.skip=true)
fi
CP="${BENCH_CLASSPATH:-$repo/cli/target/flotilla-cli.jar:$repo/cli/target/lib/*}"

work="$(mktemp -d /tmp/flotilla-bench-fleet.XXXXXX)"
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
fleet="$work/fleet"
mkdir -p "$fleet"
cp -r "$repo/examples/web-fleet/modules" "$repo/examples/web-fleet/files" "$repo/examples/web-fleet/packages" "$fleet/"

# The inventory: 70 % web, 20 % cache (web modules too), 10 % db; every 50th web host a canary.
web=$((HOSTS * 7 / 10)); cache=$((HOSTS * 2 / 10)); db=$((HOSTS - web - cache))
host_line() { # name index canary
    local tags=""
    [ "$3" = 1 ] && tags=", tags: [canary]"
    printf '        %s: { address: 10.%d.%d.%d%s }\n' "$1" $(($2 / 65536 % 256)) $(($2 / 256 % 256)) $(($2 % 256)) "$tags"
}
{
    printf 'all:\n  vars:\n    datacenter: fra1\n    app_port: 8080\n  children:\n'
    i=0
    for group in web cache db; do
        case $group in web) n=$web ;; cache) n=$cache ;; db) n=$db ;; esac
        printf '    %s:\n      vars:\n        role: %s\n      hosts:\n' "$group" "$group"
        for ((k = 1; k <= n; k++)); do
            i=$((i + 1))
            host_line "$group-$k" "$i" $([ "$group" = web ] && [ $((k % 50)) = 1 ] && echo 1 || echo 0)
        done
    done
} >"$fleet/inventory.yaml"
{
    printf '{ lib, ... }:\n{\n  defaults = ./modules/common.nix;\n'
    printf '  groups.web = [ ./modules/app.nix ./modules/web.nix ];\n'
    printf '  groups.cache = [ ./modules/app.nix { app.workers = 4; environment.etc."cache.conf".text = "size = 1g"; } ];\n'
    printf '  groups.db = ./modules/db.nix;\n'
    printf '  tags.canary = { app.logLevel = "debug"; };\n'
    printf '  hosts = {\n'
    for ((k = 1; k <= web; k += 10)); do printf '    web-%d.app.workers = %d;\n' "$k" $((k % 7 + 1)); done
    printf '  };\n}\n'
} >"$fleet/fleet.nix"

run() { # label [extra build options]
    local label=$1
    shift
    /usr/bin/time -v "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xss64m -Xmx"$XMX" -cp "$CP" \
        dev.flotilla.cli.fleet.BuildCommand --fleet "$fleet" --state "$work/state" --parallel "$PARALLEL" "$@" \
        >"$work/$label.out" 2>"$work/$label.err" || { tail -20 "$work/$label.err" >&2; die "$label build failed"; }
    local built
    built=$(grep -c 'flotilla-system-' "$work/$label.out" || true)
    [ "$built" = "$HOSTS" ] || die "$label: built $built of $HOSTS hosts"
    secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$work/$label.err")
    rss=$(awk -F': ' '/Maximum resident set size/ { printf "%d", $2 / 1024 }' "$work/$label.err")
    cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s }' "$work/$label.err")
}

run cold; cold_s=$secs; cold_rss=$rss; cold_cpu=$cpu
run warm; warm_s=$secs; warm_rss=$rss; warm_cpu=$cpu
run locked --locked; locked_s=$secs; locked_rss=$rss; locked_cpu=$cpu
inputs=$(grep -c '" : {$' "$fleet/flotilla.lock" || true)
paths=$(ls "$work/state/root/flotilla/store" | wc -l)
per_host=$(awk -v s="$cold_s" -v n="$HOSTS" 'BEGIN { printf "%.1f", s * 1000 / n }')
echo "hosts=$HOSTS parallel=$PARALLEL store_paths=$paths"
echo "cold_s=$cold_s cold_cpu_s=$cold_cpu cold_peak_rss_mb=$cold_rss per_host_ms=$per_host"
echo "warm_s=$warm_s warm_cpu_s=$warm_cpu warm_peak_rss_mb=$warm_rss"
echo "locked_s=$locked_s locked_cpu_s=$locked_cpu locked_peak_rss_mb=$locked_rss lock_inputs=$((inputs - 1))"
