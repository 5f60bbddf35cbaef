#include "util/redact.hpp"

#include <catch2/catch.hpp>

#include <string>

using migrator::util::redact;

TEST_CASE("redact masks the password of a URL and nothing else", "[redact]") {
    CHECK(redact("cannot connect to postgresql://app:p@db.example:5432/postgres: unsupported") ==
          "cannot connect to postgresql://app:***@db.example:5432/postgres: unsupported");
    CHECK(redact("mysql://a:a@a/a failed for user 'a'") == "mysql://a:***@a/a failed for user 'a'");
    CHECK(redact("postgresql://postgres:postgres@localhost/postgres") ==
          "postgresql://postgres:***@localhost/postgres");
    // Only the last '@' of the authority ends the user information.
    CHECK(redact("x://u:se@cret@h/d") == "x://u:***@h/d");
    // No password, no '@', or an empty password: unchanged.
    CHECK(redact("postgresql://app@h/d") == "postgresql://app@h/d");
    CHECK(redact("postgresql://h:5432/d") == "postgresql://h:5432/d");
    CHECK(redact("postgresql://u:@h/d") == "postgresql://u:@h/d");
    CHECK(redact("sqlite:///tmp/app.db") == "sqlite:///tmp/app.db");
}

TEST_CASE("redact masks password keys of connection strings, quoted or not", "[redact]") {
    CHECK(redact("host='h' dbname='d' user='u' password='p' port='5'") ==
          "host='h' dbname='d' user='u' password='***' port='5'");
    CHECK(redact(R"(password='it\'s secret' user=u)") == "password='***' user=u");
    CHECK(redact("dbname=d password=secret sslmode=require") == "dbname=d password=*** sslmode=require");
    CHECK(redact("db=d user=u pass=\"a b\" host=h") == "db=d user=u pass=\"***\" host=h");
    CHECK(redact("PWD=a;x") == "PWD=***");
    CHECK(redact("sslpassword=k passwd=q") == "sslpassword=*** passwd=***");
    CHECK(redact("postgresql://u@h/d?password=p&sslmode=require") ==
          "postgresql://u@h/d?password=***&sslmode=require");
}

TEST_CASE("redact leaves text without a password field alone, whatever the password is", "[redact]") {
    // With substring masking these lost every 'p', 'a', "postgres" or "secret" in them.
    for (const std::string text : {"FATAL: password authentication failed for user \"postgres\"",
                                   "unsupported frontend protocol: a secret apple",
                                   "Access denied for user 'a'@'h' (using password: YES)",
                                   "passphrase=x is not a password key; password_hint: p", "keypassword x",
                                   "UPDATE t SET password = 'p'", "postgres://no-at-sign/here and p=a"}) {
        INFO(text);
        CHECK(redact(text) == text);
    }
}
