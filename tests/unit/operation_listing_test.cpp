// The listings check and revision --autogenerate print.
#include <catch2/catch.hpp>

#include <sstream>

#include "render/operation_listing.hpp"

using migrator::schema::UncomparedObject;

TEST_CASE("describe_not_compared counts and names the objects per kind", "[operation_listing]") {
    CHECK(migrator::render::describe_not_compared({}).empty());
    CHECK(migrator::render::describe_not_compared({{"partial or expression index", "ix_a"},
                                                   {"partial or expression index", "ix_b"},
                                                   {"trigger", "t1"},
                                                   {"view", "v"}}) ==
          "2 partial or expression indexes (ix_a, ix_b), 1 trigger (t1), 1 view (v)");
}

TEST_CASE("describe_not_compared spells the plural of a kind ending in s or x with -es",
          "[operation_listing]") {
    CHECK(migrator::render::describe_not_compared(
              {{"index operator class", "t.a"}, {"index operator class", "t.b"}}) ==
          "2 index operator classes (t.a, t.b)");
}

TEST_CASE("describe_not_compared spells the plural of a kind ending in y with -ies", "[operation_listing]") {
    CHECK(
        migrator::render::describe_not_compared({{"policy", "t.p1"}, {"policy", "t.p2"}, {"rule", "t.r"}}) ==
        "2 policies (t.p1, t.p2), 1 rule (t.r)");
}

TEST_CASE("the JSON listing is up to date only without operations and without uncompared objects",
          "[operation_listing]") {
    std::ostringstream clean;
    migrator::render::print_operations_json(clean, {}, {});
    CHECK(clean.str().find("\"up_to_date\": true") != std::string::npos);
    std::ostringstream uncompared;
    migrator::render::print_operations_json(uncompared, {}, {UncomparedObject{"view", "v"}});
    CHECK(uncompared.str().find("\"up_to_date\": false") != std::string::npos);
    CHECK(uncompared.str().find("\"name\": \"v\"") != std::string::npos);
}
