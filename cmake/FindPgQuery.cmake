# Debian's libpg-query-dev ships no CMake or pkg-config file, so locate it by hand.
# Provides PgQuery::PgQuery (the static library: the binary needs one shared object less) and sets
# PgQuery_FOUND.
find_path(PG_QUERY_INCLUDE_DIR pg_query.h)
find_library(PG_QUERY_LIBRARY NAMES libpg_query.a pg_query)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(PgQuery REQUIRED_VARS PG_QUERY_LIBRARY PG_QUERY_INCLUDE_DIR)

if(PgQuery_FOUND AND NOT TARGET PgQuery::PgQuery)
  add_library(PgQuery::PgQuery UNKNOWN IMPORTED)
  set_target_properties(PgQuery::PgQuery PROPERTIES
    IMPORTED_LOCATION "${PG_QUERY_LIBRARY}" INTERFACE_INCLUDE_DIRECTORIES "${PG_QUERY_INCLUDE_DIR}")
endif()

mark_as_advanced(PG_QUERY_INCLUDE_DIR PG_QUERY_LIBRARY)
