#!/usr/bin/env bash
# Builds the libFuzzer targets (the fuzz preset: clang, ASan + UBSan) and runs
# each for a million executions or SECONDS, whichever comes first.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (600 s and all targets by default)
# Crash reproducers land in build/fuzz/artifacts/TARGET/; once fixed, copy them
# to tests/fuzz/regressions/TARGET/ so every suite replays them.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(bulletin playlist config signature text_layout api)

./scripts/install-deps.sh
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"

seeds=(playlists deploy tests/render/testdata)
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
status=0
for target in "${targets[@]}"; do
  corpus="build/fuzz/fuzz-corpus/$target"
  artifacts="build/fuzz/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  extra=()
  for dir in "tests/fuzz/seeds/$target" "tests/fuzz/regressions/$target"; do
    [ -d "$dir" ] && extra+=("$dir")
  done
  echo "== $target: up to 1,000,000 runs or ${seconds} s =="
  if ! "build/fuzz/tests/fuzz/${target}_fuzz" -runs=1000000 -max_total_time="$seconds" \
      -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" \
      "$corpus" "${seeds[@]}" "${extra[@]}" 2>"build/fuzz/$target.log"; then
    echo "$target: FAILED; see build/fuzz/$target.log and $artifacts/"
    status=1
  fi
  grep -E "^stat::(number_of_executed_units|peak_rss_mb)|^#[0-9]+ *DONE" "build/fuzz/$target.log" || true
done
exit $status
