#!/usr/bin/env bash
# bench/eval: `flotilla eval` against `nix-instantiate` 2.8 in the same run, whole processes
# (JVM start and the launcher's checks included), on three expressions in this folder:
#
#   fleet      fleet.nix      a synthetic fleet of HOSTS (2,000) hosts, --eval --strict
#   recursion  recursion.nix  naive fib, a recursive quicksort, deep non-tail recursion, Ackermann
#   modules    modules.nix    a NixOS-like module system in plain Nix (mkIf/mkMerge/mkDefault/mkForce,
#                             priorities, a config fixpoint) for MODULE_HOSTS (40) machines
#
# Both must print the same result (checked first). Then each command runs RUNS times after WARMUP
# runs (hyperfine if installed, else a loop) and the script prints, per case:
#
#   nix_<case>_s=…  flotilla_<case>_s=…          mean wall time
#   nix_<case>_cpu_s=…  flotilla_<case>_cpu_s=…  mean user+system time
#   ratio_vs_nix_<case>=N                        Nix time / Flotilla time (> 1: Flotilla is faster)
#
# With VARIANTS=1 (the default) it also times, to show where Flotilla's time goes:
#
#   jvm_<case>_s=…   the JVM command the launcher execs, without the launcher's checks and without
#                    its start-up cache (the launcher uses an AOT cache on JDK 25+, else AppCDS)
#
# Environment: RUNS (10), WARMUP (2), HOSTS (2000), MODULE_HOSTS (40), FLOTILLA (the repo's
# ./flotilla launcher), NIX_INSTANTIATE (nix-instantiate), VARIANTS (1). Needs nix-bin
# (apt-get install -y nix-bin).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
RUNS="${RUNS:-10}"
WARMUP="${WARMUP:-2}"
HOSTS="${HOSTS:-2000}"
MODULE_HOSTS="${MODULE_HOSTS:-40}"
FLOTILLA="${FLOTILLA:-$repo/flotilla}"
NIX_INSTANTIATE="${NIX_INSTANTIATE:-nix-instantiate}"
export NIX_REMOTE=local LC_ALL=C.UTF-8

die() { echo "bench/eval: $*" >&2; exit 1; }
command -v "$NIX_INSTANTIATE" >/dev/null || die "nix-instantiate not found (apt-get install -y nix-bin)"
command -v python3 >/dev/null || die "python3 is needed to read the timings"
"$NIX_INSTANTIATE" --version | grep -q ' 2\.8\.' || echo "bench/eval: warning: not Nix 2.8: $("$NIX_INSTANTIATE" --version)" >&2

# Build once up front, so that no timed run includes a build.
flock /tmp/flotilla-build.lock "$FLOTILLA" --version >/dev/null

work="$(mktemp -d /tmp/flotilla-bench-eval.XXXXXX)"
trap 'rm -rf "$work"' EXIT

declare -A ARGS=(
    [fleet]="--eval --strict --arg hosts $HOSTS $here/fleet.nix"
    [recursion]="--eval --strict $here/recursion.nix"
    [modules]="--eval --strict --arg hosts $MODULE_HOSTS $here/modules.nix"
)
cases=(fleet recursion modules)

# Same answer from both, or the timings mean nothing.
for c in "${cases[@]}"; do
    # shellcheck disable=SC2086
    "$NIX_INSTANTIATE" ${ARGS[$c]} >"$work/$c.nix.out" 2>"$work/$c.nix.err" || die "nix-instantiate failed on $c: $(head -3 "$work/$c.nix.err")"
    # shellcheck disable=SC2086
    "$FLOTILLA" eval ${ARGS[$c]} >"$work/$c.flotilla.out" 2>"$work/$c.flotilla.err" || die "flotilla eval failed on $c: $(head -3 "$work/$c.flotilla.err")"
    cmp -s "$work/$c.nix.out" "$work/$c.flotilla.out" || die "$c: flotilla's output differs from Nix's (see $work, kept)"
done

# Prints "mean_wall mean_cpu" of a command, in seconds.
measure() {
    local name="$1"; shift
    if command -v hyperfine >/dev/null; then
        hyperfine --shell=none --warmup "$WARMUP" --runs "$RUNS" --style none --export-json "$work/$name.json" \
            --output=null "$*" >/dev/null 2>&1 || die "hyperfine failed for $name"
        python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.4f %.4f" % (r["mean"], r["user"] + r["system"]))' "$work/$name.json"
    else
        local k
        for ((k = 0; k < WARMUP; k++)); do "$@" >/dev/null 2>&1; done
        python3 - "$RUNS" "$@" <<'EOF'
import os, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
wall = cpu = 0.0
for _ in range(runs):
    before = os.times()
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall += time.perf_counter() - t
    after = os.times()
    cpu += (after.children_user - before.children_user) + (after.children_system - before.children_system)
print("%.4f %.4f" % (wall / runs, cpu / runs))
EOF
    fi
}

# The launcher's final command, without its build and locale checks and without its start-up cache.
JAVA_HOME="$("$repo/.mvn/find-jdk.sh")"
jvm=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xss64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1
     -cp "$repo/cli/target/flotilla-cli.jar:$repo/cli/target/lib/*" dev.flotilla.cli.Main)
printf '#!/bin/sh\nexec %s "$@"\n' "$(printf '"%s" ' "${jvm[@]}")" >"$work/flotilla-jvm"
chmod +x "$work/flotilla-jvm"

echo "runs=$RUNS warmup=$WARMUP hosts=$HOSTS module_hosts=$MODULE_HOSTS tool=$(command -v hyperfine >/dev/null && echo hyperfine || echo loop) nix=$("$NIX_INSTANTIATE" --version | awk '{print $NF}')"
for c in "${cases[@]}"; do
    # shellcheck disable=SC2086
    read -r nix_s nix_cpu < <(measure "$c-nix" "$NIX_INSTANTIATE" ${ARGS[$c]})
    # shellcheck disable=SC2086
    read -r flo_s flo_cpu < <(measure "$c-flotilla" "$FLOTILLA" eval ${ARGS[$c]})
    echo "nix_${c}_s=$nix_s flotilla_${c}_s=$flo_s nix_${c}_cpu_s=$nix_cpu flotilla_${c}_cpu_s=$flo_cpu"
    python3 -c 'import sys; print("ratio_vs_nix_%s=%.2f" % (sys.argv[1], float(sys.argv[2]) / float(sys.argv[3])))' "$c" "$nix_s" "$flo_s"
    if [ "${VARIANTS:-1}" = 1 ]; then
        # shellcheck disable=SC2086
        read -r jvm_s jvm_cpu < <(measure "$c-jvm" "$work/flotilla-jvm" eval ${ARGS[$c]})
        echo "jvm_${c}_s=$jvm_s jvm_${c}_cpu_s=$jvm_cpu"
    fi
done
