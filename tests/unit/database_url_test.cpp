#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <string>

#include "config/database_url.hpp"

using migrator::config::DatabaseUrl;
using migrator::config::parse_database_url;
using migrator::dialect::DialectKind;

namespace {

struct GoodUrl {
    std::string text;
    DialectKind dialect;
    std::string scheme;
    std::string driver;
    std::string user;
    std::string password;
    std::string host;
    std::optional<int> port;
    std::string database;
    std::map<std::string, std::string> query;
};

// Every bad URL carries this password somewhere so that the test can prove it never leaks.
constexpr const char* secret = "S3cr3tPw";

struct BadUrl {
    std::string text;
    std::string expected;  // a piece of the message that names what is wrong
};

}  // namespace

TEST_CASE("parse_database_url accepts every documented form", "[config]") {
    const auto pg = DialectKind::Postgresql;
    const auto my = DialectKind::Mysql;
    const auto lite = DialectKind::Sqlite;
    const std::vector<GoodUrl> table{
        {"sqlite:///app.db", lite, "sqlite", "", "", "", "", std::nullopt, "app.db", {}},
        {"sqlite:///relative/path.db", lite, "sqlite", "", "", "", "", std::nullopt, "relative/path.db", {}},
        {"sqlite:////absolute/path.db",
         lite,
         "sqlite",
         "",
         "",
         "",
         "",
         std::nullopt,
         "/absolute/path.db",
         {}},
        {"sqlite://", lite, "sqlite", "", "", "", "", std::nullopt, ":memory:", {}},
        {"sqlite:///:memory:", lite, "sqlite", "", "", "", "", std::nullopt, ":memory:", {}},
        {"sqlite:///", lite, "sqlite", "", "", "", "", std::nullopt, ":memory:", {}},
        {"SQLite:///x.db", lite, "sqlite", "", "", "", "", std::nullopt, "x.db", {}},
        {"sqlite+pysqlite:///x.db", lite, "sqlite", "pysqlite", "", "", "", std::nullopt, "x.db", {}},
        {"sqlite:///my%20db.db", lite, "sqlite", "", "", "", "", std::nullopt, "my db.db", {}},
        {"sqlite:///app.db?mode=ro",
         lite,
         "sqlite",
         "",
         "",
         "",
         "",
         std::nullopt,
         "app.db",
         {{"mode", "ro"}}},
        {"postgresql://user:pass@host:5432/db?sslmode=require&connect_timeout=5",
         pg,
         "postgresql",
         "",
         "user",
         "pass",
         "host",
         5432,
         "db",
         {{"sslmode", "require"}, {"connect_timeout", "5"}}},
        {"postgres://u@h/db", pg, "postgres", "", "u", "", "h", std::nullopt, "db", {}},
        {"postgresql+psycopg2://u:p@h/db",
         pg,
         "postgresql",
         "psycopg2",
         "u",
         "p",
         "h",
         std::nullopt,
         "db",
         {}},
        {"postgresql:///db?host=/var/run/postgresql",
         pg,
         "postgresql",
         "",
         "",
         "",
         "",
         std::nullopt,
         "db",
         {{"host", "/var/run/postgresql"}}},
        {"postgresql:///db?host=%2Fvar%2Frun",
         pg,
         "postgresql",
         "",
         "",
         "",
         "",
         std::nullopt,
         "db",
         {{"host", "/var/run"}}},
        {"postgresql://u:p@[::1]:5433/db", pg, "postgresql", "", "u", "p", "::1", 5433, "db", {}},
        {"postgresql://[::1]/db", pg, "postgresql", "", "", "", "::1", std::nullopt, "db", {}},
        {"postgresql://u:p%40ss%3A%2F@h/db",
         pg,
         "postgresql",
         "",
         "u",
         "p@ss:/",
         "h",
         std::nullopt,
         "db",
         {}},
        {"postgresql://u:p@ss@h/db", pg, "postgresql", "", "u", "p@ss", "h", std::nullopt, "db", {}},
        {"postgresql://u:a:b@h/db", pg, "postgresql", "", "u", "a:b", "h", std::nullopt, "db", {}},
        {"postgresql://us%20er:pw@h/my%2Fdb",
         pg,
         "postgresql",
         "",
         "us er",
         "pw",
         "h",
         std::nullopt,
         "my/db",
         {}},
        {"postgresql://h/db?application_name=my+app&options=-c%20x%3D1",
         pg,
         "postgresql",
         "",
         "",
         "",
         "h",
         std::nullopt,
         "db",
         {{"application_name", "my app"}, {"options", "-c x=1"}}},
        {"postgresql://u:@h/db", pg, "postgresql", "", "u", "", "h", std::nullopt, "db", {}},
        {"postgresql://%2Fvar%2Frun/db", pg, "postgresql", "", "", "", "/var/run", std::nullopt, "db", {}},
        {"postgresql://h:65535/db?", pg, "postgresql", "", "", "", "h", 65535, "db", {}},
        {"  postgresql://h/db \n", pg, "postgresql", "", "", "", "h", std::nullopt, "db", {}},
        {"mysql://user:pass@host:3306/db", my, "mysql", "", "user", "pass", "host", 3306, "db", {}},
        {"mariadb://u:p@h/db", my, "mariadb", "", "u", "p", "h", std::nullopt, "db", {}},
        {"mysql+pymysql://u:p@h/db?charset=utf8mb4",
         my,
         "mysql",
         "pymysql",
         "u",
         "p",
         "h",
         std::nullopt,
         "db",
         {{"charset", "utf8mb4"}}},
        {"mysql://u@localhost/db?unix_socket=/tmp/mysql.sock",
         my,
         "mysql",
         "",
         "u",
         "",
         "localhost",
         std::nullopt,
         "db",
         {{"unix_socket", "/tmp/mysql.sock"}}},
    };
    for (const auto& row : table) {
        INFO(row.text);
        const auto url = parse_database_url(row.text);
        REQUIRE(url.has_value());
        CHECK(url->dialect == row.dialect);
        CHECK(url->scheme == row.scheme);
        CHECK(url->driver == row.driver);
        CHECK(url->user == row.user);
        CHECK(url->password == row.password);
        CHECK(url->host == row.host);
        CHECK(url->port == row.port);
        CHECK(url->database == row.database);
        CHECK(url->query == row.query);
    }
}

TEST_CASE("parse_database_url names the broken part and never the password", "[config]") {
    const std::vector<BadUrl> table{
        {"", "empty"},
        {"mssql://u:S3cr3tPw@h/db",
         "unsupported scheme 'mssql' (supported: sqlite, postgresql, postgres, mysql, "
         "mariadb)"},
        {"u:S3cr3tPw@h/db", "missing '://'"},
        {"postgresql:/u:S3cr3tPw@h/db", "missing '://'"},
        {"://u:S3cr3tPw@h/db", "missing scheme"},
        {"post gres://u:S3cr3tPw@h/db", "malformed scheme"},
        {"u:S3cr3tPw@h://x", "malformed scheme"},
        {"postgresql+://u:S3cr3tPw@h/db", "empty driver"},
        {"postgresql://u:S3cr3tPw@h:abc/db", "bad port: not a number"},
        {"postgresql://u:S3cr3tPw@h:-1/db", "bad port: not a number"},
        {"postgresql://u:S3cr3tPw@h:70000/db", "bad port: out of range"},
        {"postgresql://u:S3cr3tPw@h:0/db", "bad port: out of range"},
        {"postgresql://u:S3cr3tPw@h:99999999999999/db", "bad port: out of range"},
        {"postgresql://u:S3cr3tPw@h:/db", "empty port"},
        {"postgresql://u:S3cr3tPw@::1:5432/db", "IPv6 host addresses must be written in brackets"},
        {"postgresql://u:S3cr3tPw@:5432/db", "port is given but the host is empty"},
        {"mysql://u:S3cr3tPw@[::1:3306/db", "unterminated '['"},
        {"mysql://u:S3cr3tPw@[::1]x/db", "unexpected text after ']'"},
        {"mysql://u:S3cr3tPw@[]/db", "empty IPv6 address"},
        {"postgresql://u:S3cr3tPw@h:5432", "missing database name for postgresql"},
        {"postgresql://u:S3cr3tPw@h/", "missing database name for postgresql"},
        {"postgres://u:S3cr3tPw@h/?sslmode=require", "missing database name for postgres"},
        {"mysql://u:S3cr3tPw@h", "missing database name for mysql"},
        {"mariadb://u:S3cr3tPw@h", "missing database name for mariadb"},
        {"postgresql://u:S3cr3tPw%zz@h/db", "bad percent-escape in the password"},
        {"postgresql://u:S3cr3tPw%4@h/db", "bad percent-escape in the password"},
        {"postgresql://u:S3cr3tPw%00@h/db", "%00 is not allowed"},
        {"postgresql://u%4:S3cr3tPw@h/db", "bad percent-escape in the user name"},
        {"postgresql://u:S3cr3tPw@h%g/db", "bad percent-escape in the host"},
        {"postgresql://u:S3cr3tPw@h/d%g1", "bad percent-escape in the database"},
        {"postgresql://u:S3cr3tPw@h/db?sslmode=%", "bad percent-escape in the query"},
        {"postgresql://u:S3cr3tPw@h/db?sslmode", "query parameter without '='"},
        {"postgresql://u:S3cr3tPw@h/db?=x", "query parameter with an empty name"},
        {"sqlite://u:S3cr3tPw@host/app.db", "sqlite URLs take no host or user"},
        {"sqlite:///app%S3cr3tPw.db", "bad percent-escape in the database"},
        // Unencoded '/' and '?' cut the password short; the message must still hide it.
        {"postgresql://u:S3/cr3tPw@h/db", "percent-encode"},
        {"postgresql://u:S3cr3t?Pw@h/db", "percent-encode"},
        {"mysql://u:S3cr3tPw/x@h:3306/db", "percent-encode"},
    };
    for (const auto& row : table) {
        INFO(row.text);
        const auto url = parse_database_url(row.text);
        REQUIRE_FALSE(url.has_value());
        const auto& message = url.error().message;
        CHECK_THAT(message, Catch::Contains(row.expected));
        CHECK_THAT(message, Catch::StartsWith("invalid database URL: "));
        CHECK_THAT(message, !Catch::Contains(secret));
        CHECK_THAT(message, !Catch::Contains("cr3t"));  // no fragment of it either
        CHECK(message.find('\n') == std::string::npos);
    }
}

TEST_CASE("DatabaseUrl::redacted hides the password and keeps the rest", "[config]") {
    const auto render = [](const std::string& text) { return parse_database_url(text).value().redacted(); };
    CHECK(render("postgresql://user:S3cr3tPw@host:5432/db?sslmode=require") ==
          "postgresql://user:***@host:5432/db?sslmode=require");
    CHECK(render("postgresql://user@host/db") == "postgresql://user@host/db");
    CHECK(render("postgresql://host/db") == "postgresql://host/db");
    CHECK(render("postgresql+psycopg2://u:p@h/db") == "postgresql+psycopg2://u:***@h/db");
    CHECK(render("postgresql://u:p@[::1]:5433/db") == "postgresql://u:***@[::1]:5433/db");
    CHECK(render("postgresql:///db?host=/var/run/postgresql") == "postgresql:///db?host=/var/run/postgresql");
    CHECK(render("mysql://us%40er:p@h/my%20db") == "mysql://us%40er:***@h/my%20db");
    CHECK(render("mariadb://u:p@h:3306/db") == "mariadb://u:***@h:3306/db");
    CHECK(render("sqlite:///app.db") == "sqlite:///app.db");
    CHECK(render("sqlite:////var/lib/app.db") == "sqlite:////var/lib/app.db");
    CHECK(render("sqlite://") == "sqlite:///:memory:");
    // libpq also takes the password as a query parameter.
    const auto with_query_password = render("postgresql://h/db?password=S3cr3tPw&sslpassword=S3cr3tPw&a=b");
    CHECK(with_query_password == "postgresql://h/db?a=b&password=***&sslpassword=***");
}

TEST_CASE("a redacted URL parses back to the same parts", "[config]") {
    const std::vector<std::string> urls{
        "postgresql://us%40er:p%40ss@h:1/my%2Fdb?application_name=my+app&x=%26",
        "mysql+pymysql://u@[fe80::1]:3306/db?charset=utf8mb4",
        "sqlite:////abs/my%20app.db?mode=ro",
        "sqlite:///:memory:",
    };
    for (const auto& text : urls) {
        INFO(text);
        const auto original = parse_database_url(text).value();
        const auto again = parse_database_url(original.redacted());
        REQUIRE(again.has_value());
        CHECK(again->dialect == original.dialect);
        CHECK(again->scheme == original.scheme);
        CHECK(again->driver == original.driver);
        CHECK(again->user == original.user);
        CHECK(again->password == (original.password.empty() ? "" : "***"));
        CHECK(again->host == original.host);
        CHECK(again->port == original.port);
        CHECK(again->database == original.database);
        CHECK(again->query == original.query);
    }
}

TEST_CASE("parse_database_url refuses a raw NUL byte", "[config]") {
    using namespace std::string_literals;
    for (const auto& text : {"sqlite:///app\0x.db"s, "postgresql://u:p\0w@h/db"s, "mysql://u@h/db?x=\0"s}) {
        const auto url = parse_database_url(text);
        REQUIRE_FALSE(url.has_value());
        CHECK(url.error().message == "invalid database URL: the URL contains a NUL byte");
    }
}
