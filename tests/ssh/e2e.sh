#!/usr/bin/env bash
# End-to-end over a real SSH connection: start Debian's sshd on 127.0.0.1
# with a throwaway host key and authorized_keys, ssh in with a pty (tmux is
# the terminal), open the desk, mark a claim, quit, and check the YAML.
#
# Usage: tests/ssh/e2e.sh [path/to/claimdesk]   (default: target/release/claimdesk)
# Needs: sshd (openssh-server), ssh, ssh-keygen, tmux.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$(realpath "${1:-$repo/target/release/claimdesk}")"
sshd="$(command -v sshd || echo /usr/sbin/sshd)"
for tool in "$sshd" ssh ssh-keygen tmux; do
    command -v "$tool" >/dev/null || { echo "ssh e2e: $tool not found" >&2; exit 1; }
done
[ -x "$bin" ] || { echo "ssh e2e: no binary at $bin (cargo build --release)" >&2; exit 1; }

work="$(mktemp -d)"
session="claimdesk-ssh-e2e-$$"
sshd_pid=""
cleanup() {
    tmux kill-session -t "$session" 2>/dev/null || true
    [ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/claims"
cp "$repo"/claims/*.yaml "$work/claims/"
ssh-keygen -q -t ed25519 -N '' -f "$work/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$work/client_key"
cp "$work/client_key.pub" "$work/authorized_keys"
chmod 600 "$work/authorized_keys"
port=$(( 20000 + RANDOM % 20000 ))
user="$(id -un)"
cat > "$work/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $port
HostKey $work/host_key
AuthorizedKeysFile $work/authorized_keys
PidFile $work/sshd.pid
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
AllowUsers $user
EOF
mkdir -p /run/sshd 2>/dev/null || true
"$sshd" -D -e -f "$work/sshd_config" 2>"$work/sshd.log" &
sshd_pid=$!
for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
done

remote="cd '$work' && CLAIMDESK_REVIEWER=ssh-e2e CLAIMDESK_NO_CACHE=1 TERM=xterm-256color '$bin' -C '$work/claims'"
tmux new-session -d -s "$session" -x 80 -y 24 \
    "ssh -tt -p $port -i '$work/client_key' -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR $user@127.0.0.1 \"$remote\"; sleep 5"

wait_for() { # text, what
    for _ in $(seq 100); do
        tmux capture-pane -p -t "$session" | grep -qF "$1" && return 0
        sleep 0.1
    done
    echo "ssh e2e: timed out waiting for $2; screen:" >&2
    tmux capture-pane -p -t "$session" >&2
    cat "$work/sshd.log" >&2
    exit 1
}

# Every shipped claim, counted from the file itself (claim ids start alb-).
claims=$(cat "$work"/claims/*.yaml | grep -c '^  - id: alb-')
wait_for "Claims $claims/$claims" "the desk over ssh"
tmux send-keys -t "$session" j
wait_for "▶ alb-02" "the cursor to move"
tmux send-keys -t "$session" 3
wait_for "alb-02: unreviewed -> verified" "the status change"
tmux send-keys -t "$session" q
sleep 0.5

shown="$(CLAIMDESK_NO_CACHE=1 "$bin" -C "$work/claims" show alb-02)"
if grep -q "ssh-e2e: unreviewed -> verified" <<<"$shown"; then
    echo "ssh-e2e: 1 passed, 0 failed"
else
    echo "ssh e2e: the change is not in the YAML:" >&2
    echo "$shown" >&2
    echo "ssh-e2e: 0 passed, 1 failed"
    exit 1
fi
