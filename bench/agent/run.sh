#!/bin/sh
# Agent footprint and switch latency, against a bare rename(2) loop. Prints:
#   idle_rss_mb=N start_ms=N switch_p50_ms=N switch_p99_ms=N rename_p99_ms=N
# (plus a few informative extra lines). Usage: bench/agent/run.sh [switches]   (default 200)
# The agents are the bundle as it ships (agent/src/main/dist/build-bundle.sh: trimmed runtime, bin/flotilla-agent
# with its JVM options and its AOT cache), rebuilt first unless NO_BUILD=1 and agent/target/flotilla-agent exists.
# AGENT_JAVA_OPTS="-Xint" appends JVM options to the launcher's (FLOTILLA_AGENT_JAVA_OPTS).
# AGENT_BENCH_CDS=off runs without the AOT cache.  AGENT_BENCH_DETAIL=1 prints where the idle RSS goes (smaps by
# mapping, heap info, and NMT's summary when AGENT_JAVA_OPTS has -XX:NativeMemoryTracking=summary).
# KEEP=1 keeps the work folder (/tmp/flotilla-bench-agent.*: the roots, the cache, agent.log).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
JAVA_HOME=${JAVA_HOME:-$("$repo/.mvn/find-jdk.sh")}
export JAVA_HOME
work=$(mktemp -d "${TMPDIR:-/tmp}/flotilla-bench-agent.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

cd "$repo"
if [ -z "${NO_BUILD:-}" ]; then   # a stale jar would measure old code
    flock /tmp/flotilla-build.lock ./mvnw -B -q -o -pl agent package -Dmaven.test.skip=true
fi
flock /tmp/flotilla-build.lock ./mvnw -B -q -o -pl agent dependency:build-classpath \
    -Dmdep.includeScope=runtime -Dmdep.outputFile="$work/cp.txt" >/dev/null
cp="$(cat "$work/cp.txt"):$repo/agent/target/flotilla-agent-0.1.0-SNAPSHOT.jar"
bundle="$repo/agent/target/flotilla-agent"
if [ -z "${NO_BUILD:-}" ] || [ ! -x "$bundle/bin/flotilla-agent" ]; then
    sh agent/src/main/dist/build-bundle.sh > "$work/bundle.log" 2>&1 || { cat "$work/bundle.log" >&2; exit 1; }
fi

# The measurements hold the shared build lock themselves (do not wrap this script in flock: the builds above
# would wait for the lock their parent holds).
exec 9>/tmp/flotilla-build.lock
flock 9
python3 "$here/rename_loop.py" 20000 > "$work/rename.txt"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" "$here/AgentBench.java" "$work" "${1:-200}" "$bundle"
cat "$work/rename.txt"
