#!/usr/bin/env bash
# README command 2: install what is needed, build, and run every test.
#
#   scripts/run-tests.sh [STAGE...]
#
# With no stage, every stage CI runs, in this order:
#   asan   the whole suite under AddressSanitizer + UndefinedBehaviorSanitizer
#   tsan   the threaded tests (reload, pull, API, play) under ThreadSanitizer
#   fuzz   each libFuzzer target for 30 s (clang; the eight at once, sharing
#          the cores), starting from the seeds and the kept crash reproducers
#   web    the web console in headless Chromium through WebDriver
#          (tests/console/browser_test.py) against the asan build's player
#   arm64  the Raspberry Pi arm64 cross build (at -O1: the rpi-arm64-ci
#          preset, a third less compile time), whole suite under qemu-aarch64
# Other stages: dev (the quick everyday build: warnings as errors, whole
# suite), release, armhf (32-bit Pi OS under qemu-arm).
# Stops at the first stage that fails; prints the time of each.
set -euo pipefail
cd "$(dirname "$0")/.."
stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(asan tsan web fuzz arm64)

./scripts/install-deps.sh
jobs=$(nproc)
for stage in "${stages[@]}"; do
  start=$(date +%s)
  echo "== run-tests: $stage =="
  case "$stage" in
    dev | release | asan | tsan)
      cmake --preset "$stage" >/dev/null
      cmake --build --preset "$stage" -j "$jobs"
      ctest --preset "$stage"
      ;;
    fuzz)
      cmake --preset fuzz -DNB_FUZZ_SECONDS="${NB_FUZZ_SECONDS:-30}" >/dev/null
      cmake --build --preset fuzz -j "$jobs"
      ctest --preset fuzz
      ;;
    web)
      cmake --preset asan >/dev/null
      cmake --build --preset asan -j "$jobs" --target noticeboard
      ASAN_OPTIONS=detect_leaks=0 timeout 180 /usr/bin/python3 tests/console/browser_test.py \
        build/asan/player/app/noticeboard . --screenshots build/asan/console-screenshots
      ;;
    arm64)
      ./cross/build.sh arm64-ci
      ;;
    armhf)
      ./cross/build.sh armhf
      ;;
    *)
      echo "run-tests: unknown stage '$stage' (asan, tsan, web, fuzz, arm64, armhf, dev, release)" >&2
      exit 2
      ;;
  esac
  echo "== run-tests: $stage passed in $(($(date +%s) - start)) s =="
done
