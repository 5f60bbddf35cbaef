#include <catch2/catch.hpp>

#include <filesystem>
#include <random>
#include <string>
#include <thread>

#include "config/database_url.hpp"
#include "db/connect.hpp"
#include "temp_dir.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;
using migrator::config::DatabaseUrl;
using migrator::db::connect;
using migrator::db::Connection;
using migrator::db::DatabaseError;
using migrator::dialect::DialectKind;
using Column = std::vector<std::optional<std::string>>;

using test::TempDir;

namespace {

DatabaseUrl sqlite_url(const fs::path& file) {
    DatabaseUrl url;
    url.dialect = DialectKind::Sqlite;
    url.scheme = "sqlite";
    url.database = file.string();
    return url;
}

}  // namespace

TEST_CASE("SQLite: statements run and the first column comes back as text", "[runtime]") {
    TempDir dir;
    auto connection = connect(sqlite_url(dir.path() / "with space.db"));
    connection->execute("CREATE TABLE t (i INTEGER, s TEXT, r REAL)");
    connection->execute("INSERT INTO t VALUES (42, 'it''s', 1.5)");
    connection->execute("INSERT INTO t VALUES (NULL, NULL, NULL)");
    CHECK(connection->query_column("SELECT i FROM t ORDER BY rowid") == Column{"42", std::nullopt});
    CHECK(connection->query_column("SELECT s FROM t ORDER BY rowid") == Column{"it's", std::nullopt});
    CHECK(connection->query_column("SELECT r FROM t WHERE r IS NOT NULL") == Column{"1.5"});
    CHECK(connection->query_column("SELECT s FROM t WHERE 0").empty());
    CHECK(fs::exists(dir.path() / "with space.db"));
}

TEST_CASE("SQLite: execute_update reports matched rows", "[runtime]") {
    auto connection = connect(sqlite_url(":memory:"));
    connection->execute("CREATE TABLE t (x INTEGER)");
    connection->execute("INSERT INTO t VALUES (1)");
    connection->execute("INSERT INTO t VALUES (1)");
    CHECK(connection->execute_update("UPDATE t SET x = 2 WHERE x = 1") == 2);
    CHECK(connection->execute_update("DELETE FROM t WHERE x = 7") == 0);
}

TEST_CASE("SQLite: BEGIN, ROLLBACK and COMMIT work as plain statements", "[runtime]") {
    auto connection = connect(sqlite_url(":memory:"));
    connection->execute("BEGIN");
    connection->execute("CREATE TABLE gone (x INTEGER)");
    connection->execute("ROLLBACK");
    connection->execute("BEGIN");
    connection->execute("CREATE TABLE kept (x INTEGER)");
    connection->execute("COMMIT");
    CHECK(connection->query_column("SELECT name FROM sqlite_master WHERE type = 'table'") == Column{"kept"});
}

TEST_CASE("SQLite: a comment-only statement is skipped", "[runtime]") {
    auto connection = connect(sqlite_url(":memory:"));
    CHECK_NOTHROW(connection->execute("-- nothing to do here\n/* or here */"));
}

TEST_CASE("SQLite: a refused statement throws DatabaseError with the driver's message", "[runtime]") {
    auto connection = connect(sqlite_url(":memory:"));
    CHECK_THROWS_AS(connection->execute("SELEC 1"), DatabaseError);
    CHECK_THROWS_WITH(connection->execute("INSERT INTO missing VALUES (1)"),
                      Catch::Contains("no such table: missing"));
    CHECK_THROWS_AS(connection->query_column("SELECT nope FROM nowhere"), DatabaseError);
}

TEST_CASE("SQLite: refusals carry SQLite's own text and no driver prefix", "[runtime]") {
    auto connection = connect(sqlite_url(":memory:"));
    connection->execute("CREATE TABLE t (x INTEGER UNIQUE)");
    connection->execute("INSERT INTO t VALUES (1)");
    CHECK_THROWS_WITH(connection->execute("SELEC 1"), "near \"SELEC\": syntax error");
    CHECK_THROWS_WITH(connection->execute("INSERT INTO t VALUES (1)"), "UNIQUE constraint failed: t.x");
    CHECK_THROWS_WITH(connection->execute_update("UPDATE missing SET x = 1"), "no such table: missing");
    CHECK_THROWS_WITH(connection->execute_update(""), "No sqlite statement created");
    // SOCI's rows, too, carry only SQLite's text.
    CHECK_THROWS_WITH(connection->query_column("SELECT nope FROM nowhere"), "no such table: nowhere");
    CHECK_THROWS_WITH(connection->query_bound("SELECT x FROM missing WHERE x = ?", {"1"}),
                      "no such table: missing");
    // A failed statement leaves nothing pending: the table can still be dropped.
    CHECK_NOTHROW(connection->execute("DROP TABLE t"));
}

TEST_CASE("SQLite: every statement of a text runs, none is dropped", "[runtime]") {
    auto connection = connect(sqlite_url(":memory:"));
    connection->execute("CREATE TABLE a (x INTEGER); CREATE TABLE b (x INTEGER); -- note");
    CHECK(connection->query_column("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") ==
          Column{"a", "b"});
    CHECK_THROWS_WITH(connection->execute("INSERT INTO a VALUES (1); this is not SQL"),
                      "near \"this\": syntax error");
    CHECK(connection->execute_update("UPDATE a SET x = 2; DELETE FROM b") == 0);
    CHECK(connection->query_column("SELECT x FROM a") == Column{"2"});
}

TEST_CASE("a NUL byte in SQL is refused, not cut at", "[runtime]") {
    auto connection = connect(sqlite_url(":memory:"));
    connection->execute("CREATE TABLE a (x INTEGER)");
    constexpr char text[] = "INSERT INTO a VALUES (1)\0; DROP TABLE a";
    CHECK_THROWS_WITH(connection->execute(std::string_view(text, sizeof(text) - 1)),
                      "NUL byte in SQL; the driver would stop at it");
    CHECK(connection->query_column("SELECT count(*) FROM a") == Column{"0"});
}

TEST_CASE("SQLite: a statement's rows are stepped through to the end", "[runtime]") {
    auto connection = connect(sqlite_url(":memory:"));
    // The second row overflows; stopping after the first row would hide the error.
    CHECK_THROWS_WITH(connection->execute("SELECT 1 UNION ALL SELECT abs(-9223372036854775808)"),
                      Catch::Contains("integer overflow"));
    connection->execute("CREATE TABLE t (x INTEGER)");
    CHECK(connection->execute_update("INSERT INTO t VALUES (1), (2) RETURNING x") == 2);
}

TEST_CASE("SQLite: a locked database is reported after the URL's busy timeout", "[runtime]") {
    TempDir dir;
    auto holder = connect(sqlite_url(dir.path() / "locked.db"));
    holder->execute("CREATE TABLE t (x INTEGER)");
    holder->execute("BEGIN IMMEDIATE");
    auto url = sqlite_url(dir.path() / "locked.db");
    url.query["timeout"] = "0";
    auto waiter = connect(url);
    const std::string locked = "the database is locked by another connection (waited 0 s";
    CHECK_THROWS_WITH(waiter->execute("INSERT INTO t VALUES (1)"), Catch::StartsWith(locked));
    CHECK_THROWS_WITH(waiter->execute_update("DELETE FROM t"), Catch::StartsWith(locked));
    holder->execute("COMMIT");
    CHECK(waiter->execute_update("INSERT INTO t VALUES (1)") == 1);
}

TEST_CASE("SQLite: the URL's timeout is whole seconds that fit SQLite's busy timeout", "[runtime]") {
    TempDir dir;
    auto url = sqlite_url(dir.path() / "t.db");
    for (const auto* bad : {"2147484", "99999999999999999999", "-1", "1.5", ""}) {
        url.query["timeout"] = bad;
        CHECK_THROWS_WITH(connect(url), Catch::Contains("timeout must be whole seconds from 0 to 2147483") &&
                                            Catch::Contains(bad));
    }
    url.query["timeout"] = "2147483";
    CHECK_NOTHROW(connect(url));
}

TEST_CASE("SQLite: bound parameters are values, never SQL", "[runtime]") {
    auto connection = connect(sqlite_url(":memory:"));
    connection->execute("CREATE TABLE t (name TEXT, note TEXT)");
    const std::string crafted = "x'); DROP TABLE t; --";
    CHECK(connection->execute_bound("INSERT INTO t VALUES (?, ?)", {crafted, std::nullopt}) == 1);
    CHECK(connection->execute_bound("INSERT INTO t VALUES ('?', ?)", {"b"}) == 1);
    using Rows = std::vector<std::vector<std::optional<std::string>>>;
    CHECK(connection->query_bound("SELECT name, note FROM t WHERE name = ? OR note = ?", {crafted, "b"}) ==
          Rows{{crafted, std::nullopt}, {"?", "b"}});
    CHECK_THROWS_WITH(connection->query_bound("SELECT ?", {}),
                      Catch::Contains("1 placeholders but 0 parameters"));
}

TEST_CASE("SQLite: an unopenable file is a connection error naming the URL", "[runtime]") {
    TempDir dir;
    const auto url = sqlite_url(dir.path() / "no" / "such" / "dir.db");
    CHECK_THROWS_WITH(connect(url), Catch::StartsWith("cannot connect to ") && Catch::Contains("dir.db"));
    auto bad = sqlite_url(dir.path() / "x.db");
    bad.query["journal"] = "wal";
    CHECK_THROWS_WITH(connect(bad), Catch::Contains("journal"));
}

namespace {

// Counts far longer than any test runs: it ends only when interrupted.
constexpr const char* endless_statement =
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000000) "
    "SELECT count(*) FROM c";

std::string failure_of(Connection& connection, const char* sql) {
    try {
        connection.execute(sql);
    } catch (const DatabaseError& error) {
        return error.what();
    }
    return "(it ran to the end)";
}

}  // namespace

TEST_CASE("SQLite: one interrupt() from another thread stops a long statement", "[runtime][interruption]") {
    TempDir dir;
    auto connection = connect(sqlite_url(dir.path() / "app.db"));
    std::string failure;
    std::thread runner([&] { failure = failure_of(*connection, endless_statement); });
    // Whether it lands before the statement starts or while it runs, once is enough.
    connection->interrupt();
    runner.join();
    CHECK(failure == "interrupted");
}

TEST_CASE("SQLite: an interrupt while no statement runs stops the next one, until it is cleared",
          "[runtime][interruption]") {
    TempDir dir;
    auto connection = connect(sqlite_url(dir.path() / "app.db"));
    connection->interrupt();
    CHECK(failure_of(*connection, endless_statement) == "interrupted");
    CHECK(failure_of(*connection, endless_statement) == "interrupted");
    connection->clear_interrupt();
    // The connection is usable again, for a rollback and the reads after a stop.
    CHECK(connection->query_column("SELECT 1") == Column{"1"});
    connection->execute("CREATE TABLE t (x INTEGER)");
    CHECK(connection->query_column("SELECT count(*) FROM sqlite_master WHERE name = 't'") == Column{"1"});
}
