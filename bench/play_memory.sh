#!/usr/bin/env bash
# Peak RSS and PSS of `noticeboard play` on the sample playlist over 100 slide
# changes (accelerated: 0.3 s per slide plus the 600 ms crossfade), at
# 1920x1080 with SDL's software renderer and no display (dummy video driver),
# and the time from process start to the first presented frame.
# Usage: bench/play_memory.sh [path/to/noticeboard] [slides]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-build/release/player/app/noticeboard}"
slides="${2:-100}"
log=$(mktemp)
start_ns=$(date +%s%N)
SDL_VIDEODRIVER=dummy "$bin" play playlists/tianjin-education.json --window 1920x1080 \
  --slide-seconds 0.3 --exit-after-slides "$slides" 2>"$log" &
pid=$!
peak_pss=0
peak_rss=0
first_frame_wall=""
while kill -0 "$pid" 2>/dev/null; do
  if [ -r "/proc/$pid/smaps_rollup" ]; then
    pss=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
    rss=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    [ -n "$pss" ] && [ "$pss" -gt "$peak_pss" ] && peak_pss=$pss
    [ -n "$rss" ] && [ "$rss" -gt "$peak_rss" ] && peak_rss=$rss
  fi
  if [ -z "$first_frame_wall" ] && grep -q "first frame presented" "$log"; then
    first_frame_wall=$(( ($(date +%s%N) - start_ns) / 1000000 ))
  fi
  sleep 0.05
done
wait "$pid" || true
cat "$log" | sed 's/^/  play: /'
echo "peak PSS:  $((peak_pss / 1024)) MB ($peak_pss kB)"
echo "peak RSS:  $((peak_rss / 1024)) MB ($peak_rss kB)"
grep -o "first frame presented [0-9]* ms after process start" "$log" || true
echo "first frame seen by this script after <= ${first_frame_wall:-?} ms (50 ms polling)"
rm -f "$log"
