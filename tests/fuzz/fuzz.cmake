# libFuzzer targets for the form parsers (src/http/form.cpp, utf8.cpp), the
# money parser (src/core/money.cpp), the Markdown renderer
# (src/web/markdown.cpp), the search query builder
# (src/applications/search_text.cpp), the ranking file parser with the
# ranking model (src/review/ranking_file.cpp, ranking.cpp), the ranking result
# reader (the ranking cache, same file) and the allocation
# file parsers (src/allocation/scenario_file.cpp) and the allocation
# pages' scenario form (src/allocation/settings.cpp).
# Included from the top CMakeLists.txt when -DSPIRE_FUZZ=ON, which returns
# right after: everything the fuzz build needs is defined here, and nothing
# else of Spire is built. scripts/fuzz configures, builds and runs it.
#
# ctest runs two tests per fuzzer:
#   <fuzzer>_replay  every seed in tests/fuzz/corpus/<fuzzer> once (the
#                    files are passed one by one, so libFuzzer never writes
#                    into the repository);
#   <fuzzer>_fuzz    SPIRE_FUZZ_SECONDS of fuzzing on a copy of the seeds in
#                    <build>/fuzz/<fuzzer>/corpus, which grows from run to run.
# A crash, sanitizer report, leak or slow input fails the test and leaves the
# input in <build>/fuzz/<fuzzer>/crash-*; add it to the corpus once fixed.

if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "SPIRE_FUZZ needs clang for libFuzzer: -DCMAKE_CXX_COMPILER=clang++-14")
endif()

enable_testing()

find_package(Boost 1.81 EXACT REQUIRED COMPONENTS url json)
find_package(PkgConfig REQUIRED)
pkg_check_modules(MD4C_HTML REQUIRED IMPORTED_TARGET md4c-html)

set(SPIRE_FUZZ_SECONDS 20 CACHE STRING
  "Seconds each fuzzer runs in its <fuzzer>_fuzz test (0: replay the corpus only)")

set(SPIRE_FUZZ_DIR ${CMAKE_SOURCE_DIR}/tests/fuzz)
set(SPIRE_FUZZ_SANITIZERS -fsanitize=fuzzer,address,undefined)

# The code under test, compiled once with coverage and sanitizers.
add_library(spire_fuzz_forms STATIC
  ${CMAKE_SOURCE_DIR}/src/core/money.cpp
  ${CMAKE_SOURCE_DIR}/src/http/form.cpp
  ${CMAKE_SOURCE_DIR}/src/http/utf8.cpp
  ${CMAKE_SOURCE_DIR}/src/web/markdown.cpp
  ${CMAKE_SOURCE_DIR}/src/applications/search_text.cpp
  ${CMAKE_SOURCE_DIR}/src/review/ranking.cpp
  ${CMAKE_SOURCE_DIR}/src/review/ranking_file.cpp)
target_include_directories(spire_fuzz_forms PUBLIC ${CMAKE_SOURCE_DIR}/src)
target_compile_definitions(spire_fuzz_forms PUBLIC BOOST_URL_NO_SOURCE_LOCATION)
target_compile_options(spire_fuzz_forms PUBLIC
  ${SPIRE_FUZZ_SANITIZERS} -fno-sanitize-recover=all -fno-omit-frame-pointer
  -Wall -Wextra -Wpedantic)
target_link_options(spire_fuzz_forms PUBLIC ${SPIRE_FUZZ_SANITIZERS})
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
find_library(STEMMER stemmer REQUIRED)
target_link_libraries(spire_fuzz_forms PUBLIC Boost::url Boost::json PkgConfig::MD4C_HTML PkgConfig::SQLITE3
  ${STEMMER})

# The allocation file formats: the parsers and the model's validation only
# (no solver, no libsodium: parsing never runs a method).
add_library(spire_fuzz_allocation STATIC
  ${CMAKE_SOURCE_DIR}/src/allocation/model.cpp
  ${CMAKE_SOURCE_DIR}/src/allocation/scenario_file.cpp)
target_include_directories(spire_fuzz_allocation PUBLIC ${CMAKE_SOURCE_DIR}/src)
target_compile_options(spire_fuzz_allocation PUBLIC
  ${SPIRE_FUZZ_SANITIZERS} -fno-sanitize-recover=all -fno-omit-frame-pointer
  -Wall -Wextra -Wpedantic)
target_link_options(spire_fuzz_allocation PUBLIC ${SPIRE_FUZZ_SANITIZERS})
target_link_libraries(spire_fuzz_allocation PUBLIC Boost::json)

# The allocation pages' "new scenario" form and seed, behind the form parser.
add_library(spire_fuzz_scenario_form STATIC
  ${CMAKE_SOURCE_DIR}/src/allocation/settings.cpp
  ${CMAKE_SOURCE_DIR}/src/core/text.cpp)
target_link_libraries(spire_fuzz_scenario_form PUBLIC spire_fuzz_allocation spire_fuzz_forms)

# spire_add_fuzzer(<name> [DICT <file in tests/fuzz>] [LIBRARY <target>]):
# tests/fuzz/<name>.cpp, linked with LIBRARY (default spire_fuzz_forms), and
# its seeds in tests/fuzz/corpus/<name>.
function(spire_add_fuzzer name)
  cmake_parse_arguments(PARSE_ARGV 1 FUZZER "" "DICT;LIBRARY" "")
  if(NOT FUZZER_LIBRARY)
    set(FUZZER_LIBRARY spire_fuzz_forms)
  endif()
  add_executable(${name} ${SPIRE_FUZZ_DIR}/${name}.cpp)
  target_link_libraries(${name} PRIVATE ${FUZZER_LIBRARY})

  set(seeds ${SPIRE_FUZZ_DIR}/corpus/${name})
  set(work ${CMAKE_BINARY_DIR}/fuzz/${name})
  file(MAKE_DIRECTORY ${work})
  file(GLOB seed_files CONFIGURE_DEPENDS ${seeds}/*)
  if(NOT seed_files)
    # Without inputs the replay test would start fuzzing without end.
    message(FATAL_ERROR "${name}: no seed inputs in ${seeds}")
  endif()

  set(options -rss_limit_mb=2048 -timeout=10 -artifact_prefix=${work}/)
  if(FUZZER_DICT)
    list(APPEND options -dict=${SPIRE_FUZZ_DIR}/${FUZZER_DICT})
  endif()
  set(environment "UBSAN_OPTIONS=print_stacktrace=1")

  add_test(NAME ${name}_replay COMMAND ${name} ${options} ${seed_files})
  set_tests_properties(${name}_replay PROPERTIES ENVIRONMENT "${environment}" TIMEOUT 120)

  if(SPIRE_FUZZ_SECONDS GREATER 0)
    add_test(NAME ${name}_corpus_copy
      COMMAND ${CMAKE_COMMAND} -E copy_directory ${seeds} ${work}/corpus)
    set_tests_properties(${name}_corpus_copy PROPERTIES FIXTURES_SETUP ${name}_corpus)

    math(EXPR timeout "${SPIRE_FUZZ_SECONDS} + 120")
    add_test(NAME ${name}_fuzz
      COMMAND ${name} ${options} -max_total_time=${SPIRE_FUZZ_SECONDS} -print_final_stats=1
              ${work}/corpus)
    set_tests_properties(${name}_fuzz PROPERTIES
      FIXTURES_REQUIRED ${name}_corpus
      DEPENDS ${name}_replay
      ENVIRONMENT "${environment}"
      TIMEOUT ${timeout})
  endif()
endfunction()

spire_add_fuzzer(urlencoded_fuzzer)
spire_add_fuzzer(multipart_fuzzer DICT multipart.dict)
spire_add_fuzzer(media_type_fuzzer)
spire_add_fuzzer(filename_fuzzer)
spire_add_fuzzer(money_fuzzer)
spire_add_fuzzer(markdown_fuzzer)
spire_add_fuzzer(search_query_fuzzer)
spire_add_fuzzer(ranking_file_fuzzer DICT ranking_file.dict)
spire_add_fuzzer(ranking_result_fuzzer DICT ranking_file.dict)
spire_add_fuzzer(scenario_file_fuzzer DICT scenario_file.dict LIBRARY spire_fuzz_allocation)
spire_add_fuzzer(scenario_form_fuzzer LIBRARY spire_fuzz_scenario_form)
