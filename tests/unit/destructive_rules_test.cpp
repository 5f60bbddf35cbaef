#include <catch2/catch.hpp>

#include "lint_support.hpp"

using namespace lint_support;

TEST_CASE("destructive rules fire on every database and stay silent on the safe rewrite", "[lint]") {
    struct Case {
        const char* rule;
        const char* risky;
        const char* safe;
    };
    const Case cases[] = {
        {"drop-table", "DROP TABLE users;", "CREATE TABLE t (id INT);\nDROP TABLE t;"},
        {"drop-column", "ALTER TABLE users DROP COLUMN email;", "ALTER TABLE users DROP CONSTRAINT c;"},
        {"truncate", "TRUNCATE TABLE users;", "DELETE FROM users WHERE id = 1;"},
        {"delete-without-where", "DELETE FROM users;", "DELETE FROM users WHERE created < '2020-01-01';"},
        {"update-without-where", "UPDATE users SET name = 'x';",
         "UPDATE users SET name = 'x' WHERE id IN (SELECT id FROM t);"},
        {"drop-schema", "DROP SCHEMA reporting;", "CREATE TABLE t (id INT);"},
        {"rename-table", "ALTER TABLE users RENAME TO people;", "CREATE TABLE people (id INT);"},
        {"rename-column", "ALTER TABLE users RENAME COLUMN name TO full_name;",
         "ALTER TABLE users ADD COLUMN full_name VARCHAR(10);"},
    };
    for (const auto kind : all_dialects) {
        for (const auto& item : cases) {
            INFO(item.rule << " on dialect " << static_cast<int>(kind));
            CHECK(fired(rules_fired(item.risky, kind, "SELECT 1;"), item.rule));
            CHECK_FALSE(fired(rules_fired(item.safe, kind, "SELECT 1;"), item.rule));
        }
    }
}

TEST_CASE("DROP DATABASE fires on PostgreSQL and MySQL", "[lint]") {
    CHECK(fired(rules_fired("DROP DATABASE app;", DialectKind::Postgresql), "drop-database"));
    CHECK(fired(rules_fired("DROP DATABASE IF EXISTS app;", DialectKind::Mysql), "drop-database"));
}

TEST_CASE("MySQL CHANGE with a new name is a rename, quoted names keep their case", "[lint]") {
    CHECK(fired(rules_fired("ALTER TABLE `Users` CHANGE `a` `b` INT;", DialectKind::Mysql), "rename-column"));
    CHECK_FALSE(
        fired(rules_fired("ALTER TABLE users CHANGE a a BIGINT;", DialectKind::Mysql), "rename-column"));
    CHECK(fired(rules_fired("RENAME TABLE a TO b;", DialectKind::Mysql), "rename-table"));
}

TEST_CASE("a WHERE inside a subquery does not make a DELETE safe", "[lint]") {
    for (const auto kind : all_dialects) {
        CHECK(fired(rules_fired("DELETE FROM users;", kind), "delete-without-where"));
    }
    CHECK(
        fired(rules_fired("UPDATE users SET a = (SELECT max(b) FROM t WHERE t.x = 1);", DialectKind::Sqlite),
              "update-without-where"));
}

TEST_CASE("destructive rules do not look at the downgrade", "[lint]") {
    for (const auto kind : all_dialects) {
        CHECK(rules_fired("CREATE TABLE t (id INT);", kind, "DROP TABLE t;").empty());
    }
}

TEST_CASE("a table rebuild is judged by the columns it leaves out", "[lint]") {
    const std::string rebuild_without_email =
        "CREATE TABLE \"_tmp_users\" (\"id\" INTEGER NOT NULL, CONSTRAINT pk PRIMARY KEY (\"id\"));\n"
        "INSERT INTO \"_tmp_users\" (\"id\") SELECT \"id\" FROM \"users\";\nDROP TABLE \"users\";\n"
        "ALTER TABLE \"_tmp_users\" RENAME TO \"users\";";
    const std::string rebuild_with_email =
        "CREATE TABLE \"_tmp_users\" (\"id\" INTEGER NOT NULL, \"email\" VARCHAR(20), PRIMARY KEY "
        "(\"id\"));\n"
        "INSERT INTO \"_tmp_users\" SELECT * FROM \"users\";\nDROP TABLE \"users\";\n"
        "ALTER TABLE \"_tmp_users\" RENAME TO \"users\";";
    // MySQL quotes names with backticks and changes columns in place; the rebuild is SQLite's way.
    for (const auto kind : {DialectKind::Sqlite, DialectKind::Postgresql}) {
        INFO(static_cast<int>(kind));
        const auto found = findings(make_script(rebuild_without_email, rebuild_with_email), kind);
        REQUIRE(found.size() == 1);
        CHECK(found[0].rule == "drop-column");
        CHECK(found[0].message == "drops column users.email (the table is rebuilt without it)");
        CHECK(findings(make_script(rebuild_with_email, rebuild_with_email), kind).empty());
    }
}
