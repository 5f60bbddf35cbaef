#include "migrator/db/locks.hpp"

#include <catch2/catch.hpp>

TEST_CASE("lock keys are stable and differ per version table", "[lock]") {
    CHECK(migrator::db::lock_key("migrator_version") == migrator::db::lock_key("migrator_version"));
    CHECK(migrator::db::lock_key("migrator_version") != migrator::db::lock_key("other.migrator_version"));
    CHECK(migrator::db::mysql_lock_name("a_rather_long_schema_name.a_rather_long_table_name_for_versions")
              .size() <= 64);
}
