#!/usr/bin/env bash
# Renders the sample playlist with the x86-64 build and with a cross build run
# under qemu-user, then compares every PNG with the golden-test tolerance
# (tests/render/render_compare.cpp).
#
#   cross/compare-render.sh [arm64|armhf]        (default arm64)
#
# The cross build is build/rpi-ARCH (cross/build.sh ARCH makes it). The x86-64
# binary is $NB_HOST_NOTICEBOARD, else build/release's, built when missing.
# Pictures go to $NB_RENDER_OUT (default out/cross-render/).
set -euo pipefail
cd "$(dirname "$0")/.."
arch="${1:-arm64}"
case "$arch" in
  arm64) qemu=qemu-aarch64 ;;
  armhf) qemu=qemu-arm ;;
  *) echo "compare-render: unknown architecture '$arch' (use arm64 or armhf)" >&2; exit 2 ;;
esac
build="build/rpi-$arch"
[ -f "$build/CMakeCache.txt" ] || { echo "compare-render: no $build; run cross/build.sh $arch first" >&2; exit 1; }
sysroot="$(sed -n 's/^NB_SYSROOT:PATH=//p' "$build/CMakeCache.txt")"
cmake --build "$build" -j2 --target noticeboard render_compare

host="${NB_HOST_NOTICEBOARD:-build/release/player/app/noticeboard}"
if [ -z "${NB_HOST_NOTICEBOARD:-}" ]; then
  [ -f build/release/build.ninja ] || cmake --preset release >/dev/null
  cmake --build build/release -j2 --target noticeboard
fi

out="${NB_RENDER_OUT:-out/cross-render}"
rm -rf "$out/x86-64" "$out/$arch"
mkdir -p "$out"
# A fixed time and zone: the header clock and the schedule are part of the picture.
render=(render playlists/tianjin-education.json --size 1920x1080 --at 2026-11-28T09:00)
export SDL_VIDEODRIVER=offscreen TZ=UTC
"$host" "${render[@]}" --out "$out/x86-64"
cross/qemu-run.sh "$qemu" "$sysroot" "$build/player/app/noticeboard" "${render[@]}" --out "$out/$arch"
cross/qemu-run.sh "$qemu" "$sysroot" "$build/tests/render/render_compare" "$out/x86-64" "$out/$arch"
