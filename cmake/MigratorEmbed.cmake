# migrator_embed_scripts(<target> <dir> [FUNCTION <name>] [LOCATION <name>])
#
# Compiles the migration scripts of one version location (the *.sql files directly in <dir>) into
# <target>. It generates <name>.hpp and <name>.cpp (FUNCTION, default `migrator_scripts`), declaring
#
#     migrator::ScriptBundle <name>();
#
# to hand to migrator::Project::use_scripts(). LOCATION (default: the name of <dir>) is the directory
# name messages show. A script added, edited or removed is picked up by the next build.
# find_package(migrator) includes this file; so does migrator's own build.
function(migrator_embed_scripts target dir)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "FUNCTION;LOCATION" "")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "migrator_embed_scripts: unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_FUNCTION)
    set(arg_FUNCTION migrator_scripts)
  endif()
  if(NOT arg_FUNCTION MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "migrator_embed_scripts: FUNCTION '${arg_FUNCTION}' is not a C++ identifier")
  endif()
  get_filename_component(dir "${dir}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT IS_DIRECTORY "${dir}")
    message(FATAL_ERROR "migrator_embed_scripts: '${dir}' is not a directory")
  endif()
  if(NOT arg_LOCATION)
    get_filename_component(arg_LOCATION "${dir}" NAME)
  endif()
  # CONFIGURE_DEPENDS: a new or removed script re-runs CMake, which regenerates the list below.
  file(GLOB scripts CONFIGURE_DEPENDS LIST_DIRECTORIES false "${dir}/*.sql")
  list(FILTER scripts EXCLUDE REGEX "/\\.[^/]*$")  # hidden files, as the loader skips them
  list(SORT scripts)
  # Beside this file, in the source tree and in an installed package alike.
  set(generator "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/MigratorEmbedGenerate.cmake")
  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/migrator_embed/${target}")
  set(source "${out_dir}/${arg_FUNCTION}.cpp")
  set(header "${out_dir}/${arg_FUNCTION}.hpp")
  file(MAKE_DIRECTORY "${out_dir}")
  string(REPLACE ";" "|" script_list "${scripts}")
  add_custom_command(
    OUTPUT "${source}" "${header}"
    COMMAND "${CMAKE_COMMAND}" "-DSCRIPTS=${script_list}" "-DFUNCTION=${arg_FUNCTION}"
            "-DLOCATION=${arg_LOCATION}" "-DSOURCE=${source}" "-DHEADER=${header}"
            -P "${generator}"
    DEPENDS ${scripts} "${generator}"
    COMMENT "Embedding ${arg_LOCATION} scripts in ${target}"
    VERBATIM)
  target_sources(${target} PRIVATE "${source}" "${header}")
  target_include_directories(${target} PRIVATE "${out_dir}")
endfunction()
