#!/usr/bin/env bash
# Cross-builds Noticeboard for Raspberry Pi OS Bookworm and runs the unit tests
# under qemu-user, in one command:
#
#   cross/build.sh [arm64|armhf|arm64-ci] [--no-test]      (default arm64)
#
# arm64-ci is the rpi-arm64-ci preset: arm64 at -O1 into build/rpi-arm64-ci,
# for CI (compiles about 30% faster; the same tests run).
#
# Installs the host tools when missing (cross compiler, qemu-user, mmdebstrap;
# host packages only, no foreign apt architecture), makes or reuses the
# sysroot (cross/make-sysroot.sh), configures and builds with the rpi-ARCH
# preset into build/rpi-ARCH, and runs ctest there. Prints the time of each step.
set -euo pipefail
cd "$(dirname "$0")/.."
arch="${1:-arm64}"
run_tests=1
[ "${2:-}" = "--no-test" ] && run_tests=0
preset="rpi-$arch"
case "$arch" in
  arm64) triplet=aarch64-linux-gnu ;;
  armhf) triplet=arm-linux-gnueabihf ;;
  arm64-ci) triplet=aarch64-linux-gnu; arch=arm64 ;;
  *) echo "cross/build.sh: unknown architecture '$arch' (use arm64, armhf or arm64-ci)" >&2; exit 2 ;;
esac

step_start=$(date +%s)
step() {
  local now
  now=$(date +%s)
  echo "cross/build.sh: $1 took $((now - step_start)) s" >&2
  step_start=$now
}

need=()
for p in cmake ninja-build pkg-config "g++-$triplet" qemu-user mmdebstrap; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}"
  step "installing ${need[*]}"
fi

sysroot="$(./cross/make-sysroot.sh "$arch" | tail -n1)"
step "sysroot"
cmake --preset "$preset" -DNB_SYSROOT="$sysroot" >/dev/null
step "configure"
cmake --build --preset "$preset"
step "build"
if [ "$run_tests" = 1 ]; then
  ctest --preset "$preset"
  step "tests under qemu"
fi
