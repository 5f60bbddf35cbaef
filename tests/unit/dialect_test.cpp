#include <catch2/catch.hpp>

#include <string>

#include "dialect/dialect.hpp"
#include "util/error.hpp"

using migrator::Error;
using migrator::dialect::dialect_for;
using migrator::dialect::DialectKind;

namespace {
const auto& sqlite = dialect_for(DialectKind::Sqlite);
const auto& postgresql = dialect_for(DialectKind::Postgresql);
const auto& mysql = dialect_for(DialectKind::Mysql);
}  // namespace

TEST_CASE("dialect_for returns one instance per kind", "[runtime]") {
    CHECK(&dialect_for(DialectKind::Sqlite) == &sqlite);
    CHECK(sqlite.kind() == DialectKind::Sqlite);
    CHECK(postgresql.kind() == DialectKind::Postgresql);
    CHECK(mysql.kind() == DialectKind::Mysql);
    CHECK(sqlite.name() == "sqlite");
    CHECK(postgresql.name() == "postgresql");
    CHECK(mysql.name() == "mysql");
}

TEST_CASE("identifiers are quoted with each dialect's quote character", "[runtime]") {
    CHECK(sqlite.quote_identifier("migrator_version") == "\"migrator_version\"");
    CHECK(postgresql.quote_identifier("My Table") == "\"My Table\"");
    CHECK(mysql.quote_identifier("migrator_version") == "`migrator_version`");
    // The other dialect's quote character is an ordinary character.
    CHECK(mysql.quote_identifier("a\"b") == "`a\"b`");
    CHECK(postgresql.quote_identifier("a`b") == "\"a`b\"");
}

TEST_CASE("identifiers that could inject SQL are rejected, naming the name", "[runtime]") {
    for (const auto* dialect : {&sqlite, &postgresql, &mysql}) {
        CAPTURE(dialect->name());
        CHECK_THROWS_AS(dialect->quote_identifier(""), Error);
        CHECK_THROWS_AS(dialect->quote_identifier(std::string("a\0b", 3)), Error);
        CHECK_THROWS_WITH(dialect->quote_identifier(std::string(64, 'x')),
                          Catch::Contains(std::string(64, 'x')));
        CHECK_NOTHROW(dialect->quote_identifier(std::string(63, 'x')));
        CHECK_THROWS_AS(dialect->qualified_name("ok", ""), Error);
        CHECK_THROWS_AS(dialect->create_version_table("", std::string(64, 'v')), Error);
    }
    CHECK_THROWS_WITH(sqlite.quote_identifier("v\"; DROP TABLE users; --"),
                      Catch::Contains("v\"; DROP TABLE users"));
    CHECK_THROWS_AS(postgresql.quote_identifier("x\"y"), Error);
    CHECK_THROWS_WITH(mysql.quote_identifier("x`; DROP TABLE t"), Catch::Contains("x`; DROP TABLE t"));
    CHECK_THROWS_AS(mysql.version_table_exists("s`s", "t"), Error);
    CHECK_THROWS_AS(postgresql.version_table_exists("s\"s", "t"), Error);
    CHECK_THROWS_AS(sqlite.version_table_exists("", "t\""), Error);
}

TEST_CASE("string literals double single quotes, MySQL also escapes backslashes", "[runtime]") {
    CHECK(sqlite.quote_literal("it's") == "'it''s'");
    CHECK(postgresql.quote_literal("a\\b'") == "'a\\b'''");
    CHECK(mysql.quote_literal("a\\b'") == "'a\\\\b'''");
    CHECK(mysql.quote_literal("") == "''");
}

TEST_CASE("qualified names add the schema only when given", "[runtime]") {
    CHECK(sqlite.qualified_name("", "v") == "\"v\"");
    CHECK(sqlite.qualified_name("aux", "v") == "\"aux\".\"v\"");
    CHECK(postgresql.qualified_name("app", "v") == "\"app\".\"v\"");
    CHECK(mysql.qualified_name("app", "v") == "`app`.`v`");
}

TEST_CASE("transaction statements and DDL transactionality", "[runtime]") {
    CHECK(sqlite.begin_transaction() == "BEGIN");
    CHECK(postgresql.begin_transaction() == "BEGIN");
    CHECK(mysql.begin_transaction() == "START TRANSACTION");
    CHECK(sqlite.commit_transaction() == "COMMIT");
    CHECK(mysql.rollback_transaction() == "ROLLBACK");
    CHECK(sqlite.transactional_ddl());
    CHECK(postgresql.transactional_ddl());
    CHECK_FALSE(mysql.transactional_ddl());
}

TEST_CASE("the version table has alembic_version's shape", "[runtime]") {
    CHECK(sqlite.create_version_table("", "migrator_version") ==
          "CREATE TABLE \"migrator_version\" (version_num VARCHAR(32) NOT NULL, "
          "CONSTRAINT \"migrator_version_pkc\" PRIMARY KEY (version_num))");
    CHECK(postgresql.create_version_table("app", "v") ==
          "CREATE TABLE \"app\".\"v\" (version_num VARCHAR(32) NOT NULL, CONSTRAINT \"v_pkc\" PRIMARY KEY "
          "(version_num))");
    CHECK(
        mysql.create_version_table("", "v") ==
        "CREATE TABLE `v` (version_num VARCHAR(32) NOT NULL, CONSTRAINT `v_pkc` PRIMARY KEY (version_num))");
}

TEST_CASE("the existence query looks in the right catalog and schema, names bound", "[runtime]") {
    using migrator::dialect::CatalogQuery;
    CHECK(sqlite.version_table_exists("", "v") ==
          CatalogQuery{"SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", {"v"}});
    CHECK(sqlite.version_table_exists("aux", "v") ==
          CatalogQuery{"SELECT name FROM \"aux\".sqlite_master WHERE type = 'table' AND name = ?", {"v"}});
    CHECK(postgresql.version_table_exists("", "v'); SELECT pg_sleep(5) --") ==
          CatalogQuery{
              "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND "
              "table_name = ?",
              {"v'); SELECT pg_sleep(5) --"}});
    CHECK(postgresql.version_table_exists("app", "v") ==
          CatalogQuery{
              "SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
              {"app", "v"}});
    CHECK(mysql.version_table_exists("", "v\\'") ==
          CatalogQuery{"SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND "
                       "table_name = ?",
                       {"v\\'"}});
    CHECK(mysql.version_table_exists("app", "v") ==
          CatalogQuery{
              "SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
              {"app", "v"}});
}
