#!/usr/bin/env bash
# CPU of `noticeboard play` against a Chromium kiosk showing the same
# bulletin (issue 16), side by side in one run: both start together, and
# after a warm-up their CPU time (user + system, from /proc; for Chromium
# every process of its tree) is read at the start and the end of the same
# window. The page (bench/kiosk/index.html) draws the same header band and
# clock, the same slides crossfading and the same scrolling ticker at
# 1920x1080; Chromium runs headless with --disable-gpu, the player on SDL's
# dummy driver (software renderer), the way each would run on a Pi without
# its GPU.
#
# Usage: bench/kiosk_cpu.sh [BINARY] [SECONDS] [SLIDE_SECONDS]
#   BINARY         default build/release/player/app/noticeboard
#   SECONDS        the measured window (default 20), after a 6 s warm-up
#   SLIDE_SECONDS  how long each slide stays, both sides (default 15, the
#                  sample playlist's; 2 makes crossfades a third of the time)
# Prints each side's share of one core, the ratio (target: 0.5 or less), the
# player's frame count and the load average (the machine may be shared:
# compare within one run, not across runs).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-build/release/player/app/noticeboard}"
seconds="${2:-20}"
slide_s="${3:-15}"
warmup=6
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -x "$bin" ] || { echo "kiosk_cpu: no player at $bin (cmake --preset release && cmake --build --preset release)" >&2; exit 2; }
[ -n "$chromium" ] || { echo "kiosk_cpu: chromium is not installed (scripts/install-deps.sh)" >&2; exit 2; }

work=$(mktemp -d)
play_pid="" chrome_pid=""
cleanup() {
  [ -n "$play_pid" ] && kill "$play_pid" 2>/dev/null || true
  [ -n "$chrome_pid" ] && kill "$chrome_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cp bench/kiosk/index.html "$work/"
python3 - "$slide_s" > "$work/kiosk-data.js" <<'PY'
import json, sys
p = json.load(open("playlists/tianjin-education.json", encoding="utf-8"))
fade = p.get("defaults", {}).get("transition", {}).get("ms", 600)
items = [{"title": i["title"], "date": i.get("date", ""), "summary": i.get("summary", ""),
          "enabled": i.get("enabled", True)} for i in p["items"]]
print("const NB_PLAYLIST = " + json.dumps({"title": p["title"], "items": items}, ensure_ascii=False) + ";")
print("const NB_TIMING = " + json.dumps({"slide_s": float(sys.argv[1]), "fade_ms": fade,
                                          "ticker_speed": 0.1}) + ";")
PY

sandbox=()
[ "$(id -u)" -eq 0 ] && sandbox=(--no-sandbox)  # Chromium refuses to run as root otherwise
SDL_VIDEODRIVER=dummy "$bin" play playlists/tianjin-education.json --window 1920x1080 \
  --slide-seconds "$slide_s" 2>"$work/play.log" &
play_pid=$!
"$chromium" --headless --disable-gpu "${sandbox[@]}" --user-data-dir="$work/profile" \
  --window-size=1920,1080 --hide-scrollbars --mute-audio --no-first-run --disable-extensions \
  --disable-background-networking "file://$work/index.html" >"$work/chromium.log" 2>&1 &
chrome_pid=$!
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$play_pid" "$chrome_pid" "$warmup" "$seconds" <<'PY'
import os, sys, time
play, chrome, warmup, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
hz = os.sysconf("SC_CLK_TCK")

def stat(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
    except OSError:
        return None
    fields = s[s.rindex(")") + 2:].split()
    return int(fields[1]), int(fields[11]) + int(fields[12])  # ppid, utime + stime

def tree(root):
    """CPU ticks of root and every process below it, by pid."""
    procs = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            st = stat(int(d))
            if st: procs[int(d)] = st
    out, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in procs:
            out[pid] = procs[pid][1]
            todo += [c for c, (ppid, _) in procs.items() if ppid == pid]
    return out

time.sleep(warmup)
for pid, name in ((play, "noticeboard play"), (chrome, "chromium")):
    if stat(pid) is None:
        sys.exit(f"kiosk_cpu: {name} is not running (see its log)")
t0, p0, c0 = time.monotonic(), tree(play), tree(chrome)
time.sleep(seconds)
t1, p1, c1 = time.monotonic(), tree(play), tree(chrome)
wall = t1 - t0
def share(a, b):  # processes that started in the window count from zero
    return sum(b[pid] - a.get(pid, 0) for pid in b) / hz / wall
ours, theirs = share(p0, p1), share(c0, c1)
print(f"CPU over the same {wall:.1f} s (share of one core):")
print(f"  noticeboard play (dummy driver, software renderer): {ours * 100:5.1f} %")
print(f"  chromium --headless --disable-gpu ({len(c1)} processes):  {theirs * 100:5.1f} %")
print(f"  ratio ours / chromium: {ours / theirs:.2f} (target 0.5 or less)" if theirs > 0 else
      "  chromium used no CPU: no ratio")
PY
kill -TERM "$play_pid" 2>/dev/null || true  # SDL turns it into a quit (SIGINT is ignored in background jobs)
wait "$play_pid" 2>/dev/null || true
play_pid=""
frames=$(grep -o '[0-9]* slide changes, [0-9]* frames in [0-9.]* s' "$work/play.log" || true)
pacing=$(grep -o 'frame pacing: .*' "$work/play.log" | head -1 || true)
echo "  player: ${frames:-no frame count in its log} ($pacing)"
echo "  slides ${slide_s} s each, 1920x1080; load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
