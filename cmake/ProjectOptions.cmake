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
