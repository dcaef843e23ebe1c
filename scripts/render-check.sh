#!/usr/bin/env bash
# How the desk's Arabic looks in real terminal emulators: runs the desk in
# each one under Xvfb, in each bidi mode, and saves screenshots of the main
# view, a claim (alb-06) and the article view, with an OCR verdict per screenshot
# (how many of the words tesseract reads are words of the article, in the
# article's order). Not part of CI: it installs packages and takes minutes.
#
#   bash scripts/render-check.sh [OUT_DIR] [TERMINAL...]
#
# Terminals: xterm mlterm konsole xfce4-terminal kitty (default: all found).
# Modes: auto, on, on+shape, off. Look at the PNGs: the verdict is a hint.
set -uo pipefail

cd "$(dirname "$0")/.."
out=${1:-render-check}
shift || true
terminals=("$@")
[ ${#terminals[@]} -eq 0 ] && terminals=(xterm mlterm konsole xfce4-terminal kitty)

need=(xvfb xterm mlterm konsole xfce4-terminal kitty xdotool imagemagick fonts-dejavu tesseract-ocr tesseract-ocr-ara dbus-x11)
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    missing=()
    for p in "${need[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "installing: ${missing[*]}"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
fi
for tool in Xvfb xdotool import; do
    command -v "$tool" >/dev/null || { echo "render-check: $tool is missing; install ${need[*]}" >&2; exit 2; }
done

cargo build --release --quiet || exit 1
desk=$PWD/target/release/claimdesk
mkdir -p "$out"
export DISPLAY=:97
Xvfb "$DISPLAY" -screen 0 1100x720x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null' EXIT
sleep 1

# The command each terminal runs, at 100x30 in DejaVu Sans Mono.
# Stop process $1 and everything it started, by PID, children first: the
# desk runs inside the terminal emulator this script launched.
kill_tree() {
    local child
    for child in $(pgrep -P "$1"); do
        kill_tree "$child"
    done
    kill "$1" 2>/dev/null
}

launch() {
    local term=$1 cmd=$2
    case $term in
        xterm) xterm -fa 'DejaVu Sans Mono' -fs 11 -geometry 100x30+0+0 -e sh -c "$cmd" ;;
        mlterm) mlterm -g 100x30+0+0 --fontsize 15 -e sh -c "$cmd" ;;
        konsole) konsole --separate --hide-menubar --hide-tabbar -p TerminalColumns=100 -p TerminalRows=30 \
            -p 'Font=DejaVu Sans Mono,11' -e sh -c "$cmd" ;;
        xfce4-terminal) dbus-launch xfce4-terminal --disable-server --hide-menubar --geometry 100x30+0+0 \
            --font 'DejaVu Sans Mono 11' -x sh -c "$cmd" ;;
        kitty) LIBGL_ALWAYS_SOFTWARE=1 kitty -o font_family='DejaVu Sans Mono' -o font_size=11 \
            -o initial_window_width=100c -o initial_window_height=30c -o remember_window_size=no sh -c "$cmd" ;;
    esac
}

shot() {
    sleep 1.5
    import -window root "$1" 2>/dev/null
}

keys() {
    local wid
    wid=$(xdotool search --onlyvisible --pid "$1" 2>/dev/null | tail -1)
    [ -n "$wid" ] && xdotool windowactivate --sync "$wid" 2>/dev/null
    shift
    xdotool key --delay 120 "$@"
}

verdict() {
    command -v tesseract >/dev/null || return 0
    tesseract "$1" - -l ara 2>/dev/null | python3 scripts/ocr_verdict.py ../shared/article/000_dead470cb7fcdd1a.txt
}

report=$out/verdicts.txt
: >"$report"
for term in "${terminals[@]}"; do
    command -v "$term" >/dev/null || { echo "skip $term: not installed" | tee -a "$report"; continue; }
    for mode in auto on on+shape off; do
        flags="--bidi ${mode%+shape}"
        [ "$mode" = on+shape ] && flags="$flags --shape"
        [ "$mode" = auto ] && flags=""
        name=$out/$term-$mode
        CLAIMDESK_REVIEWER=render-check launch "$term" "exec $desk $flags" >/dev/null 2>&1 &
        pid=$!
        sleep 4
        shot "$name-main.png"
        # alb-06: a claim long enough to wrap.
        keys "$pid" j j j j j Return
        shot "$name-claim.png"
        keys "$pid" a
        shot "$name-article.png"
        keys "$pid" Escape Escape q
        sleep 1
        kill_tree "$pid"
        wait "$pid" 2>/dev/null
        for view in main claim article; do
            printf '%-15s %-9s %-8s %s\n' "$term" "$mode" "$view" "$(verdict "$name-$view.png")" | tee -a "$report"
        done
    done
done
echo "screenshots and $report in $out/"
