#include <catch2/catch.hpp>

#include "db/connect_failure.hpp"

using migrator::db::classify_connect_failure;
using migrator::db::ConnectFailure;
using migrator::db::describe_connect_failure;

TEST_CASE("driver messages are told apart by cause", "[connect]") {
    // Messages as libpq, the MariaDB client and SQLite print them.
    CHECK(classify_connect_failure(
              "connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n\tIs "
              "the server running on that host and accepting TCP/IP connections?") ==
          ConnectFailure::Refused);
    CHECK(classify_connect_failure("Can't connect to server on '127.0.0.1' (111)") ==
          ConnectFailure::Refused);
    CHECK(classify_connect_failure(
              "could not translate host name \"nohost.invalid\" to address: Name or service "
              "not known") == ConnectFailure::UnknownHost);
    CHECK(classify_connect_failure("Unknown server host 'nohost.invalid' (-2)") ==
          ConnectFailure::UnknownHost);
    CHECK(classify_connect_failure(
              "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  password "
              "authentication failed for user \"migrator\"") == ConnectFailure::Authentication);
    CHECK(classify_connect_failure("Access denied for user 'migrator'@'localhost' (using password: YES)") ==
          ConnectFailure::Authentication);
    CHECK(classify_connect_failure("unable to open database file") == ConnectFailure::Other);
    CHECK(classify_connect_failure("timeout expired") == ConnectFailure::Timeout);
    CHECK(classify_connect_failure("Lost connection to server at 'handshake: reading initial communication "
                                   "packet', system error: 110") == ConnectFailure::Timeout);
}

TEST_CASE("each cause gets its own one-line explanation naming the target", "[connect]") {
    const auto refused =
        describe_connect_failure(ConnectFailure::Refused, "postgresql://u:***@h:1/db", "u", "x");
    CHECK(refused.find("cannot connect to postgresql://u:***@h:1/db: connection refused") == 0);
    const auto host = describe_connect_failure(ConnectFailure::UnknownHost, "mysql://h/db", "u", "x");
    CHECK(host.find("unknown host") != std::string::npos);
    const auto auth =
        describe_connect_failure(ConnectFailure::Authentication, "mysql://u:***@h/db", "u", "x");
    CHECK(auth.find("authentication failed for user 'u'") != std::string::npos);
    CHECK(describe_connect_failure(ConnectFailure::Other, "t", "u", "driver says no") ==
          "cannot connect to t: driver says no");
}
