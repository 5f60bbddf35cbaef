#include <catch2/catch.hpp>

#include "migrator/util/secrets.hpp"

TEST_CASE("redact replaces every occurrence of a registered secret", "[secrets]") {
    migrator::util::register_secret("s3cr3t-pw");
    CHECK(migrator::util::redact("password s3cr3t-pw and again s3cr3t-pw.") == "password *** and again ***.");
    CHECK(migrator::util::redact("nothing here") == "nothing here");
}

TEST_CASE("an empty secret is ignored rather than matching everywhere", "[secrets]") {
    migrator::util::register_secret("");
    CHECK(migrator::util::redact("abc") == "abc");
}
