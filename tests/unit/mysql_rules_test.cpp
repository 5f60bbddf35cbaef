#include <catch2/catch.hpp>

#include "lint_support.hpp"

using namespace lint_support;

TEST_CASE("mixing DDL and DML in one MySQL upgrade is flagged on the second kind", "[lint]") {
    const auto script = make_script("CREATE TABLE t (id INT);\nINSERT INTO t VALUES (1);", "DROP TABLE t;");
    const auto found = findings(script, DialectKind::Mysql);
    REQUIRE(found.size() == 1);
    CHECK(found[0].rule == "mysql-mixed-ddl-dml");
    CHECK(found[0].line == 5);
    CHECK(rules_fired("CREATE TABLE t (id INT);\nCREATE TABLE u (id INT);", DialectKind::Mysql,
                      "DROP TABLE u;\nDROP TABLE t;")
              .empty());
    CHECK(rules_fired("CREATE TABLE t (id INT);\nINSERT INTO t VALUES (1);", DialectKind::Sqlite,
                      "DROP TABLE t;")
              .empty());
}

TEST_CASE("backslash escapes in MySQL string literals are flagged", "[lint]") {
    CHECK(
        fired(rules_fired("INSERT INTO t VALUES ('it\\'s');", DialectKind::Mysql), "mysql-backslash-escape"));
    CHECK_FALSE(
        fired(rules_fired("INSERT INTO t VALUES ('it''s');", DialectKind::Mysql), "mysql-backslash-escape"));
    CHECK_FALSE(fired(rules_fired("INSERT INTO t VALUES ('a'); -- not \\ here", DialectKind::Mysql),
                      "mysql-backslash-escape"));
}
