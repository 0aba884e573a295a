#!/bin/sh
# Flotilla against Ansible: the same small configuration change (one value in one /etc file) on N hosts,
# 20 at a time. Flotilla: N simulated agents in one process (`flotilla-agent simulate`: each its own root,
# host key and loopback port, real SSH), `flotilla deploy --parallel 20` (evaluate, build, copy the missing
# paths, switch atomically, confirm over a new connection). Ansible: N OpenSSH servers on loopback ports
# (one sshd per host, each host a directory), a playbook that copies the file into a new release directory
# and switches a `current` symlink to it, forks 20, no fact gathering, pipelining on. Both sides deploy
# version 1 first (untimed), then the change is timed. Prints:
#   agents=N flotilla_s=N ansible_s=N ratio_vs_ansible=N      (ratio = ansible_s / flotilla_s)
# Usage: bench/rollout/run.sh            AGENTS=100 PARALLEL=20 by default. Needs ansible and openssh-server
#        (installed with apt-get when missing). FLOTILLA_ONLY=1 skips the Ansible half (for profiling).
#        Builds the CLI (and the modules it needs) first, under the shared build lock.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
JAVA_HOME=${JAVA_HOME:-$("$repo/.mvn/find-jdk.sh")}
export JAVA_HOME
agents=${AGENTS:-100}
parallel=${PARALLEL:-20}

if [ -z "${FLOTILLA_ONLY:-}" ] && { ! command -v ansible-playbook >/dev/null 2>&1 || [ ! -x /usr/sbin/sshd ]; }; then
    apt-get install -y ansible openssh-server >/dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/flotilla-bench-rollout.XXXXXX")
cleanup() {
    for f in "$work"/ans/*/sshd.pid; do
        [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

cd "$repo"
# Always rebuilt (NO_BUILD=1 skips it): a stale agent or CLI jar would measure old code. Then the measurements
# hold the shared build lock themselves, so no build pollutes the figures: do not wrap this script in flock
# (its own build would wait for the lock its parent holds).
if [ -z "${NO_BUILD:-}" ]; then
    flock /tmp/flotilla-build.lock ./mvnw -B -q -o -pl cli -am package -Dmaven.test.skip=true
fi
exec 9>/tmp/flotilla-build.lock
flock 9
cp="$repo/cli/target/flotilla-cli.jar:$repo/cli/target/lib/*"

# --- Flotilla --------------------------------------------------------------------------------------
mkdir -p "$work/flotilla"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" "$here/RolloutBench.java" "$work/flotilla" "$agents" "$parallel" \
    | tee "$work/flotilla.out"
flotilla_s=$(sed -n 's/^flotilla_s=//p' "$work/flotilla.out")
rm -rf "$work/flotilla"
if [ -n "${FLOTILLA_ONLY:-}" ]; then
    echo "agents=$agents"
    echo "flotilla_s=$flotilla_s"
    exit 0
fi

# --- Ansible over OpenSSH --------------------------------------------------------------------------
ans="$work/ans"
mkdir -p "$ans" /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$ans/client_key"
ssh-keygen -q -t ed25519 -N '' -f "$ans/host_key"
printf '[fleet]\n' > "$ans/inventory.ini"
base_port=$(( 30000 + $$ % 20000 ))
i=1
while [ "$i" -le "$agents" ]; do
    h=$(printf 'host-%03d' "$i")
    port=$(( base_port + i ))
    mkdir -p "$ans/$h/root/etc/app/releases"
    cat > "$ans/$h/sshd_config" <<CFG
Port $port
ListenAddress 127.0.0.1
HostKey $ans/host_key
AuthorizedKeysFile $ans/client_key.pub
PidFile $ans/$h/sshd.pid
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp internal-sftp
CFG
    /usr/sbin/sshd -f "$ans/$h/sshd_config" 9>&-   # daemons must not keep the build lock open
    printf '%s ansible_host=127.0.0.1 ansible_port=%s root_dir=%s\n' "$h" "$port" "$ans/$h/root" >> "$ans/inventory.ini"
    i=$(( i + 1 ))
done
cat > "$ans/ansible.cfg" <<CFG
[defaults]
inventory = $ans/inventory.ini
forks = $parallel
host_key_checking = False
gathering = explicit
interpreter_python = /usr/bin/python3
remote_user = $(id -un)
private_key_file = $ans/client_key
stdout_callback = default
[ssh_connection]
pipelining = True
CFG
cat > "$ans/deploy.yml" <<'YML'
- hosts: fleet
  gather_facts: false
  tasks:
    - name: the new release of app.conf
      copy:
        dest: "{{ root_dir }}/etc/app/releases/app.conf-{{ version }}"
        content: |
          listen = 0.0.0.0:8080
          server_name = {{ inventory_hostname }}
          max_connections = {{ max_connections }}
    - name: switch the symlink to it
      file:
        src: "{{ root_dir }}/etc/app/releases/app.conf-{{ version }}"
        dest: "{{ root_dir }}/etc/app/app.conf"
        state: link
        force: true
YML
export ANSIBLE_CONFIG="$ans/ansible.cfg"
sleep 1
ansible-playbook "$ans/deploy.yml" -e version=1 -e max_connections=100 > "$ans/first.log" 2>&1 9>&- \
    || { tail -30 "$ans/first.log" >&2; exit 1; }
start=$(date +%s.%N)
ansible-playbook "$ans/deploy.yml" -e version=2 -e max_connections=200 > "$ans/change.log" 2>&1 9>&- \
    || { tail -30 "$ans/change.log" >&2; exit 1; }
end=$(date +%s.%N)
grep -E 'ok=|failed=' "$ans/change.log" | grep -vc 'failed=0' | { read -r bad; [ "$bad" = 0 ] || { echo "ansible: $bad host(s) failed" >&2; exit 1; }; }
for d in "$ans"/host-*/root; do
    grep -q 'max_connections = 200' "$d/etc/app/app.conf" || { echo "ansible: $d did not change" >&2; exit 1; }
done
ansible_s=$(echo "$end - $start" | bc -l | awk '{printf "%.2f", $1}')

echo "agents=$agents"
echo "flotilla_s=$flotilla_s"
echo "ansible_s=$ansible_s"
echo "ratio_vs_ansible=$(echo "$ansible_s / $flotilla_s" | bc -l | awk '{printf "%.1f", $1}')"
