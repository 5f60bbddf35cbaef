#include <catch2/catch.hpp>

#include "dialect/dialect.hpp"
#include "fake_connection.hpp"
#include "runtime/version_table.hpp"
#include "util/error.hpp"

using migrator::dialect::dialect_for;
using migrator::dialect::DialectKind;
using migrator::runtime::Mode;
using migrator::runtime::VersionChange;
using migrator::runtime::VersionChangeKind;
using migrator::runtime::VersionTable;
using migrator::testing::FakeConnection;
using Log = std::vector<std::string>;

namespace {
const std::string exists_query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?";
}

TEST_CASE("heads of a missing version table are empty and nothing is created", "[runtime]") {
    FakeConnection connection;
    VersionTable table(connection, dialect_for(DialectKind::Sqlite), "", "migrator_version");
    CHECK_FALSE(table.exists());
    CHECK(table.heads().empty());
    CHECK(connection.log == Log{exists_query, exists_query});
    CHECK(connection.query_params.front() == migrator::db::Connection::Parameters{"migrator_version"});
}

TEST_CASE("the existence check binds a crafted table name instead of splicing it", "[runtime]") {
    FakeConnection connection;
    const std::string name = "v'||pg_sleep(5)||'";
    VersionTable table(connection, dialect_for(DialectKind::Postgresql), "", name);
    CHECK_FALSE(table.exists());
    REQUIRE(connection.log.size() == 1);
    CHECK(connection.log[0].find("pg_sleep") == std::string::npos);
    CHECK(connection.query_params == std::vector<migrator::db::Connection::Parameters>{{name}});
}

TEST_CASE("heads read every row of an existing version table", "[runtime]") {
    FakeConnection connection;
    connection.answers["sqlite_master"] = {"migrator_version"};
    connection.answers["SELECT version_num"] = {"3f2a9c1b7d4e", "9b1c2d3e4f5a"};
    VersionTable table(connection, dialect_for(DialectKind::Sqlite), "", "migrator_version");
    CHECK(table.heads() == Log{"3f2a9c1b7d4e", "9b1c2d3e4f5a"});
    CHECK(connection.log.back() == "SELECT version_num FROM \"migrator_version\"");
}

TEST_CASE("ensure creates the table only when it is missing", "[runtime]") {
    FakeConnection connection;
    VersionTable table(connection, dialect_for(DialectKind::Sqlite), "", "migrator_version");
    table.ensure();
    REQUIRE(connection.log.size() == 2);
    CHECK(connection.log[1].rfind("CREATE TABLE \"migrator_version\" (", 0) == 0);

    FakeConnection existing;
    existing.answers["sqlite_master"] = {"migrator_version"};
    VersionTable present(existing, dialect_for(DialectKind::Sqlite), "", "migrator_version");
    present.ensure();
    CHECK(existing.log == Log{exists_query});
}

TEST_CASE("offline, ensure emits the CREATE without asking", "[runtime]") {
    FakeConnection connection;
    VersionTable table(connection, dialect_for(DialectKind::Postgresql), "app", "v", Mode::Offline);
    table.ensure();
    CHECK(connection.log == Log{"CREATE TABLE \"app\".\"v\" (version_num VARCHAR(32) NOT NULL, CONSTRAINT "
                                "\"v_pkc\" PRIMARY KEY (version_num))"});
}

TEST_CASE("version changes become INSERT, UPDATE and DELETE", "[runtime]") {
    FakeConnection connection;
    VersionTable table(connection, dialect_for(DialectKind::Mysql), "", "migrator_version");
    table.apply({VersionChangeKind::Insert, "", "9b1c2d3e4f5a"});
    table.apply({VersionChangeKind::Update, "9b1c2d3e4f5a", "3f2a9c1b7d4e"});
    table.apply({VersionChangeKind::Delete, "3f2a9c1b7d4e", ""});
    table.apply({VersionChangeKind::Insert, "", "it's"});
    CHECK(connection.log ==
          Log{"INSERT INTO `migrator_version` (version_num) VALUES ('9b1c2d3e4f5a')",
              "UPDATE `migrator_version` SET version_num='3f2a9c1b7d4e' WHERE version_num = '9b1c2d3e4f5a'",
              "DELETE FROM `migrator_version` WHERE version_num = '3f2a9c1b7d4e'",
              "INSERT INTO `migrator_version` (version_num) VALUES ('it''s')"});
}

TEST_CASE("online, an UPDATE or DELETE must match exactly one row", "[runtime]") {
    FakeConnection connection;
    connection.matched_rows = 0;
    VersionTable table(connection, dialect_for(DialectKind::Sqlite), "", "migrator_version");
    CHECK_NOTHROW(table.apply({VersionChangeKind::Insert, "", "aaaaaaaaaaaa"}));
    CHECK_THROWS_WITH(table.apply({VersionChangeKind::Update, "aaaaaaaaaaaa", "bbbbbbbbbbbb"}),
                      "online migration expected to match one row when updating 'aaaaaaaaaaaa' to "
                      "'bbbbbbbbbbbb' in migrator_version; 0 found");
    connection.matched_rows = 2;
    CHECK_THROWS_WITH(table.apply({VersionChangeKind::Delete, "aaaaaaaaaaaa", ""}),
                      Catch::Contains("deleting 'aaaaaaaaaaaa'") && Catch::Contains("2 found"));
    connection.matched_rows = 1;
    CHECK_NOTHROW(table.apply({VersionChangeKind::Delete, "aaaaaaaaaaaa", ""}));
}

TEST_CASE("a purge deletes every row, however many match", "[runtime]") {
    FakeConnection connection;
    connection.matched_rows = 2;
    VersionTable table(connection, dialect_for(DialectKind::Postgresql), "", "migrator_version");
    CHECK_NOTHROW(table.apply({VersionChangeKind::Purge, "aaaaaaaaaaaa", ""}));
    CHECK(connection.log == Log{"DELETE FROM \"migrator_version\""});
}

TEST_CASE("offline, row counts are not checked", "[runtime]") {
    FakeConnection connection;
    connection.matched_rows = 0;
    VersionTable table(connection, dialect_for(DialectKind::Sqlite), "", "migrator_version", Mode::Offline);
    CHECK_NOTHROW(table.apply({VersionChangeKind::Update, "aaaaaaaaaaaa", "bbbbbbbbbbbb"}));
    CHECK(connection.log.size() == 1);
}
