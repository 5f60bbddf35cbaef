#include "db/placeholders.hpp"

#include <catch2/catch.hpp>

#include "db/connection.hpp"

using migrator::db::substitute_placeholders;

namespace {
std::string numbered(std::string_view sql, std::size_t count) {
    return substitute_placeholders(sql, count, [](std::size_t n) { return "$" + std::to_string(n + 1); });
}
}  // namespace

TEST_CASE("placeholders are numbered in order outside quotes and comments", "[db]") {
    CHECK(numbered("SELECT ? , ?", 2) == "SELECT $1 , $2");
    CHECK(numbered("SELECT '?', \"?\", `?`, ? -- ?\n/* ? */ + ?", 2) ==
          "SELECT '?', \"?\", `?`, $1 -- ?\n/* ? */ + $2");
    CHECK(numbered("SELECT 'it''s ?', ?", 1) == "SELECT 'it''s ?', $1");
    CHECK(numbered("SELECT 1", 0) == "SELECT 1");
}

TEST_CASE("a placeholder count that differs from the parameters is an error", "[db]") {
    CHECK_THROWS_AS(numbered("SELECT ?", 0), migrator::db::DatabaseError);
    CHECK_THROWS_WITH(numbered("SELECT ?", 2), "statement has 1 placeholders but 2 parameters");
    CHECK_THROWS_AS(numbered("SELECT '?", 1), migrator::db::DatabaseError);
}
