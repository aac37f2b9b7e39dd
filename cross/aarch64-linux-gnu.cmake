# Raspberry Pi OS Bookworm 64-bit: Pi 3, 4, 5 and Zero 2 W.
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(NB_TRIPLET aarch64-linux-gnu)
set(NB_QEMU qemu-aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-common.cmake)
