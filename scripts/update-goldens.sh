#!/usr/bin/env bash
# Rewrites the golden PNGs of tests/render/golden/ from the current build,
# after a deliberate change of the look. Look at them before committing.
# Usage: scripts/update-goldens.sh [build-dir]   (default: build/dev)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/dev}"
cmake --build "$build" --target presenter_test
NB_UPDATE_GOLDENS=1 SDL_VIDEODRIVER=dummy "$build/tests/render/presenter_test" --gtest_filter='Screens/GoldenTest.*'
echo "goldens updated:"
ls -l tests/render/golden/
