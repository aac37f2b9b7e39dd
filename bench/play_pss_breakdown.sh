#!/usr/bin/env bash
# Where the memory of `noticeboard play` goes: runs the sample playlist for N
# slide changes (accelerated, 0.3 s per slide plus the crossfade) at 1920x1080
# with SDL's software renderer, keeps /proc/PID/smaps from the moment of peak
# PSS, and sums PSS per mapping: each shared library, the heap, anonymous
# mappings by size (window framebuffer, slide texture, atlas pages, thread
# stacks), font and data files.
# Usage: bench/play_pss_breakdown.sh [path/to/noticeboard] [slides] [dummy|xvfb]
#   dummy: SDL's dummy video driver (headless, like a KMSDRM screen without GPU)
#   xvfb:  a 1920x1080 Xvfb server and SDL's x11 driver, full screen
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-build/release/player/app/noticeboard}"
slides="${2:-100}"
mode="${3:-dummy}"
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${xvfb_pid:-}" ] && kill "$xvfb_pid" 2>/dev/null || true' EXIT

args=(play playlists/tianjin-education.json --software --slide-seconds 0.3
      --exit-after-slides "$slides")
if [ "$mode" = xvfb ]; then
  display=":$((90 + RANDOM % 100))"
  Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  sleep 0.5
  export DISPLAY="$display" SDL_VIDEODRIVER=x11
else
  export SDL_VIDEODRIVER=dummy
  args+=(--window 1920x1080)
fi

"$bin" "${args[@]}" 2>"$work/log" &
pid=$!
peak=0
while kill -0 "$pid" 2>/dev/null; do
  pss=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || true)
  if [ -n "$pss" ] && [ "$pss" -gt "$peak" ]; then
    cat "/proc/$pid/smaps" >"$work/smaps.tmp" 2>/dev/null && mv "$work/smaps.tmp" "$work/smaps"
    peak=$pss
  fi
  sleep 0.1
done
wait "$pid" || true
grep -E "slide changes|first frame|error" "$work/log" | sed 's/^/  play: /' || true
echo "peak PSS: $peak kB ($(awk -v k="$peak" 'BEGIN {printf "%.1f", k / 1024}') MB), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -s "$work/smaps" ] || { echo "no smaps captured"; exit 1; }

[ -n "${SMAPS_OUT:-}" ] && cp "$work/smaps" "$SMAPS_OUT"

# PSS summed per mapping name; anonymous mappings are grouped by size so that
# the framebuffer, textures and atlas pages stand out.
awk '
  /^[0-9a-f]+-[0-9a-f]+ / {
    name = (NF >= 6) ? $6 : ""
    if (name ~ /\.so/) { sub(/.*\//, "", name); sub(/\.so.*/, ".so", name) }
    anon = (name == "")
    next
  }
  /^Size:/ { if (anon) name = sprintf("[anon %d kB]", $2); next }
  /^Pss:/ { pss[name] += $2; total += $2 }
  END {
    for (n in pss) if (pss[n] >= 64) { printf "%8.1f MB  %s\n", pss[n] / 1024, n; shown += pss[n] }
    printf "%8.1f MB  (mappings under 64 kB PSS each)\n", (total - shown) / 1024
    printf "%8.1f MB  total\n", total / 1024
  }
' "$work/smaps" | sort -rn
