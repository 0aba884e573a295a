#!/bin/sh
# Prints the home of a JDK 21 or newer: $JAVA_HOME if it is one, else the newest
# under /usr/lib/jvm, else the one of `javac` on PATH. Used by ./mvnw and ./flotilla
# so that both work on a machine whose default java is older.
major() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}
ok() {
    [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
    m=$(major "$1")
    [ -n "$m" ] && [ "$m" -ge 21 ]
}
if [ -n "${JAVA_HOME:-}" ] && ok "$JAVA_HOME"; then
    echo "$JAVA_HOME"; exit 0
fi
best=; best_major=0
for d in /usr/lib/jvm/*; do
    if ok "$d"; then
        m=$(major "$d")
        if [ "$m" -gt "$best_major" ]; then best=$d; best_major=$m; fi
    fi
done
if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
    d=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    ok "$d" && best=$d
fi
if [ -z "$best" ]; then
    echo "no JDK 21 or newer found: install one (Debian: apt-get install openjdk-21-jdk, or Temurin) or set JAVA_HOME" >&2
    exit 1
fi
echo "$best"
