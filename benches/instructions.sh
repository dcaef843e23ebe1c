#!/usr/bin/env bash
# Instructions per search keystroke, counted by callgrind: a figure that
# repeats exactly from run to run on a noisy machine, where times do not.
# Usage: bash benches/instructions.sh [CLAIMS...]   (default 10000 100000 1000000)
# Pinned to one core, so the work split over cores is counted in full. The
# desk is written, and its parse cache filled, beforehand and outside
# callgrind (`claimdesk synth`, `claimdesk check`).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "needs valgrind (Debian: apt install valgrind)"; exit 1; }
bin=$(cargo bench --bench desk --no-run --message-format=json 2>/dev/null |
    sed -n 's/.*"executable":"\([^"]*\/desk-[^"]*\)".*/\1/p' | tail -1)
[ -x "$bin" ] || { echo "could not build the desk bench"; exit 1; }
cargo build --release --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for n in "${@:-10000 100000 1000000}"; do
    for size in $n; do
        desk="$out/desk.$size"
        target/release/claimdesk synth "$desk" --size "$size" --seed 42 >/dev/null
        # Fill the parse cache natively: callgrind then only decodes it.
        XDG_CACHE_HOME="$out/cache" target/release/claimdesk -C "$desk" check >/dev/null
        said=$(XDG_CACHE_HOME="$out/cache" CLAIMDESK_BENCH_DESK="$desk" CLAIMDESK_BENCH_INSTRUCTIONS=$size \
            taskset -c 0 valgrind --tool=callgrind --collect-atstart=no \
            --toggle-collect='*measured_keystroke*' \
            --callgrind-out-file="$out/cg.$size" "$bin" 2>/dev/null)
        rm -rf "$desk"
        keys=$(echo "$said" | sed -n 's/.*: \([0-9]*\) search keystrokes measured/\1/p')
        total=$(callgrind_annotate "$out/cg.$size" 2>/dev/null |
            sed -n 's/^\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' | tr -d ,)
        [ -n "$keys" ] && [ -n "$total" ] || { echo "$size claims: no count"; continue; }
        echo "$size claims: $((total / keys)) instructions per search keystroke ($keys keystrokes, $total in all)"
    done
done
