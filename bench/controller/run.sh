#!/bin/sh
# One controller's rollout-status throughput and latency, with a 1,000-host rollout stored, and the
# database writes a real rollout costs per host. Prints:
#   status_rps=N status_p99_ms=N detail_rps=N detail_p99_ms=N writes_per_host=N saves_per_host=N
# then comment lines: p50s, the machine's load average (p99 on a busy shared machine is mostly queueing),
# and the writes per table.
# Targets (issue 8, 2 cores): status_rps >= 3000, status_p99_ms <= 25.
# Writes: after the throughput runs, the same controller deploys a small change to WRITE_HOSTS (default 20)
# simulated agents (`flotilla-agent simulate`, real SSH) through the API; the controller is then stopped
# (its connections close, so PostgreSQL has flushed their statistics) and the rows inserted, updated and
# deleted in rollout, rollout_host, rollout_event and host_generation (pg_stat_user_tables deltas) are
# divided by the hosts. Run it under the build lock so no test writes to the database meanwhile.
# Usage: bench/controller/run.sh [hosts] [seconds]      (defaults 1000, 20)
# Needs wrk and the PostgreSQL the tests use (127.0.0.1:5432, flotilla/flotilla, flotilla_test).
# FLOTILLA_APP=path/to/quarkus-run.jar runs that build instead of controller/target/quarkus-app.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
hosts=${1:-1000}
seconds=${2:-20}
JAVA_HOME=${JAVA_HOME:-$("$repo/.mvn/find-jdk.sh")}
export JAVA_HOME
export PGPASSWORD=flotilla
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
app=${FLOTILLA_APP:-$repo/controller/target/quarkus-app/quarkus-run.jar}
if [ ! -f "$app" ]; then
    (cd "$repo" && flock /tmp/flotilla-build.lock ./mvnw -B -q -o -pl controller -am package -DskipTests)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/flotilla-bench-controller.XXXXXX")
run=$(basename "$work" | tr -dc 'a-zA-Z0-9' | tail -c 7)
sql() { psql -h 127.0.0.1 -U flotilla -d flotilla_test -v ON_ERROR_STOP=1 -qtA "$@"; }
pid=
sim=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    [ -n "$sim" ] && kill "$sim" 2>/dev/null && wait "$sim" 2>/dev/null || true
    sql -c "delete from rollout where created_by like 'bench-$run%'; delete from api_token where name like 'bench-$run%';
            delete from host_generation where host_name like 'b$run-%'; delete from host where name like 'b$run-%';" >/dev/null 2>&1 || true
    if [ -n "${KEEP:-}" ]; then echo "# kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT INT TERM

# A viewer token, and a RUNNING rollout of $hosts hosts in mixed states with their events, owned by a
# replica whose lease lasts the whole run (so the controller under test only reads it).
token="flt_bench_$run$(date +%s%N)"
sql -c "insert into api_token (name, role, token_hash, created_at, created_by)
        values ('bench-$run', 'VIEWER', encode(sha256(convert_to('$token', 'UTF8')), 'hex'), now(), 'bench')" >/dev/null
id=$(sql -c "insert into rollout (state, config_path, selector, parallelism, mode, created_by, created_at, started_at, owner, lease_until, lease_epoch, next_seq,
                             plan, stages, planned)
        values ('RUNNING', '/srv/fleet/host.nix', '*', 50, 'switch', 'bench-$run', now(), now(), 'bench-elsewhere', now() + interval '1 day', 1, 1,
                '{\"name\":\"all-at-once\",\"stages\":[{\"name\":\"all\"}]}', '[{\"name\":\"batch-1\",\"status\":\"DONE\",\"approved\":false},{\"name\":\"batch-2\",\"status\":\"RUNNING\",\"approved\":false}]', true)
        returning id" | head -1)
sql >/dev/null <<SQL
insert into rollout_host (rollout_id, position, host_name, state, host, from_generation, to_generation, toplevel, paths_sent, bytes_sent, updated_at,
                          stage, batch, target_generation, changed, failed)
select $id, i, 'web-' || i,
       case when i % 100 < 60 then 'CONFIRMED' when i % 100 < 65 then 'SWITCHING' when i % 100 < 67 then 'FAILED' else 'PENDING' end,
       jsonb_build_object('name', 'web-' || i, 'address', '10.0.' || (i / 250) || '.' || (i % 250), 'port', 22, 'user', 'root',
                          'hostKey', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBenchBenchBenchBenchBenchBenchBenchBench',
                          'tags', jsonb_build_array('web'), 'groups', jsonb_build_array('all', 'web'), 'vars', '{}'::jsonb),
       case when i % 100 < 60 then 41 end, case when i % 100 < 60 then 42 end,
       case when i % 100 < 60 then '/flotilla/store/0123456789abcdfghijklmnpqrsvwxyz-flotilla-system-web-' || i end,
       3, 180000, now(),
       case when i % 100 < 60 then 'batch-1' else 'batch-2' end, i % 4, 0, i % 100 < 60, i % 100 between 65 and 66
from generate_series(0, $hosts - 1) i;
insert into rollout_event (rollout_id, seq, at, kind, host_name, state, detail)
select $id, n, now(), 'HOST', 'web-' || (n % $hosts), 'SWITCHING', 'bench'
from generate_series(1, $hosts * 4) n;
update rollout set next_seq = $hosts * 4 + 1 where id = $id;
analyze rollout_host;
SQL

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$JAVA_HOME/bin/java" -Xmx512m -XX:+UseParallelGC -Xlog:gc:file="$work/gc.log" --enable-native-access=ALL-UNNAMED \
    -Dquarkus.http.port="$port" -Dquarkus.http.host=127.0.0.1 \
    -Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:5432/flotilla_test \
    -Dquarkus.datasource.username=flotilla -Dquarkus.datasource.password=flotilla \
    -Dflotilla.instance-id="bench-$run" -Dflotilla.state-dir="$work/state" -Dflotilla.rollouts.max-concurrent=1 \
    -Dquarkus.log.level=WARN \
    -jar "$app" >"$work/controller.log" 2>&1 &
pid=$!
i=0
until curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; do
    i=$((i + 1))
    if [ $i -gt 300 ] || ! kill -0 "$pid" 2>/dev/null; then echo "controller did not start:" >&2; tail -30 "$work/controller.log" >&2; exit 1; fi
    sleep 0.2
done
curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/rollouts/$id/status" >"$work/status.json"
grep -q "\"hosts\":$hosts" "$work/status.json" || { echo "unexpected status: $(cat "$work/status.json")" >&2; exit 1; }

# p99 from wrk's latency distribution, in ms.
measure() {   # url seconds connections -> "rps p99_ms p50_ms"
    wrk -t2 -c"$3" -d"$2"s --latency -H "Authorization: Bearer $token" "$1" >"$work/wrk.txt"
    cat "$work/wrk.txt" >>"$work/wrk-all.txt"
    if grep -q "Non-2xx" "$work/wrk.txt"; then echo "errors from $1:" >&2; cat "$work/wrk.txt" >&2; exit 1; fi
    awk 'function ms(x,  u) {u = x; gsub(/[0-9.]/, "", u); sub(/[a-z]+$/, "", x); return (u == "us") ? x / 1000 : (u == "s") ? x * 1000 : x}
         /Requests\/sec/ {rps=$2}
         $1 == "50%" {p50 = ms($2)}
         $1 == "99%" {p99 = ms($2)}
         END {printf "%.0f %.1f %.1f\n", rps, p99, p50}' "$work/wrk.txt"
}
status_url="http://127.0.0.1:$port/api/v1/rollouts/$id/status"
detail_url="http://127.0.0.1:$port/api/v1/rollouts/$id"
measure "$status_url" 5 32 >/dev/null          # warm-up: JIT, connection pool, caches
set -- $(measure "$status_url" "$seconds" 32)
status_rps=$1 status_p99=$2 status_p50=$3
measure "$detail_url" 3 8 >/dev/null
set -- $(measure "$detail_url" "$((seconds / 2))" 8)
detail_rps=$1 detail_p99=$2 detail_p50=$3
detail_bytes=$(curl -fs -H "Authorization: Bearer $token" "$detail_url" | wc -c)

# Writes per host: a real rollout through the API, to simulated agents that trust this controller's keys.
whosts=${WRITE_HOSTS:-20}
optoken="flt_bench_op_$run$(date +%s%N)"
sql -c "insert into api_token (name, role, token_hash, created_at, created_by)
        values ('bench-$run-op', 'OPERATOR', encode(sha256(convert_to('$optoken', 'UTF8')), 'hex'), now(), 'bench')" >/dev/null
api() { curl -fsS -H "Authorization: Bearer $optoken" "$@"; }
base="http://127.0.0.1:$port/api/v1"
mkdir -p "$work/keys" "$work/sim"
api "$base/controller/keys" >"$work/keys.json"
python3 -c 'import json, sys; k = json.load(open(sys.argv[1])); open(sys.argv[2], "w").write(k["sshPublicKey"] + "\n"); open(sys.argv[3], "w").write(k["storePublicKey"] + "\n")' \
    "$work/keys.json" "$work/keys/id.pub" "$work/keys/store.pub"
"$JAVA_HOME/bin/java" -Xmx256m --enable-native-access=ALL-UNNAMED -cp "$(dirname "$app")/lib/main/*" dev.flotilla.agent.AgentMain simulate \
    --hosts "$whosts" --dir "$work/sim" --name-prefix "b$run-" --authorized-keys "$work/keys/id.pub" --trusted-key "$work/keys/store.pub" \
    >"$work/sim.log" 2>&1 &
sim=$!
i=0
until grep -qs "flotilla-agent simulating" "$work/sim.log"; do
    i=$((i + 1))
    if [ $i -gt 300 ] || ! kill -0 "$sim" 2>/dev/null; then echo "the simulator did not start:" >&2; tail -30 "$work/sim.log" >&2; exit 1; fi
    sleep 0.2
done
api -H "Content-Type: application/yaml" --data-binary "@$work/sim/inventory.yaml" "$base/inventory/import" >/dev/null
cat >"$work/host.nix" <<'NIX'
{ host, hosts, ... }:
{
  environment.etc."motd".text = "bench on ${host.name}, one of ${toString (builtins.length hosts)}\n";
  healthChecks.motd.command = "grep -q '${host.name}' etc/motd";
}
NIX
counters() {
    sql -F' ' -c "select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0),
                         coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del) filter (where relname = 'rollout'), 0),
                         coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del) filter (where relname = 'rollout_host'), 0),
                         coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del) filter (where relname = 'rollout_event'), 0),
                         coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del) filter (where relname = 'host_generation'), 0)
                  from pg_stat_user_tables where relname in ('rollout', 'rollout_host', 'rollout_event', 'host_generation')"
}
sleep 1.2   # PostgreSQL publishes a backend's table statistics at most once a second
before=$(counters)
wid=$(api -H "Content-Type: application/json" -d "{\"configPath\": \"$work/host.nix\", \"selector\": \"b$run-*\", \"parallel\": 20}" \
      "$base/rollouts" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
i=0
while :; do
    wstate=$(api "$base/rollouts/$wid/status" | python3 -c 'import json, sys; print(json.load(sys.stdin)["state"])')
    case $wstate in SUCCEEDED|ROLLED_BACK|FAILED|HALTED|ABORTED) break ;; esac
    i=$((i + 1))
    if [ $i -gt 600 ]; then echo "the rollout of $whosts simulated hosts is still $wstate after 120 s" >&2; exit 1; fi
    sleep 0.2
done
[ "$wstate" = SUCCEEDED ] || { echo "the rollout of $whosts simulated hosts ended $wstate: $(api "$base/rollouts/$wid")" >&2; exit 1; }
saves=$(sql -c "select saves from rollout where id = $wid")
# Stopping the controller closes its connections: each backend reports its statistics as it exits.
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
sleep 1.2
after=$(counters)
set -- $before $after
writes=$(python3 -c "print(round(($6 - $1) / $whosts, 1))")
saves_per_host=$(python3 -c "print(round($saves / $whosts, 2))")
per_table="rollout $(($7 - $2)), rollout_host $(($8 - $3)), rollout_event $(($9 - $4)), host_generation $((${10} - $5))"

echo "status_rps=$status_rps status_p99_ms=$status_p99 detail_rps=$detail_rps detail_p99_ms=$detail_p99 writes_per_host=$writes saves_per_host=$saves_per_host"
echo "# p50: status ${status_p50} ms, full rollout ${detail_p50} ms; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $hosts hosts, $(nproc) cores, wrk -t2 -c32 ${seconds}s on /status, -c8 on the full rollout ($(wc -c <"$work/status.json") B vs $detail_bytes B)"
echo "# controller GC: $(grep -c 'Pause' "$work/gc.log") pauses, longest $(awk '/Pause/ {sub(/ms$/, "", $NF); if ($NF + 0 > m) m = $NF + 0} END {print m + 0}' "$work/gc.log") ms"
echo "# writes of rollout $wid ($whosts simulated hosts, $saves snapshot saves), rows inserted/updated/deleted: $per_table"
