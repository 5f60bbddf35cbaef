#include <catch2/catch.hpp>

#include <string>

#include "script/revision_id.hpp"

using migrator::script::generate_revision_id;
using migrator::script::validate_branch_label;
using migrator::script::validate_revision_id;

TEST_CASE("generated revision ids are 12 lowercase hex characters and differ", "[script]") {
    const std::string first = generate_revision_id();
    const std::string second = generate_revision_id();
    CHECK(first.size() == 12);
    CHECK(first.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(validate_revision_id(first).has_value());
    CHECK(first != second);  // a collision has probability 2^-48
}

TEST_CASE("validate_revision_id accepts word characters up to 32", "[script]") {
    for (const char* id : {"3f2a9c1b7d4e", "a", "Add_Users_2", "_", "0001"}) {
        const auto checked = validate_revision_id(id);
        REQUIRE(checked.has_value());
        CHECK(*checked == id);
    }
    CHECK(validate_revision_id(std::string(32, 'a')).has_value());
}

TEST_CASE("validate_revision_id refuses empty, long, punctuated and reserved ids", "[script]") {
    CHECK_FALSE(validate_revision_id("").has_value());

    const auto too_long = validate_revision_id(std::string(33, 'a'));
    REQUIRE_FALSE(too_long.has_value());
    CHECK_THAT(too_long.error().message, Catch::Contains("33 characters") && Catch::Contains("at most 32"));

    for (const char* id : {"a-b", "a@b", "a+1", "a b", "a.b", "caf\xC3\xA9", "a:b"}) {
        const auto checked = validate_revision_id(id);
        REQUIRE_FALSE(checked.has_value());
        CHECK_THAT(checked.error().message, Catch::Contains(std::string("'") + id + "'"));
    }
    for (const char* id : {"head", "heads", "base", "current", "HEAD", "Base"}) {
        const auto checked = validate_revision_id(id);
        REQUIRE_FALSE(checked.has_value());
        CHECK_THAT(checked.error().message, Catch::Contains("reserved"));
    }
    CHECK(validate_revision_id("header").has_value());
}

TEST_CASE("validate_branch_label refuses separators of the target grammar and reserved words", "[script]") {
    CHECK(validate_branch_label("feature_x").has_value());
    CHECK(validate_branch_label("release.2024").has_value());
    CHECK(validate_branch_label(std::string(40, 'l')).has_value());  // labels are not stored in the table
    for (const char* label : {"", "a@b", "a-b", "a+b", "a b", "a:b", "a,b", "heads", "current"}) {
        CHECK_FALSE(validate_branch_label(label).has_value());
    }
}
