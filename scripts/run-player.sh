#!/usr/bin/env bash
# README command 1: install what is needed, build, and play the bundled
# bulletin playlist. With a display (X11 or Wayland, or a Linux console with
# KMS) the player opens; without one it says so and renders the slides to PNG.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target noticeboard

bin=build/release/player/app/noticeboard
playlist=playlists/tianjin-education.json

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  echo "Playing $playlist in a window (q or Esc quits, f toggles full screen)."
  exec "$bin" play "$playlist" --window 1280x720 "$@"
elif [[ "$(tty 2>/dev/null || true)" =~ ^/dev/tty[0-9]+$ ]] && compgen -G '/dev/dri/card*' >/dev/null; then
  echo "Playing $playlist full screen on the console (q or Esc quits)."
  exec "$bin" play "$playlist" "$@"
else
  out=out/slides
  echo "No display found (DISPLAY and WAYLAND_DISPLAY are unset): rendering the slides to PNG in $out instead."
  mkdir -p "$out"
  "$bin" render "$playlist" --out "$out" --size 1920x1080 "$@"
  echo "Done: open $out/contact-sheet.png to see every slide."
fi
