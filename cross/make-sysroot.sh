#!/usr/bin/env bash
# Builds (or reuses) a Debian bookworm sysroot for cross-compiling Noticeboard
# for Raspberry Pi OS Bookworm, and prints its path on the last line.
#
#   cross/make-sysroot.sh arm64|armhf
#
# The sysroot is cached in $NB_SYSROOT_CACHE (default ~/.cache/noticeboard)
# and rebuilt only when the package list below changes. Absolute symlinks are
# rewritten as relative ones so the linker resolves them inside the sysroot.
set -euo pipefail

arch="${1:?usage: make-sysroot.sh arm64|armhf}"
case "$arch" in
  arm64 | armhf) ;;
  *) echo "make-sysroot: unknown architecture '$arch' (use arm64 or armhf)" >&2; exit 2 ;;
esac

packages=(
  libc6-dev libstdc++-12-dev
  libsdl2-dev libsdl2-ttf-dev libharfbuzz-dev libfreetype-dev libicu-dev libfontconfig-dev
  libpng-dev nlohmann-json3-dev libpugixml-dev libcli11-dev libcurl4-openssl-dev libcpp-httplib-dev
  libsodium-dev libssl-dev libsystemd-dev libgtest-dev libgmock-dev libdtl-dev
  # fonts and their configuration, so tests and renders under qemu find them
  fontconfig-config fonts-noto-cjk fonts-dejavu-core
)

cache="${NB_SYSROOT_CACHE:-$HOME/.cache/noticeboard}"
dir="$cache/sysroot-$arch"
stamp="$dir/.noticeboard-packages"
want="$(printf '%s\n' "${packages[@]}" | sort | sha256sum | cut -d' ' -f1)"

# fontconfig under qemu-user (cross/qemu-run.sh): the sysroot's own fonts and
# configuration by their host paths, and a cache of the target's format kept
# in the sysroot, so the host's fonts and cache are never used by mistake.
write_emulator_fonts_conf() {
  local root="$1" final="$2" conf="$1/etc/fonts/noticeboard-emulator.conf"
  mkdir -p "$root/var/cache/fontconfig"
  cat > "$conf.tmp" <<CONF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<!-- Written by cross/make-sysroot.sh for programs run under qemu-user. -->
<fontconfig>
  <dir>$final/usr/share/fonts</dir>
  <cachedir>$final/var/cache/fontconfig</cachedir>
  <include ignore_missing="yes">$final/etc/fonts/conf.d</include>
</fontconfig>
CONF
  mv "$conf.tmp" "$conf"
}

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "make-sysroot: reusing $dir" >&2
  [ -f "$dir/etc/fonts/noticeboard-emulator.conf" ] || write_emulator_fonts_conf "$dir" "$dir"
  echo "$dir"
  exit 0
fi

for tool in mmdebstrap; do
  command -v "$tool" >/dev/null || { echo "make-sysroot: $tool is missing (apt-get install $tool)" >&2; exit 1; }
done

# The machine's own Debian mirror, from its apt sources.
mirror="${NB_DEBIAN_MIRROR:-$(grep -hoE '^URIs:\s*\S+' /etc/apt/sources.list.d/*.sources 2>/dev/null \
  | awk '{print $2}' | grep -v security | head -n1)}"
[ -n "$mirror" ] || mirror="$(grep -hoE '^deb\s+\S+' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | head -n1)"
[ -n "$mirror" ] || { echo "make-sysroot: no Debian mirror found in the apt sources; set NB_DEBIAN_MIRROR" >&2; exit 1; }

echo "make-sysroot: building $dir from $mirror (bookworm, $arch)" >&2
rm -rf "$dir.tmp"
mkdir -p "$cache"
include="$(IFS=,; echo "${packages[*]}")"
mmdebstrap --quiet --arch="$arch" --variant=extract --include="$include" \
  bookworm "$dir.tmp" "$mirror" >&2

# Rewrite absolute symlinks (/lib/x.so -> ../../lib/x.so) to stay inside.
find "$dir.tmp" -type l -lname '/*' -print0 | while IFS= read -r -d '' link; do
  target="$(readlink "$link")"
  rel="$(realpath -m --relative-to="$(dirname "$link")" "$dir.tmp$target")"
  ln -sfn "$rel" "$link"
done

write_emulator_fonts_conf "$dir.tmp" "$dir"
echo "$want" > "$dir.tmp/.noticeboard-packages"
rm -rf "$dir"
mv "$dir.tmp" "$dir"
echo "$dir"
