#!/bin/sh
# Builds the agent bundle: the agent's jars, a jlink-trimmed Java runtime (modules found by jdeps),
# the bin/flotilla-agent launcher and the systemd unit, so a host needs no Java. Then smoke-tests it
# (the bundle's agent starts, answers `status` over SSH when ssh(1) is here, stops on SIGTERM).
#   agent/src/main/dist/build-bundle.sh            -> agent/target/flotilla-agent/ and
#                                                     agent/target/flotilla-agent-<version>-linux-<arch>.tar.gz
# The runtime is linked from $JAVA_HOME (else .mvn/find-jdk.sh): the bundle runs on hosts of the same
# OS and architecture as the machine that builds it. Not part of the test suite.
set -eu
dist=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$dist/../../../.." && pwd)
JAVA_HOME=${JAVA_HOME:-$("$repo/.mvn/find-jdk.sh")}
export JAVA_HOME
target="$repo/agent/target"
version=$(sed -n 's:^ *<version>\(.*\)</version>.*:\1:p' "$repo/agent/pom.xml" | head -n 1)
jar="$target/flotilla-agent-$version.jar"
bundle="$target/flotilla-agent"
arch=$(uname -m)
tarball="$target/flotilla-agent-$version-linux-$arch.tar.gz"

# Maven runs under the shared build lock, unless the caller already holds it (FLOTILLA_BUILD_LOCK_HELD=1, e.g.
# a test running inside a locked build): taking it again would wait for ever.
maven() {
    if [ -n "${FLOTILLA_BUILD_LOCK_HELD:-}" ]; then ./mvnw "$@"; else flock /tmp/flotilla-build.lock ./mvnw "$@"; fi
}
cd "$repo"
if [ ! -f "$jar" ]; then
    maven -B -q -o -pl agent install -DskipTests
fi
# All scopes, then the test libraries left out by name (-DincludeScope=runtime drops picocli here, for a reason
# not found yet). Asked again only when a pom changed since.
classpath="$target/bundle-classpath.txt"
if [ ! -f "$classpath" ] || [ -n "$(find pom.xml agent/pom.xml store-copy/pom.xml -newer "$classpath" 2>/dev/null)" ]; then
    maven -B -q -o -pl agent dependency:build-classpath -Dmdep.outputFile="$classpath" >/dev/null
fi

rm -rf "$bundle" "$tarball"
mkdir -p "$bundle/bin" "$bundle/lib" "$bundle/share"
cp "$jar" "$bundle/lib/"
tr ':' '\n' < "$classpath" | while read -r dep; do
    case "$dep" in
        ''|*/org/junit/*|*/org/opentest4j/*|*/org/apiguardian/*) ;;
        *) cp "$dep" "$bundle/lib/" ;;
    esac
done

# Modules: what jdeps finds in every jar, plus what is only reached by name at run time.
modules=$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --multi-release 21 -q --print-module-deps \
    --class-path "$bundle/lib/*" "$bundle"/lib/*.jar)
# jdk.crypto.ec: EC key exchange and keys through the JCA provider list (empty and deprecated on
# newer JDKs, added only when the JDK still has it).
for extra in jdk.crypto.ec; do
    if "$JAVA_HOME/bin/java" --list-modules | grep -q "^$extra@"; then
        modules="$modules,$extra"
    fi
done
modules=${FLOTILLA_BUNDLE_MODULES:-$modules}   # an override, to try a smaller set
echo "modules: $modules"
strip_native=
if command -v objcopy >/dev/null; then
    strip_native=--strip-native-debug-symbols=exclude-debuginfo-files
fi
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --output "$bundle/runtime" $strip_native \
    --strip-debug --no-header-files --no-man-pages --compress=zip-6 --generate-cds-archive 2>&1 \
    | grep -v '^\[.*\]\[warning\]\[cds\]' || true
[ -x "$bundle/runtime/bin/java" ] || { echo "jlink failed" >&2; exit 1; }
# The archive for heaps over 32 GB (no compressed oops) is of no use with the launcher's -Xmx24m.
rm -f "$bundle/runtime/lib/server/classes_nocoops.jsa"

cp "$dist/flotilla-agent" "$bundle/bin/flotilla-agent"
cp "$repo/agent/src/main/resources/dev/flotilla/agent/jit-directives.json" "$bundle/lib/"
chmod 0755 "$bundle/bin/flotilla-agent"
cp "$dist/flotilla-agent.service" "$bundle/share/"
cp "$dist/install.sh" "$bundle/share/install.sh"
chmod 0755 "$bundle/share/install.sh"
cp "$repo/agent/README.md" "$bundle/README.md"
echo "$version" > "$bundle/VERSION"
tar -C "$target" -czf "$tarball" flotilla-agent

# Smoke test: start the bundle's agent on a scratch root, ask `status` over SSH, stop it.
work=$(mktemp -d "${TMPDIR:-/tmp}/flotilla-bundle.XXXXXX")
pid=
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
"$bundle/bin/flotilla-agent" --version
"$bundle/bin/flotilla-agent" keygen "$work/id_ed25519" --comment smoke >/dev/null
cp "$work/id_ed25519.pub" "$work/authorized_keys"
echo "smoke:$(head -c 32 /dev/urandom | base64)" > "$work/store-key.pub"
mkfifo "$work/ready"
FLOTILLA_AGENT_CDS="$work/agent.aot" "$bundle/bin/flotilla-agent" run --root "$work/root" --listen 127.0.0.1:0 \
    --host-key "$work/host_key" --authorized-keys "$work/authorized_keys" --trusted-key "$work/store-key.pub" \
    --services builtin > "$work/ready" 2> "$work/agent.log" &
pid=$!
read -r line < "$work/ready" || true
case "$line" in
    "flotilla-agent ready on "*) port=${line##*:} ;;
    *) echo "the bundle's agent did not start: '$line'" >&2; cat "$work/agent.log" >&2; exit 1 ;;
esac
# The launcher trained its AOT cache before that start, on runtimes that have AOT caches (JDK 24 and later).
if "$bundle/runtime/bin/java" -XX:AOTMode=off -version >/dev/null 2>&1; then
    [ -s "$work/agent.aot" ] || { echo "the launcher wrote no AOT cache" >&2; exit 1; }
    echo "AOT cache: $(du -h "$work/agent.aot" | cut -f1)"
fi
echo "agent started: $line"
if command -v ssh >/dev/null; then
    printf '\000\000\000\034{"v":1,"id":1,"op":"status"}' > "$work/request"
    answer=$(ssh -q -p "$port" -i "$work/id_ed25519" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
        -o BatchMode=yes -o ConnectTimeout=10 -s flotilla@127.0.0.1 flotilla-agent < "$work/request" | tail -c +5)
    case "$answer" in
        *'"ok":true'*) echo "status over SSH: ok" ;;
        *) echo "status over SSH failed: '$answer'" >&2; cat "$work/agent.log" >&2; exit 1 ;;
    esac
fi
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
[ "$status" = 143 ] || { echo "agent exited with $status on SIGTERM, expected 143" >&2; exit 1; }
echo "bundle: $bundle ($(du -sh "$bundle" | cut -f1); runtime $(du -sh "$bundle/runtime" | cut -f1))"
echo "tarball: $tarball ($(du -sh "$tarball" | cut -f1))"
