#!/usr/bin/env bash
# Time from an urgent notice accepted by a screen's API to the frame that
# shows it: `noticeboard play` on the sample playlist at 1920x1080 (software
# renderer), alerts posted one after the other with curl.
#
# Each round: the script reads the wall clock just before curl POSTs a
# critical alert to /api/v1/alerts; the player logs "alert shown: ID
# (realtime T)" when it has drawn the first frame with it, just before the
# present. T minus the start is the latency, HTTP and all. The alert is then
# cancelled and the bulletin given a second to come back.
#
# Usage: bench/alert_latency.sh [path/to/noticeboard] [rounds] [dummy|xvfb]
# Prints every round, then the median, quartiles, min and max, and the load
# average (the machine is shared: compare runs side by side).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-build/release/player/app/noticeboard}"
rounds="${2:-20}"
mode="${3:-dummy}"
work="$(mktemp -d)"
pid=""
xvfb_pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null; rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))
token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
echo "$token" > "$work/token"
cat > "$work/config.json" <<JSON
{"state_dir": "$work/state", "usb": {"enabled": false},
 "api": {"enabled": true, "listen": "127.0.0.1:$port", "token_file": "$work/token"}}
JSON
args=(play playlists/tianjin-education.json --software --config "$work/config.json")
if [ "$mode" = xvfb ]; then
  display=":$((90 + RANDOM % 100))"
  Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
  DISPLAY="$display" SDL_VIDEODRIVER=x11 "$bin" "${args[@]}" 2> "$work/log" &
else
  SDL_VIDEODRIVER=dummy "$bin" "${args[@]}" --window 1920x1080 2> "$work/log" &
fi
pid=$!
for _ in $(seq 300); do grep -q "first frame presented" "$work/log" && break; sleep 0.1; done
sleep 1
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
samples=()
for i in $(seq "$rounds"); do
  id="bench-$i"
  start=$EPOCHREALTIME
  curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data "{\"id\": \"$id\", \"severity\": \"critical\", \"title\": \"演练：请勿惊慌 $i\", \"for\": \"10m\"}" \
    "http://127.0.0.1:$port/api/v1/alerts"
  shown=""
  for _ in $(seq 500); do
    shown=$(grep -o "alert shown: $id (realtime [0-9.]*)" "$work/log" | grep -o '[0-9]*\.[0-9]*' | tail -1 || true)
    [ -n "$shown" ] && break
    sleep 0.01
  done
  [ -n "$shown" ] || { echo "round $i: never shown"; exit 1; }
  ms=$(echo "($shown - $start) * 1000" | bc -l)
  printf 'round %2d: %7.1f ms\n' "$i" "$ms"
  samples+=("$ms")
  curl -sf -o /dev/null -X DELETE -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$port/api/v1/alerts/$id"
  sleep 1
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%s\n' "${samples[@]}" | sort -n | awk '
  { v[NR] = $1 }
  END {
    printf "accepted POST to the frame showing it (%d rounds): median %.1f ms, ", NR, v[int((NR + 1) / 2)]
    printf "quartiles %.1f / %.1f ms, min %.1f, max %.1f\n", v[int((NR + 3) / 4)], v[int((3 * NR + 3) / 4)], v[1], v[NR]
  }'
