# Install rules and the Debian package (CPack DEB) for a lobby screen.
#
# Included from the top-level CMakeLists.txt right after project(): it sets
# the install layout first (so that every subdirectory's install() rules see
# it), and the rules for the binary and the package are deferred to the end
# of the top-level directory, when every target exists.
#
#   cmake --build build/pkg-release && (cd build/pkg-release && cpack)
#     -> build/pkg-release/noticeboard_<version>_<arch>.deb
#
# Layout of the package (paths on the screen):
#   /usr/bin/noticeboard                      the player
#   /usr/lib/noticeboard/                     loadable modules (noticeboard-net)
#   /usr/lib/systemd/system/noticeboard.service
#   /usr/lib/udev/rules.d/99-noticeboard-usb.rules   mounts USB sticks
#   /etc/noticeboard/{config,theme,playlist}.json    conffiles: edits survive upgrades
#   /etc/default/noticeboard                  options for the service (rotation, ...)
#   /usr/share/noticeboard/fonts.json, playlist.schema.json, alert.schema.json, playlists/,
#   theme.json
#   /usr/share/doc/noticeboard/               README, lobby guide, deploy guide
#   /var/lib/noticeboard                      state (made by postinst and by systemd)

# A screen's files live under /usr and /etc, not /usr/local: the package is the
# only way the player is installed on a screen (a build tree configured before
# this rule existed is moved too). Another explicit prefix still wins for
# `cmake --install`; the package's layout is fixed.
if(CMAKE_INSTALL_PREFIX_INITIALIZED_TO_DEFAULT OR CMAKE_INSTALL_PREFIX STREQUAL "/usr/local")
  set(CMAKE_INSTALL_PREFIX "/usr" CACHE PATH "Install prefix" FORCE)
endif()
include(GNUInstallDirs)

# Debian's architecture name for the target: the native build's, or the one
# the cross toolchain file names (cross/aarch64-linux-gnu.cmake: aarch64;
# cross/arm-linux-gnueabihf.cmake: arm).
function(nb_debian_architecture out)
  string(TOLOWER "${CMAKE_SYSTEM_PROCESSOR}" cpu)
  if(cpu MATCHES "^(x86_64|amd64)$")
    set(arch amd64)
  elseif(cpu MATCHES "^(aarch64|arm64)$")
    set(arch arm64)
  elseif(cpu MATCHES "^arm")
    set(arch armhf)
  elseif(cpu MATCHES "^(i.86|x86)$")
    set(arch i386)
  else()
    message(FATAL_ERROR "packaging: no Debian architecture known for CMAKE_SYSTEM_PROCESSOR "
                        "\"${CMAKE_SYSTEM_PROCESSOR}\"")
  endif()
  set(${out} ${arch} PARENT_SCOPE)
endfunction()

function(nb_packaging_rules)
  set(src ${NB_SOURCE_DIR})
  set(etc /etc)  # the unit and the player name /etc/noticeboard/config.json
  set(share ${CMAKE_INSTALL_DATADIR}/noticeboard)
  set(doc ${CMAKE_INSTALL_DOCDIR})

  install(TARGETS noticeboard RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

  # Shared data (read-only, replaced on upgrade).
  install(FILES ${src}/fonts/fonts.json ${src}/playlists/playlist.schema.json
                ${src}/playlists/alert.schema.json DESTINATION ${share})
  install(FILES ${src}/player/render/default-theme.json DESTINATION ${share} RENAME theme.json)
  install(FILES ${src}/playlists/tianjin-education.json ${src}/playlists/tianjin-education.txt
          DESTINATION ${share}/playlists)

  # The screen's own settings: conffiles (listed below), kept on upgrade.
  install(FILES ${src}/deploy/config.json DESTINATION ${etc}/noticeboard)
  install(FILES ${src}/player/render/default-theme.json DESTINATION ${etc}/noticeboard
          RENAME theme.json)
  install(FILES ${src}/playlists/tianjin-education.json DESTINATION ${etc}/noticeboard
          RENAME playlist.json)
  install(FILES ${src}/deploy/default/noticeboard DESTINATION ${etc}/default)

  install(FILES ${src}/deploy/noticeboard.service DESTINATION lib/systemd/system)
  install(FILES ${src}/deploy/99-noticeboard-usb.rules DESTINATION lib/udev/rules.d)

  # The guides show pictures (docs/console/ and docs/alerts/ in the source);
  # installed, they sit in console/ and alerts/ beside them, and their links
  # say so.
  foreach(guide_name LOBBY-GUIDE DEPLOY)
    file(READ ${src}/deploy/${guide_name}.md guide)
    string(REPLACE "../docs/console/" "console/" guide "${guide}")
    string(REPLACE "../docs/alerts/" "alerts/" guide "${guide}")
    string(REPLACE "../playlists/alerts/" "examples/alerts/" guide "${guide}")
    string(REPLACE "../playlists/alert.schema.json" "../../noticeboard/alert.schema.json" guide
           "${guide}")
    file(WRITE ${CMAKE_BINARY_DIR}/installed-docs/${guide_name}.md "${guide}")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
                 ${src}/deploy/${guide_name}.md)
  endforeach()
  file(GLOB console_screenshots ${src}/docs/console/*.png)
  file(GLOB alert_pictures ${src}/docs/alerts/*.png)
  file(GLOB alert_examples ${src}/playlists/alerts/*)
  install(FILES ${src}/README.md ${CMAKE_BINARY_DIR}/installed-docs/LOBBY-GUIDE.md
          ${CMAKE_BINARY_DIR}/installed-docs/DEPLOY.md DESTINATION ${doc})
  install(FILES ${console_screenshots} DESTINATION ${doc}/console)
  install(FILES ${alert_pictures} DESTINATION ${doc}/alerts)
  install(FILES ${alert_examples} DESTINATION ${doc}/examples/alerts)
  install(FILES ${src}/deploy/examples/screen-power.json DESTINATION ${doc}/examples)

  # The Debian package.
  nb_debian_architecture(arch)
  set(CPACK_GENERATOR DEB)
  set(CPACK_PACKAGE_NAME noticeboard)
  set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
  set(CPACK_PACKAGE_CONTACT "Noticeboard maintainers <noticeboard@localhost>")
  set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
      "Digital-signage player for school lobby screens (Chinese bulletins)")
  set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
      "Shows the education bureau's bulletin full screen on a lobby TV, with\n\
Chinese set by HarfBuzz, FreeType and ICU, crossfades and a ticker. Runs on the\n\
console through SDL's KMSDRM driver (no desktop needed) as a systemd service,\n\
updated from USB sticks or over the network; includes the lobby set-up guide.")
  set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
  set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE ${arch})
  set(CPACK_DEBIAN_PACKAGE_SECTION misc)
  set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
  set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.edu/noticeboard")
  # Explicit, for every architecture (a cross build cannot run dpkg-shlibdeps
  # on the target's libraries). tests/packaging checks it covers every library
  # the packaged binaries link (objdump NEEDED -> dpkg -S). Bookworm versions.
  set(depends
      "libc6 (>= 2.34)"
      "libstdc++6 (>= 12)"
      "libgcc-s1 (>= 3.0)"
      "libsdl2-2.0-0 (>= 2.26)"
      "libharfbuzz0b (>= 6.0)"
      "libfreetype6 (>= 2.12)"
      "libfontconfig1 (>= 2.14)"
      "libicu72"
      "libpng16-16 (>= 1.6.39)"
      "libsodium23 (>= 1.0.18)"
      "libpugixml1v5 (>= 1.13)"
      "libcurl4 (>= 7.88)"
      "libcpp-httplib0.11"
      # noticeboard-net.so: HTTPS for the API and the console (libssl, libcrypto).
      "libssl3 (>= 3.0)"
      "libsystemd0 (>= 252)"
      # SDL's KMSDRM driver draws through GBM and EGL/GLES (Mesa: vc4/v3d on a Pi).
      "libegl1"
      "libgles2"
      "libgbm1"
      "libegl-mesa0"
      "libgl1-mesa-dri"
      # Simplified Chinese: Noto Sans CJK SC (fonts/fonts.json).
      "fonts-noto-cjk"
      # postinst: the noticeboard system user.
      "adduser")
  list(JOIN depends ", " depends)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "${depends}")
  # cec-ctl (v4l-utils) for display.off_command/on_command; DejaVu: the fallback font.
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "fonts-dejavu-core, v4l-utils")
  set(CPACK_DEBIAN_PACKAGE_SUGGESTS "minisign")

  set(control ${CMAKE_BINARY_DIR}/debian-control)
  file(MAKE_DIRECTORY ${control})
  file(WRITE ${control}/conffiles
       "${etc}/noticeboard/config.json\n${etc}/noticeboard/theme.json\n"
       "${etc}/noticeboard/playlist.json\n${etc}/default/noticeboard\n")
  foreach(script postinst prerm postrm)
    configure_file(${src}/deploy/debian/${script} ${control}/${script} COPYONLY)
  endforeach()
  set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
      ${control}/conffiles ${control}/postinst ${control}/prerm ${control}/postrm)
  set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
  set(CPACK_STRIP_FILES ON)
  include(CPack)
endfunction()

cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL nb_packaging_rules)
