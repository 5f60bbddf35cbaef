#include <catch2/catch.hpp>

#include "lint_support.hpp"

using namespace lint_support;

TEST_CASE("an empty upgrade is flagged, except on a merge point", "[lint]") {
    for (const auto kind : all_dialects) {
        auto script = make_script("-- write the upgrade SQL here\n", "");
        auto found = findings(script, kind);
        REQUIRE(found.size() == 1);
        CHECK(found[0].rule == "empty-upgrade");
        CHECK(found[0].severity == migrator::lint::Severity::Error);
        CHECK(found[0].line == 3);
        script.down_revisions = {"a", "b"};
        CHECK(findings(script, kind).empty());
    }
}

TEST_CASE("a missing downgrade is flagged", "[lint]") {
    for (const auto kind : all_dialects) {
        CHECK(rules_fired("CREATE TABLE t (id INT);", kind, "-- nothing\n") ==
              std::vector<std::string>{"missing-downgrade"});
        CHECK(rules_fired("CREATE TABLE t (id INT);", kind, "DROP TABLE t;").empty());
    }
}

TEST_CASE("a downgrade must drop the tables and columns the upgrade creates", "[lint]") {
    for (const auto kind : all_dialects) {
        INFO(static_cast<int>(kind));
        const std::string upgrade =
            "CREATE TABLE t (id INT);\nALTER TABLE users ADD COLUMN email VARCHAR(10);";
        CHECK(rules_fired(upgrade, kind, "DROP TABLE t;") ==
              std::vector<std::string>{"downgrade-not-reversed"});
        CHECK(rules_fired(upgrade, kind, "ALTER TABLE users DROP COLUMN email;") ==
              std::vector<std::string>{"downgrade-not-reversed"});
        CHECK(rules_fired(upgrade, kind, "ALTER TABLE users DROP COLUMN email;\nDROP TABLE t;").empty());
        // A SQLite-style rebuild renames a copy over the table.
        CHECK(rules_fired(
                  upgrade, kind,
                  "CREATE TABLE users_new (id INT);\nDROP TABLE users;\nALTER TABLE users_new RENAME TO "
                  "users;\nDROP TABLE t;")
                  .empty());
    }
}
