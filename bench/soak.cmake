# bench/soak (issue 7): the player headless on an accelerated clock for
# 100,000 slides, 5,000 reloads and 50,000 API requests; see bench/soak.cpp
# and bench/soak.sh. It needs no Google Benchmark, so it is built wherever the
# tests are (the asan preset too), and ctest runs a small smoke of it.
add_executable(soak ${CMAKE_CURRENT_LIST_DIR}/soak.cpp)
set_target_properties(soak PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bench)
target_include_directories(soak PRIVATE ${NB_SOURCE_DIR}/player ${NB_SOURCE_DIR}/tests)
# play's frame loop and update paths come from nb_player, as in `noticeboard`.
target_link_libraries(soak PRIVATE nb_player PkgConfig::HTTPLIB nlohmann_json::nlohmann_json
                                   CLI11::CLI11 nb_warnings)
target_compile_definitions(soak PRIVATE NB_SOURCE_DIR="${NB_SOURCE_DIR}"
                                        NB_NET_MODULE_PATH="$<TARGET_FILE:noticeboard-net>")
# The API comes from noticeboard-net.so, dlopen'd as in `play`.
nb_export_to_net_module(soak)

# Smoke: every part at a small scale (no RSS target: too short, and ASan's
# quarantine grows the heap by design).
if(NB_BUILD_TESTS)
  add_test(NAME soak.smoke
           COMMAND soak --slides 300 --reloads 30 --requests 300 --warmup 100 --memory-every 100
                   --rss-growth-limit-mb -1)
  # Label "threaded": the tsan preset runs it too (frame, reload and API threads at once).
  set_tests_properties(soak.smoke PROPERTIES ENVIRONMENT "SDL_VIDEODRIVER=dummy" TIMEOUT 600
                                             LABELS threaded)
  # The frame checks can fail: one spoiled crossfade frame is reported.
  foreach(fault blank half)
    add_test(NAME soak.detects_${fault}_frame
             COMMAND soak --slides 8 --reloads 0 --requests 0 --rss-growth-limit-mb -1
                     --inject-fault ${fault} --work-dir ${CMAKE_CURRENT_BINARY_DIR}/soak-${fault})
    set_tests_properties(soak.detects_${fault}_frame PROPERTIES ENVIRONMENT "SDL_VIDEODRIVER=dummy"
                         TIMEOUT 300)
  endforeach()
  set_tests_properties(soak.detects_blank_frame PROPERTIES PASS_REGULAR_EXPRESSION
                       "blank frames +1 .*blank frame at slide 3 \\(crossfade\\)")
  set_tests_properties(soak.detects_half_frame PROPERTIES PASS_REGULAR_EXPRESSION
                       "crossfade frame 1 into slide 3: [0-9]+ samples outside both slides")
endif()
