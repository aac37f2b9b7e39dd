# Raspberry Pi OS Bookworm 32-bit (Debian armhf, ARMv7): Pi 2 and later.
# The Pi Zero and Pi 1 are ARMv6 and cannot run these binaries.
set(CMAKE_SYSTEM_PROCESSOR armv7l)
set(NB_TRIPLET arm-linux-gnueabihf)
set(NB_QEMU qemu-arm)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-common.cmake)
# GCC's notes about the ARM parameter-passing change of GCC 7.1 concern code
# mixing compilers older than 7.1; everything here is built by GCC 12.
string(APPEND CMAKE_CXX_FLAGS_INIT " -Wno-psabi")
