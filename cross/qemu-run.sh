#!/bin/sh
# CMAKE_CROSSCOMPILING_EMULATOR of the rpi-* presets: runs one target program
# under qemu-user with the sysroot as its root for libraries and data.
#
#   cross/qemu-run.sh QEMU SYSROOT PROGRAM [ARGS...]
#
# NB_UNDER_EMULATOR=1 tells tests that they run under user-mode emulation, so
# those that need what qemu-user lacks skip with a message. fontconfig reads
# the sysroot's fonts through a configuration that make-sysroot.sh writes.
set -eu
qemu="$1"
sysroot="$2"
shift 2
conf="$sysroot/etc/fonts/noticeboard-emulator.conf"
if [ ! -f "$conf" ]; then
  echo "qemu-run: $conf is missing; run cross/make-sysroot.sh for this architecture" >&2
  exit 1
fi
NB_UNDER_EMULATOR=1
FONTCONFIG_FILE="$conf"
export NB_UNDER_EMULATOR FONTCONFIG_FILE
exec "$qemu" -L "$sysroot" "$@"
