#include "db/connect.hpp"

#include <catch2/catch.hpp>

#include "config/database_url.hpp"
#include "temp_dir.hpp"
#include "util/error.hpp"

using migrator::config::DatabaseUrl;
using migrator::db::connect;
using migrator::dialect::DialectKind;
using test::TempDir;

TEST_CASE("PostgreSQL: connection errors are one line and never show the password", "[runtime]") {
    TempDir dir;
    DatabaseUrl url;
    url.dialect = DialectKind::Postgresql;
    url.scheme = "postgresql";
    url.user = "app";
    url.password = "p";  // short: masking by substring would have hit every 'p' below
    url.database = "app";
    // A socket directory that does not exist fails at once, and the driver echoes it.
    const std::string socket_dir = (dir.path() / "postgres-p-sockets").string();
    url.query["host"] = socket_dir;
    url.query["connect_timeout"] = "2";
    try {
        connect(url);
        FAIL("connected to a socket that does not exist");
    } catch (const migrator::Error& error) {
        const std::string& message = error.message();
        INFO(message);
        CHECK(message.rfind("cannot connect to postgresql://app:***@/app?", 0) == 0);
        CHECK(message.find(socket_dir) != std::string::npos);  // other text is left alone
        CHECK(message.find("app:p@") == std::string::npos);
        CHECK(message.find('\n') == std::string::npos);
    }
}

TEST_CASE("connection parameters that are not options are rejected", "[runtime]") {
    DatabaseUrl url;
    url.dialect = DialectKind::Postgresql;
    url.query["bad key"] = "x";
    CHECK_THROWS_WITH(connect(url), Catch::Contains("bad key"));
    url.dialect = DialectKind::Mysql;
    url.query = {{"init_command", "DROP TABLE t"}};
    CHECK_THROWS_WITH(connect(url), Catch::Contains("init_command"));
}

TEST_CASE("MySQL: the Galera lock_lease parameter is a number of seconds, checked before connecting",
          "[runtime][galera]") {
    DatabaseUrl url;
    url.dialect = DialectKind::Mysql;
    url.host = "127.0.0.1";
    url.database = "app";
    for (const auto* bad : {"soon", "0", "86401", "", "-5"}) {
        url.query = {{"lock_lease", bad}};
        CHECK_THROWS_WITH(connect(url), "URL parameter lock_lease='" + std::string(bad) +
                                            "' must be a number of seconds from 1 to 86400");
    }
}
