#include <catch2/catch.hpp>

#include "migrator/util/strings.hpp"

using migrator::util::split_list;
using migrator::util::trim;

TEST_CASE("trim removes surrounding white space only", "[strings]") {
    CHECK(trim("  a b \t\n") == "a b");
    CHECK(trim("") == "");
    CHECK(trim("   ").empty());
}

TEST_CASE("split_list trims items and drops empty ones", "[strings]") {
    CHECK(split_list("a, b ,c") == std::vector<std::string>{"a", "b", "c"});
    CHECK(split_list("").empty());
    CHECK(split_list(" , ,").empty());
    CHECK(split_list("only") == std::vector<std::string>{"only"});
}
