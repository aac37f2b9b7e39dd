#!/usr/bin/env bash
# Checks of the Debian package made by deploy/packaging.cmake (cpack).
#
#   deb_test.sh CHECK PACKAGE_DIR SOURCE_DIR
#
# PACKAGE_DIR holds one noticeboard_*.deb (the ctest fixture packaging.build_deb
# makes it). NB_EMULATOR runs the target's binaries (qemu for a cross build);
# NB_DPKG_ADMINDIR is the dpkg database that provides the target's libraries
# (the sysroot's for a cross build). Exit 77: skipped, with the reason.
set -euo pipefail

check=$1
pkgdir=$2
src=$3
emulator=(${NB_EMULATOR:-})
admindir=${NB_DPKG_ADMINDIR:-/var/lib/dpkg}

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIPPED: $*"; exit 77; }

debs=("$pkgdir"/noticeboard_*.deb)
[ -f "${debs[0]}" ] || fail "no noticeboard_*.deb in $pkgdir (did packaging.build_deb run?)"
[ ${#debs[@]} -eq 1 ] || fail "more than one package in $pkgdir: ${debs[*]}"
deb=${debs[0]}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/nb-deb-$check.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
root=$scratch/root

field() { dpkg-deb -f "$deb" "$1"; }

case "$check" in
  info)
    dpkg-deb -I "$deb"
    [ "$(field Package)" = noticeboard ] || fail "Package is '$(field Package)'"
    arch=$(field Architecture)
    case "$deb" in *_"$arch".deb) ;; *) fail "file name $deb does not end in _$arch.deb" ;; esac
    [ -n "${NB_EXPECT_ARCH:-}" ] && { [ "$arch" = "$NB_EXPECT_ARCH" ] || fail "Architecture $arch, expected $NB_EXPECT_ARCH"; }
    depends=$(field Depends)
    for p in libsdl2-2.0-0 libharfbuzz0b libfreetype6 libicu72 libfontconfig1 libpng16-16 \
             libsodium23 libcurl4 libsystemd0 fonts-noto-cjk adduser; do
      grep -Eq "(^|, )$p( |,|$)" <<<"$depends" || fail "Depends lacks $p: $depends"
    done
    dpkg-deb --ctrl-tarfile "$deb" | tar -t | sed 's|^\./||' | sort >"$scratch/control"
    for f in control conffiles postinst prerm postrm; do
      grep -qx "$f" "$scratch/control" || fail "control archive lacks $f"
    done
    mkdir -p "$scratch/ctrl" && dpkg-deb -e "$deb" "$scratch/ctrl"
    for f in /etc/noticeboard/config.json /etc/noticeboard/theme.json \
             /etc/noticeboard/playlist.json /etc/default/noticeboard; do
      grep -qx "$f" "$scratch/ctrl/conffiles" || fail "$f is not a conffile"
    done
    for s in postinst prerm postrm; do
      [ -x "$scratch/ctrl/$s" ] || fail "$s is not executable"
      sh -n "$scratch/ctrl/$s" || fail "$s: shell syntax error"
    done
    grep -q "adduser --system" "$scratch/ctrl/postinst" || fail "postinst makes no system user"
    echo "ok: $(basename "$deb"): $arch, $(wc -w <<<"${depends//,/}") words of Depends"
    ;;

  contents)
    dpkg-deb -c "$deb" | awk '{print $1, $NF}' | tee "$scratch/list"
    for f in ./usr/bin/noticeboard ./usr/lib/noticeboard/noticeboard-net.so \
             ./usr/lib/systemd/system/noticeboard.service \
             ./usr/lib/udev/rules.d/99-noticeboard-usb.rules \
             ./etc/noticeboard/config.json ./etc/noticeboard/theme.json \
             ./etc/noticeboard/playlist.json ./etc/default/noticeboard \
             ./usr/share/noticeboard/fonts.json ./usr/share/noticeboard/playlist.schema.json \
             ./usr/share/noticeboard/theme.json \
             ./usr/share/noticeboard/playlists/tianjin-education.json \
             ./usr/share/doc/noticeboard/LOBBY-GUIDE.md ./usr/share/doc/noticeboard/DEPLOY.md; do
      grep -q " $f\$" "$scratch/list" || fail "package lacks $f"
    done
    grep -Eq '^-rwxr-xr-x \./usr/bin/noticeboard$' "$scratch/list" || fail "/usr/bin/noticeboard is not 0755"
    if grep -E ' \./(usr/local|home|root|tmp|work)/' "$scratch/list"; then
      fail "files outside the Debian layout"
    fi
    echo "ok: $(wc -l <"$scratch/list") entries"
    ;;
  doc-links)
    # The installed guides link each other by relative paths: every such link
    # (and its #anchor, as GitHub-style heading ids) must resolve in the package.
    dpkg-deb -x "$deb" "$root"
    docdir=$root/usr/share/doc/noticeboard
    links=0
    for md in "$docdir"/LOBBY-GUIDE.md "$docdir"/DEPLOY.md; do
      [ -f "$md" ] || fail "package lacks ${md#$root}"
      while IFS= read -r target; do
        file=${target%%#*}
        anchor=${target#"$file"}
        anchor=${anchor#\#}
        [ -n "$file" ] || file=$(basename "$md")
        [ -f "$docdir/$file" ] || fail "${md#$root} links $target: ${docdir#$root}/$file is not installed"
        if [ -n "$anchor" ]; then
          grep -E '^#+ ' "$docdir/$file" | sed -E 's/^#+ +//' | tr 'A-Z' 'a-z' |
            sed -E 's/[^a-z0-9 _-]//g; s/ /-/g' | grep -qx -- "$anchor" ||
            fail "${md#$root} links $target: no heading #$anchor in $file"
        fi
        links=$((links + 1))
      done < <(grep -oE '\]\([^)[:space:]]+\)' "$md" | sed -E 's/^\]\((.*)\)$/\1/' |
               grep -vE '^(https?|file|mailto):')
    done
    echo "ok: $links relative links in the installed guides resolve"
    ;;

  depends-cover-libraries)
    # Every library a packaged program or module links must come from a
    # package named in Depends (or from the package itself).
    command -v objdump >/dev/null || skip "objdump not installed"
    # A cross sysroot made with mmdebstrap's extract variant has no dpkg
    # database to ask which package owns a library.
    [ -s "$admindir/status" ] || skip "no dpkg database in $admindir (an extract-only sysroot)"
    dpkg-deb -x "$deb" "$root"
    depends=$(field Depends)
    depend_names=$(sed 's/ ([^)]*)//g; s/, /\n/g' <<<"$depends")
    multiarch=${NB_MULTIARCH:-$(gcc -dumpmachine)}
    missing=0
    while IFS= read -r elf; do
      for lib in $(objdump -p "$elf" | awk '/NEEDED/ {print $2}'); do
        [ -n "$(find "$root" -name "$lib" -print -quit)" ] && continue
        # Sanitizer runtimes are linked by the asan preset only, never packaged.
        case "$lib" in libasan.so* | libubsan.so* | libtsan.so* | liblsan.so*) continue ;; esac
        # The target's own multiarch folders only (not a cross toolchain's copy).
        owner=$(dpkg-query --admindir="$admindir" -S "/lib/$multiarch/$lib" "/usr/lib/$multiarch/$lib" \
                  2>/dev/null | head -1 | cut -d: -f1 || true)
        if [ -z "$owner" ]; then
          echo "$elf: $lib: no package in $admindir provides it"; missing=1; continue
        fi
        if ! grep -qxF "$owner" <<<"$depend_names"; then
          echo "$(basename "$elf"): $lib comes from $owner, which is not in Depends"; missing=1
        else
          echo "$(basename "$elf"): $lib <- $owner"
        fi
      done
    done < <(find "$root" -type f \( -perm -u+x -o -name '*.so*' \) -exec sh -c \
               'head -c4 "$1" | grep -q ELF && echo "$1"' _ {} \;)
    [ $missing -eq 0 ] || fail "Depends does not cover every linked library"
    ;;

  check-from-scratch-root)
    dpkg-deb -x "$deb" "$root"
    nb=("${emulator[@]}" "$root/usr/bin/noticeboard")
    "${nb[@]}" --version | tee "$scratch/version"
    grep -q "^noticeboard $(field Version)\$" "$scratch/version" || fail "--version does not match the package"
    # The packaged sample and the default playlist the unit plays.
    for p in usr/share/noticeboard/playlists/tianjin-education.json etc/noticeboard/playlist.json; do
      out=$("${nb[@]}" check "$root/$p") || fail "check $p: $out"
      echo "$p: $out"
      grep -q "^ok: 1[0-9] items" <<<"$out" || fail "unexpected check output for $p: $out"
    done
    # A playlist with a mistake is refused from there too.
    sed 's/"items"/"itemz"/' "$root/etc/noticeboard/playlist.json" >"$scratch/bad.json"
    if "${nb[@]}" check "$scratch/bad.json" 2>"$scratch/err"; then fail "a bad playlist passed"; fi
    grep -q "itemz" "$scratch/err" || fail "the error does not name the bad key: $(cat "$scratch/err")"
    ;;

  play-as-the-unit)
    # Runs the unit's own ExecStart from the scratch root, headless: the
    # packaged config, theme and playlist must work together. Paths in the
    # command line are moved into the scratch root; the state goes to scratch.
    [ -z "${emulator[*]}" ] || skip "plays on the build machine only (SDL offscreen under qemu is slow)"
    dpkg-deb -x "$deb" "$root"
    unit=$root/usr/lib/systemd/system/noticeboard.service
    exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
    [ -n "$exec_start" ] || fail "no ExecStart in the unit"
    grep -q '^Environment=SDL_VIDEODRIVER=kmsdrm$' "$unit" || fail "the unit does not ask for KMSDRM"
    read -r -a argv <<<"$exec_start"
    cmd=()
    for a in "${argv[@]}"; do
      case "$a" in
        '$NOTICEBOARD_OPTIONS') ;;  # empty in the packaged /etc/default/noticeboard
        /usr/* | /etc/*) cmd+=("$root$a") ;;
        *) cmd+=("$a") ;;
      esac
    done
    grep -q '^NOTICEBOARD_OPTIONS=""$' "$root/etc/default/noticeboard" || fail "default options not empty"
    echo "running: ${cmd[*]}"
    # USB roots (/media ...) are watched read-only as on a screen; the fonts
    # configuration is the packaged one.
    # The dummy video driver: offscreen loads Mesa's EGL, whose allocations
    # LeakSanitizer reports once SDL unloads it (asan preset).
    SDL_VIDEODRIVER=dummy SDL_RENDER_DRIVER=software \
      NOTICEBOARD_FONTS="$root/usr/share/noticeboard/fonts.json" \
      "${cmd[@]}" --state-dir "$scratch/state" --window 640x360 --slide-seconds 0.3 \
      --exit-after-slides 2 2>"$scratch/log" || { cat "$scratch/log"; fail "play exited $?"; }
    cat "$scratch/log"
    grep -Eq "^info: [2-9][0-9]* slide changes" "$scratch/log" || fail "the slides did not change"
    ;;

  render-from-scratch-root)
    dpkg-deb -x "$deb" "$root"
    NOTICEBOARD_FONTS="$root/usr/share/noticeboard/fonts.json" \
      "${emulator[@]}" "$root/usr/bin/noticeboard" render "$root/etc/noticeboard/playlist.json" \
      --theme "$root/etc/noticeboard/theme.json" --size 640x360 --out "$scratch/png" ||
      fail "render from the scratch root failed"
    n=$(find "$scratch/png" -name '*.png' | wc -l)
    [ "$n" -ge 10 ] || fail "only $n PNGs rendered"
    echo "ok: $n PNGs"
    ;;

  unit-verify)
    command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed"
    dpkg-deb -x "$deb" "$root"
    unit=$root/usr/lib/systemd/system/noticeboard.service
    # verify checks that ExecStart's program exists, and --root wants a whole
    # system: check a copy whose ExecStart names the unpacked binary instead.
    mkdir -p "$scratch/units"
    sed "s|=/usr/bin/noticeboard |=$root/usr/bin/noticeboard |" "$unit" >"$scratch/units/noticeboard.service"
    out=$(systemd-analyze verify "$scratch/units/noticeboard.service" 2>&1) && rc=0 || rc=$?
    echo "$out"
    if [ $rc -ne 0 ] && grep -qiE "Failed to (initialize|set up|connect|allocate)|not been booted|System has not" <<<"$out"; then
      skip "systemd-analyze cannot run here: $out"
    fi
    [ $rc -eq 0 ] || fail "systemd-analyze verify failed"
    # It exits 0 on settings it ignores (a misspelt key or value): any output is a failure.
    [ -z "$out" ] || fail "systemd-analyze verify printed warnings"
    for line in Type=notify WatchdogSec=30s Restart=always User=noticeboard \
                'SupplementaryGroups=video render input' StateDirectory=noticeboard \
                ProtectSystem=strict ProtectHome=yes NoNewPrivileges=yes \
                Environment=SDL_VIDEODRIVER=kmsdrm; do
      grep -qx "$line" "$unit" || fail "the unit lacks $line"
    done
    echo "ok: systemd-analyze verify is silent"
    ;;

  *)
    fail "unknown check $check"
    ;;
esac
