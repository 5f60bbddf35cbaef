#include <catch2/catch.hpp>

#include <sstream>

#include "migrator/db/offline_connection.hpp"
#include "migrator/util/error.hpp"

using migrator::db::OfflineConnection;

TEST_CASE("offline connection prints statements terminated by semicolons", "[runtime]") {
    std::ostringstream out;
    OfflineConnection connection(out);
    connection.execute("BEGIN");
    connection.execute("CREATE TABLE t (\n  id INTEGER\n)");
    CHECK(out.str() == "BEGIN;\nCREATE TABLE t (\n  id INTEGER\n);\n");
}

TEST_CASE("offline comments read like Alembic's --sql output", "[runtime]") {
    std::ostringstream out;
    OfflineConnection connection(out);
    connection.comment("Running upgrade  -> 9b1c2d3e4f5a, create users");
    connection.execute("CREATE TABLE users (id INTEGER)");
    connection.comment("Running upgrade 9b1c2d3e4f5a -> 3f2a9c1b7d4e, two\nlines");
    CHECK(out.str() ==
          "-- Running upgrade  -> 9b1c2d3e4f5a, create users\n"
          "CREATE TABLE users (id INTEGER);\n"
          "\n"
          "-- Running upgrade 9b1c2d3e4f5a -> 3f2a9c1b7d4e, two lines\n");
}

TEST_CASE("a trailing line comment does not swallow the semicolon", "[runtime]") {
    std::ostringstream out;
    OfflineConnection connection(out);
    connection.execute("SELECT 1 -- the answer");
    CHECK(out.str() == "SELECT 1 -- the answer\n;\n");
}

TEST_CASE("offline mode cannot query", "[runtime]") {
    std::ostringstream out;
    OfflineConnection connection(out);
    CHECK_THROWS_WITH(connection.query_column("SELECT 1"), "offline mode cannot query the database");
    // A database failure is an Error like any other: the one catch at the top handles it.
    CHECK_THROWS_AS(connection.query_column("SELECT 1"), migrator::Error);
    CHECK_FALSE(connection.execute_update("UPDATE t SET x = 1").has_value());
    CHECK(out.str() == "UPDATE t SET x = 1;\n");
}

TEST_CASE("offline, bound parameters are printed as quote-doubled literals", "[runtime]") {
    std::ostringstream out;
    OfflineConnection connection(out);
    CHECK_FALSE(
        connection.execute_bound("DELETE FROM v WHERE a = ? AND b = '?' OR c = ?", {"it's", std::nullopt})
            .has_value());
    CHECK(out.str() == "DELETE FROM v WHERE a = 'it''s' AND b = '?' OR c = NULL;\n");
    CHECK_THROWS_AS(connection.query_bound("SELECT ?", {"x"}), migrator::db::DatabaseError);
}
