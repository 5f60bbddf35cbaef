#include "util/failure_list.hpp"

#include <catch2/catch.hpp>
#include <string>

using migrator::util::FailureList;

TEST_CASE("a failure list joins its failures on one line and counts those past the fifth", "[util]") {
    FailureList failures;
    CHECK(failures.empty());
    failures.add("a.sql:1: one");
    failures.add("b.sql:2: two");
    CHECK_FALSE(failures.empty());
    CHECK(failures.summary().message == "a.sql:1: one; b.sql:2: two");

    for (int i = 3; i <= 7; ++i) failures.add("x" + std::to_string(i));
    CHECK(failures.summary().message == "a.sql:1: one; b.sql:2: two; x3; x4; x5; and 2 more");
}
