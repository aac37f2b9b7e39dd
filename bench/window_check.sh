#!/usr/bin/env bash
# The desktop preview under Xvfb: `play --window 1280x720`, then the window is
# resized (xdotool) to 1600x900, 1080x1350, 900x1600 and back to 1280x720; a
# screenshot of the window is taken after each step (xwd + netpbm), and
# the player's log shows the layout size it followed. Ends with the q key.
# Look at the PNGs: the layout must fill each size, portrait ones portrait.
# Usage: bench/window_check.sh [path/to/noticeboard] [out-dir] [extra play args...]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-build/dev/player/app/noticeboard}"
out="${2:-out/window-check}"
shift $(($# > 2 ? 2 : $#))
mkdir -p "$out"
display=":$((90 + RANDOM % 100))"
Xvfb "$display" -screen 0 2200x2000x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
player_pid=""
trap 'kill $player_pid $xvfb_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
export DISPLAY="$display"

SDL_VIDEODRIVER=x11 "$bin" play playlists/tianjin-education.json --window 1280x720 --software \
  "$@" 2>"$out/play.log" &
player_pid=$!
window=""
for _ in $(seq 100); do
  window=$(xdotool search --name Noticeboard 2>/dev/null | head -1 || true)
  [ -n "$window" ] && grep -q "first frame presented" "$out/play.log" && break
  sleep 0.1
done
[ -n "$window" ] || { echo "no window"; cat "$out/play.log"; exit 1; }

shot() {
  sleep "${SETTLE:-1.0}"
  eval "$(xdotool getwindowgeometry --shell "$window")"
  xwd -root -silent | xwdtopnm 2>/dev/null |
    pamcut -left "$X" -top "$Y" -width "$WIDTH" -height "$HEIGHT" | pnmtopng >"$out/$1.png"
  echo "$1: window ${WIDTH}x${HEIGHT} -> $out/$1.png"
}
shot 1-1280x720
n=1
for size in 1600x900 1080x1350 900x1600 1280x720; do
  xdotool windowsize "$window" "${size%x*}" "${size#*x}"
  xdotool windowmove "$window" 0 0  # keeps a tall window on the screen
  n=$((n + 1))
  shot "$n-$size"
done
xdotool key --window "$window" q
wait "$player_pid" || true
player_pid=""
echo "layouts the player followed:"
grep -E "screen [0-9]+x[0-9]+" "$out/play.log" | sed 's/^/  /'
