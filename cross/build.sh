#!/usr/bin/env bash
# Cross-builds Noticeboard for Raspberry Pi OS Bookworm and runs the unit
# tests under qemu-user:   cross/build.sh arm64|armhf [--no-test]
set -euo pipefail
cd "$(dirname "$0")/.."
arch="${1:?usage: cross/build.sh arm64|armhf [--no-test]}"
case "$arch" in
  arm64) triplet=aarch64-linux-gnu qemu=qemu-user ;;
  armhf) triplet=arm-linux-gnueabihf qemu=qemu-user ;;
  *) echo "cross/build.sh: unknown architecture '$arch' (use arm64 or armhf)" >&2; exit 2 ;;
esac

./scripts/install-deps.sh
# The cross compiler, qemu-user and mmdebstrap, host packages only (no
# foreign architecture is added to apt).
need=()
for p in "g++-$triplet" "$qemu" mmdebstrap; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

sysroot="$(./cross/make-sysroot.sh "$arch" | tail -n1)"
cmake --preset "rpi-$arch" -DNB_SYSROOT="$sysroot" >/dev/null
cmake --build --preset "rpi-$arch"
if [ "${2:-}" != "--no-test" ]; then
  ctest --preset "rpi-$arch"
fi
