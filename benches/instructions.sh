#!/usr/bin/env bash
# Instructions per search keystroke, counted by callgrind: a figure that
# repeats exactly from run to run on a noisy machine, where times do not.
# Usage: bash benches/instructions.sh [CLAIMS...]   (default 10000 100000)
# Pinned to one core, so the work split over cores is counted in full.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "needs valgrind (Debian: apt install valgrind)"; exit 1; }
bin=$(cargo bench --bench desk --no-run --message-format=json 2>/dev/null |
    sed -n 's/.*"executable":"\([^"]*\/desk-[^"]*\)".*/\1/p' | tail -1)
[ -x "$bin" ] || { echo "could not build the desk bench"; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for n in "${@:-10000 100000}"; do
    for size in $n; do
        said=$(CLAIMDESK_NO_CACHE=1 CLAIMDESK_BENCH_INSTRUCTIONS=$size taskset -c 0 \
            valgrind --tool=callgrind --collect-atstart=no \
            --toggle-collect='*measured_keystroke*' \
            --callgrind-out-file="$out/cg.$size" "$bin" 2>/dev/null)
        keys=$(echo "$said" | sed -n 's/.*: \([0-9]*\) search keystrokes measured/\1/p')
        total=$(callgrind_annotate "$out/cg.$size" 2>/dev/null |
            sed -n 's/^\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' | tr -d ,)
        [ -n "$keys" ] && [ -n "$total" ] || { echo "$size claims: no count"; continue; }
        echo "$size claims: $((total / keys)) instructions per search keystroke ($keys keystrokes, $total in all)"
    done
done
