#!/usr/bin/env bash
# Installs everything Noticeboard needs to build, run and test on Debian 12
# (or Raspberry Pi OS Bookworm). Idempotent: packages already present are
# left alone and apt is only asked when something is missing.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config g++ clang-format
  # player
  libsdl2-dev libsdl2-ttf-dev libharfbuzz-dev libfreetype-dev libicu-dev
  libfontconfig-dev fonts-noto-cjk fonts-dejavu-core libpng-dev
  # formats (pugixml: CAP alerts), CLI, network, crypto
  nlohmann-json3-dev libpugixml-dev libcli11-dev libcurl4-openssl-dev libcpp-httplib-dev
  libsodium-dev libssl-dev
  # the console's approval diff (header-only diff template library)
  libdtl-dev
  # GET /metrics (issue 19): the Prometheus client library; Prometheus itself
  # (promtool checks the metrics and the example rules; a test scrapes `play`)
  prometheus-cpp-dev prometheus
  # service: sd_notify (READY/WATCHDOG); packaging: dpkg-deb, systemd-analyze
  libsystemd-dev dpkg-dev systemd
  # update pipeline: minisign signs playlists, nginx serves them in the pull test
  minisign nginx-light
  # tests and benchmarks
  libgtest-dev libgmock-dev googletest libbenchmark-dev xvfb xauth
  # the GLES2 renderer under Xvfb (tests/render/gles_under_xvfb.sh): Mesa's EGL and GLES2
  libegl-mesa0 libgles2 libgl1-mesa-dri
  # window tests under Xvfb: resize the preview window, screenshots (bench/window_check.sh)
  xdotool x11-apps netpbm
  # fuzzing (the fuzz preset): clang with libFuzzer and the sanitizer runtimes
  clang libclang-rt-14-dev
  # text benchmark: Pango side by side (issue 3)
  libpango1.0-dev
  # the web console: HTTPS (OpenSSL), and its browser test (headless Chromium
  # through WebDriver)
  libssl-dev chromium chromium-driver python3-selenium
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
