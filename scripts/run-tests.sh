#!/usr/bin/env bash
# README command 2: install what is needed, build, and run every test.
# Usage: scripts/run-tests.sh [PRESET]   (dev by default; asan for sanitizers)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-dev}"

./scripts/install-deps.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
ctest --preset "$preset"
