#!/usr/bin/env bash
# The soak (issue 7): builds bench/soak with the release preset and runs it.
# Without options: 100,000 slide changes, 5,000 reloads, 50,000 API requests
# at 960x540 (minutes on two cores). Options go to the program, e.g.
#   bench/soak.sh --slides 10000 --reloads 500 --requests 5000
#   bench/soak.sh --memory-csv /tmp/rss.csv --size 1280x720
# The work folder (state, config, token, the player's log) is a new one under
# $TMPDIR, by default /dev/shm here: each accepted update is several fsyncs,
# and on a busy disk those, not the player, would pace the run. It is kept
# when a target is missed. Exit status 0: every target met.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${NB_SOAK_BUILD:-build/release}"
if [[ ! -f "$build/build.ninja" ]]; then
  cmake --preset release -B "$build" >/dev/null
fi
cmake --build "$build" -j2 --target soak >/dev/null
export SDL_VIDEODRIVER="${SDL_VIDEODRIVER:-dummy}"
if [[ -z "${TMPDIR:-}" && -d /dev/shm ]]; then export TMPDIR=/dev/shm; fi
exec "$build/bench/soak" "$@"
