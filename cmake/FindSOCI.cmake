# Debian's libsoci-dev ships no CMake config, so locate SOCI by hand.
# Provides SOCI::core and SOCI::<backend> for each found backend
# (sqlite3, postgresql, mysql) and sets SOCI_FOUND.
find_path(SOCI_INCLUDE_DIR soci/soci.h)
find_library(SOCI_CORE_LIBRARY NAMES soci_core)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(SOCI REQUIRED_VARS SOCI_CORE_LIBRARY SOCI_INCLUDE_DIR)

if(SOCI_FOUND AND NOT TARGET SOCI::core)
  add_library(SOCI::core UNKNOWN IMPORTED)
  set_target_properties(SOCI::core PROPERTIES
    IMPORTED_LOCATION "${SOCI_CORE_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${SOCI_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${CMAKE_DL_LIBS}")
endif()

foreach(backend IN ITEMS sqlite3 postgresql mysql)
  find_library(SOCI_${backend}_LIBRARY NAMES soci_${backend})
  if(SOCI_${backend}_LIBRARY AND NOT TARGET SOCI::${backend})
    add_library(SOCI::${backend} UNKNOWN IMPORTED)
    set_target_properties(SOCI::${backend} PROPERTIES
      IMPORTED_LOCATION "${SOCI_${backend}_LIBRARY}"
      INTERFACE_LINK_LIBRARIES SOCI::core)
    set(SOCI_${backend}_FOUND TRUE)
  endif()
endforeach()

mark_as_advanced(SOCI_INCLUDE_DIR SOCI_CORE_LIBRARY)
