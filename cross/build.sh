#!/usr/bin/env bash
# Cross-builds Noticeboard for Raspberry Pi OS Bookworm and runs the unit tests
# under qemu-user, in one command:
#
#   cross/build.sh [arm64|armhf] [--no-test]      (default arm64)
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
case "$arch" in
  arm64) triplet=aarch64-linux-gnu ;;
  armhf) triplet=arm-linux-gnueabihf ;;
  *) echo "cross/build.sh: unknown architecture '$arch' (use arm64 or armhf)" >&2; exit 2 ;;
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
cmake --preset "rpi-$arch" -DNB_SYSROOT="$sysroot" >/dev/null
step "configure"
cmake --build --preset "rpi-$arch"
step "build"
if [ "$run_tests" = 1 ]; then
  ctest --preset "rpi-$arch"
  step "tests under qemu"
fi
