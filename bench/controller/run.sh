#!/bin/sh
# One controller's rollout-status throughput and latency, with a 1,000-host rollout stored, and the
# database writes a rollout costs per host. Prints:
#   status_rps=N status_p99_ms=N detail_rps=N detail_p99_ms=N writes_per_host=N txns_per_host=N
# then comment lines: p50s, the machine's load average (p99 on a busy shared machine is mostly queueing).
# Targets (issue 8, 2 cores): status_rps >= 3000, status_p99_ms <= 25.
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
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    sql -c "delete from rollout where created_by = 'bench-$run'; delete from api_token where name = 'bench-$run';" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# A viewer token, and a RUNNING rollout of $hosts hosts in mixed states with their events, owned by a
# replica whose lease lasts the whole run (so the controller under test only reads it).
token="flt_bench_$run$(date +%s%N)"
sql -c "insert into api_token (name, role, token_hash, created_at, created_by)
        values ('bench-$run', 'VIEWER', encode(sha256(convert_to('$token', 'UTF8')), 'hex'), now(), 'bench')" >/dev/null
id=$(sql -c "insert into rollout (state, config_path, selector, parallelism, mode, created_by, created_at, started_at, owner, lease_until, lease_epoch, next_seq)
        values ('RUNNING', '/srv/fleet/host.nix', '*', 50, 'switch', 'bench-$run', now(), now(), 'bench-elsewhere', now() + interval '1 day', 1, 1)
        returning id" | head -1)
sql >/dev/null <<SQL
insert into rollout_host (rollout_id, position, host_name, state, host, from_generation, to_generation, toplevel, paths_sent, bytes_sent, updated_at)
select $id, i, 'web-' || i,
       case when i % 100 < 60 then 'SWITCHED' when i % 100 < 65 then 'SWITCHING' when i % 100 < 67 then 'FAILED' else 'PENDING' end,
       jsonb_build_object('name', 'web-' || i, 'address', '10.0.' || (i / 250) || '.' || (i % 250), 'port', 22, 'user', 'root',
                          'hostKey', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBenchBenchBenchBenchBenchBenchBenchBench',
                          'tags', jsonb_build_array('web'), 'groups', jsonb_build_array('all', 'web'), 'vars', '{}'::jsonb),
       case when i % 100 < 60 then 41 end, case when i % 100 < 60 then 42 end,
       case when i % 100 < 60 then '/flotilla/store/0123456789abcdfghijklmnpqrsvwxyz-flotilla-system-web-' || i end,
       3, 180000, now()
from generate_series(0, $hosts - 1) i;
insert into rollout_event (rollout_id, seq, at, kind, host_name, state, detail)
select $id, n, now(), 'HOST', 'web-' || (n % $hosts), 'SWITCHING', 'bench'
from generate_series(1, $hosts * 4) n;
update rollout set next_seq = $hosts * 4 + 1 where id = $id;
analyze rollout_host;
SQL

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$JAVA_HOME/bin/java" -Xmx512m -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED \
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

# Writes per host: the recorder's fixed pattern, counted on the newest finished multi-host rollout a
# real engine run left in this database (tests, demo): per event one insert into rollout_event and
# one update of the rollout row (its event counter), per host event one update of rollout_host; per
# host one rollout_host insert and one host_generation insert; one transaction per event.
set -- $(sql -F' ' -c "
    with r as (select id from rollout r where state = 'SUCCEEDED' and created_by not like 'bench-%'
               and (select count(*) from rollout_host h where h.rollout_id = r.id) >= 2 order by id desc limit 1)
    select (select count(*) from rollout_host where rollout_id = r.id),
           (select count(*) from rollout_event where rollout_id = r.id),
           (select count(*) from rollout_event where rollout_id = r.id and kind = 'HOST'),
           (select count(*) from host_generation where rollout_id = r.id)
    from r" | head -1) 0 0 0 0
rh=$1 events=$2 host_events=$3 gens=$4
if [ "$rh" -gt 0 ]; then
    writes=$(python3 -c "print(round((2*$events + $host_events + $rh + $gens + 1) / $rh, 1))")
    txns=$(python3 -c "print(round(($events + 0.0) / $rh, 1))")
else
    writes=n/a txns=n/a
fi
echo "status_rps=$status_rps status_p99_ms=$status_p99 detail_rps=$detail_rps detail_p99_ms=$detail_p99 writes_per_host=$writes txns_per_host=$txns"
echo "# p50: status ${status_p50} ms, full rollout ${detail_p50} ms; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $hosts hosts, $(nproc) cores, wrk -t2 -c32 ${seconds}s on /status, -c8 on the full rollout ($(wc -c <"$work/status.json") B vs $(curl -fs -H "Authorization: Bearer $token" "$detail_url" | wc -c) B); writes counted on a real rollout of $rh hosts ($events events)"
