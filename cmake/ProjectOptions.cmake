# INTERFACE targets that carry warning and sanitizer flags to whoever links them.
add_library(migrator_warnings INTERFACE)
target_compile_options(migrator_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual
  $<$<BOOL:${MIGRATOR_WERROR}>:-Werror>)

add_library(migrator_sanitizers INTERFACE)
if(MIGRATOR_SANITIZE)
  target_compile_options(migrator_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(migrator_sanitizers INTERFACE -fsanitize=address,undefined)
endif()

# Release: -O2 with link-time optimisation and unused sections dropped halves the binary (2.2 -> 1.2 MB
# of text), so every run maps and touches fewer pages (docs/performance.md).
add_library(migrator_release INTERFACE)
target_compile_options(migrator_release INTERFACE
  $<$<CONFIG:Release>:-O2 -ffunction-sections -fdata-sections>)
target_link_options(migrator_release INTERFACE $<$<CONFIG:Release>:-Wl,--gc-sections -Wl,-O1>)
include(CheckIPOSupported)
check_ipo_supported(RESULT MIGRATOR_IPO_SUPPORTED OUTPUT ipo_output LANGUAGES CXX)
if(MIGRATOR_IPO_SUPPORTED)
  set(CMAKE_INTERPROCEDURAL_OPTIMIZATION_RELEASE ON)
  # The installed static library keeps real object code beside GCC's LTO bytecode, so that a program built
  # without LTO, or by another compiler, can link it.
  target_compile_options(migrator_release INTERFACE
    $<$<AND:$<CONFIG:Release>,$<CXX_COMPILER_ID:GNU>>:-ffat-lto-objects>)
endif()
