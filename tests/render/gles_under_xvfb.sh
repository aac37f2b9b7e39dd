#!/usr/bin/env bash
# Runs a test binary (gles_compare_test) against SDL's opengles2 renderer on
# Mesa under a private Xvfb server, as ctest does; any other arguments go to
# the test. Exit status: the test's.
set -euo pipefail
test_binary="$1"
shift
display=":$((200 + RANDOM % 300))"
Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.05; done
DISPLAY="$display" SDL_VIDEODRIVER=x11 SDL_RENDER_DRIVER=opengles2 "$test_binary" "$@"
