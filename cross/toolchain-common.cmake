# Shared by the Raspberry Pi toolchain files. Expects NB_TRIPLET, NB_QEMU and
# CMAKE_SYSTEM_PROCESSOR to be set, and the sysroot in NB_SYSROOT (cache
# variable or environment), made by cross/make-sysroot.sh.
set(CMAKE_SYSTEM_NAME Linux)

if(NOT NB_SYSROOT AND DEFINED ENV{NB_SYSROOT})
  set(NB_SYSROOT "$ENV{NB_SYSROOT}")
endif()
if(NOT NB_SYSROOT)
  message(FATAL_ERROR "Set NB_SYSROOT to a sysroot made by cross/make-sysroot.sh")
endif()
set(NB_SYSROOT "${NB_SYSROOT}" CACHE PATH "Debian bookworm sysroot for the target")
# try_compile projects read this file again and need the sysroot too.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES NB_SYSROOT)

set(CMAKE_SYSROOT "${NB_SYSROOT}")
set(CMAKE_C_COMPILER ${NB_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${NB_TRIPLET}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${NB_TRIPLET})

set(CMAKE_FIND_ROOT_PATH "${NB_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config must read the target's .pc files and prefix their paths.
set(ENV{PKG_CONFIG_SYSROOT_DIR} "${NB_SYSROOT}")
set(ENV{PKG_CONFIG_LIBDIR}
    "${NB_SYSROOT}/usr/lib/${NB_TRIPLET}/pkgconfig:${NB_SYSROOT}/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# Tests run under qemu-user with the sysroot as the root for libraries and
# fonts (cross/qemu-run.sh sets the environment).
if(NOT EXISTS "${NB_SYSROOT}/etc/fonts/noticeboard-emulator.conf")
  message(FATAL_ERROR "${NB_SYSROOT} is not a sysroot from cross/make-sysroot.sh (or is out of "
                      "date): run cross/make-sysroot.sh")
endif()
set(CMAKE_CROSSCOMPILING_EMULATOR "${CMAKE_CURRENT_LIST_DIR}/qemu-run.sh;${NB_QEMU};${NB_SYSROOT}")
