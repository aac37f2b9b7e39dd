#!/usr/bin/env bash
# Time from launching `noticeboard play` to its first presented frame, on the
# sample playlist at 1920x1080 with SDL's software renderer, over many runs.
#
# Each run: the script reads the wall clock ($EPOCHREALTIME, no fork) just
# before it starts the player with the hidden --exit-after-first-frame flag;
# the player logs the wall clock right after its first SDL_RenderPresent and
# exits. The difference includes fork/exec, dynamic linking and everything up
# to the present, as "launch to first paint" does for a browser.
#
# Usage: bench/first_frame.sh [path/to/noticeboard] [runs] [dummy|xvfb]
#   dummy: SDL's dummy video driver, --window 1920x1080 (headless; the path a
#          Pi console without X takes, minus the KMS page flip)
#   xvfb:  a 1920x1080x24 Xvfb server started once, SDL's x11 driver, full
#          screen (the desktop path; the present is an XPutImage)
# Prints every run, then the median, quartiles, min and max, and the load
# average before and after (the machine is shared: compare runs side by side).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-build/release/player/app/noticeboard}"
runs="${2:-30}"
mode="${3:-dummy}"
args=(play playlists/tianjin-education.json --software --exit-after-first-frame)
xvfb_pid=""
trap '[ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true' EXIT
if [ "$mode" = xvfb ]; then
  display=":$((90 + RANDOM % 100))"
  Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
  export DISPLAY="$display" SDL_VIDEODRIVER=x11
else
  export SDL_VIDEODRIVER=dummy
  args+=(--window 1920x1080)
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
"$bin" "${args[@]}" >/dev/null 2>&1 || true  # warm the page cache once
times=()
for i in $(seq "$runs"); do
  start=$EPOCHREALTIME
  log=$("$bin" "${args[@]}" 2>&1 >/dev/null) || { echo "run $i failed:"; echo "$log"; exit 1; }
  shown=$(sed -n 's/.*first frame presented.*realtime \([0-9.]*\).*/\1/p' <<<"$log")
  [ -n "$shown" ] || { echo "run $i: no first-frame line:"; echo "$log"; exit 1; }
  ms=$(awk -v a="$start" -v b="$shown" 'BEGIN {printf "%.1f", (b - a) * 1000}')
  times+=("$ms")
  echo "run $i: $ms ms"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
printf '%s\n' "${times[@]}" | sort -n | awk -v mode="$mode" -v lb="$load_before" -v la="$load_after" '
  { t[NR] = $1 }
  function q(p,   i) { i = 1 + (NR - 1) * p; return t[int(i)] + (t[int(i) + (i > int(i))] - t[int(i)]) * (i - int(i)) }
  END {
    printf "first frame (%s, 1920x1080, software renderer), %d runs: median %.1f ms, ", mode, NR, q(0.5)
    printf "quartiles %.1f-%.1f ms, min %.1f ms, max %.1f ms\n", q(0.25), q(0.75), t[1], t[NR]
    printf "load average before: %s, after: %s\n", lb, la
  }'
