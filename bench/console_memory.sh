#!/usr/bin/env bash
# What the web console costs a screen in memory (issue 14): PSS of `noticeboard
# play` on the sample playlist (1920x1080, dummy video driver) with the API
# alone, then with the API and the console, idle, after N previews drawn
# through the console, and again once they are done. Side by side in one run.
# Usage: bench/console_memory.sh [path/to/noticeboard] [previews]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-build/release/player/app/noticeboard}"
previews="${2:-20}"
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
pid=0
echo 0123456789abcdef0123456789abcdef >"$work/token"
echo "bench-password-1" | "$bin" passwd --file "$work/pw" --password-stdin >/dev/null
port=$((20000 + RANDOM % 20000))

pss() { awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup"; }

start_play() {  # $1: console true/false
  cat >"$work/config.json" <<EOF
{"state_dir": "$work/state-$1", "usb": {"enabled": false},
 "api": {"enabled": true, "listen": "127.0.0.1:$port", "token_file": "$work/token",
         "password_file": "$work/pw", "console": $1}}
EOF
  SDL_VIDEODRIVER=dummy "$bin" play playlists/tianjin-education.json --window 1920x1080 \
    --config "$work/config.json" 2>"$work/play-$1.log" &
  pid=$!
  for _ in $(seq 100); do
    curl -sf -o /dev/null -H "Authorization: Bearer $(cat "$work/token")" \
      "http://127.0.0.1:$port/api/v1/status" && break
    sleep 0.1
  done
  sleep 8  # settle: the first slides drawn, the atlas warm
}

start_play false
api_only=$(pss $pid)
kill $pid; wait $pid 2>/dev/null || true

start_play true
console_idle=$(pss $pid)
base="http://127.0.0.1:$port"
csrf=$(curl -sf -c "$work/jar" -H "Origin: $base" -H 'Content-Type: application/json' \
  -d '{"user":"admin","password":"bench-password-1"}' "$base/console/api/login" |
  sed -n 's/.*"csrf": "\([0-9a-f]*\)".*/\1/p')
peak=0
t0=$(date +%s%N)
for i in $(seq "$previews"); do
  curl -sf -o /dev/null -b "$work/jar" -H "Origin: $base" -H "X-CSRF-Token: $csrf" \
    -H 'Content-Type: application/json' --data-binary @playlists/tianjin-education.json \
    "$base/console/api/preview?item=$(((i - 1) % 15))&w=1920&h=1080" &
  c=$!
  while kill -0 $c 2>/dev/null; do
    p=$(pss $pid)
    [ "$p" -gt "$peak" ] && peak=$p
    sleep 0.01
  done
  wait $c
done
t1=$(date +%s%N)
sleep 2
after=$(pss $pid)

echo "PSS, play on the sample at 1920x1080 (kB):"
echo "  API only:                    $api_only"
echo "  API + console, idle:         $console_idle  (+$((console_idle - api_only)))"
echo "  peak during $previews previews:     $peak  (+$((peak - api_only)))"
echo "  after the previews:          $after  (+$((after - api_only)))"
echo "preview latency, mean of $previews at 1920x1080: $(((t1 - t0) / previews / 1000000)) ms"
