#include "command/scratch_database.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <optional>
#include <regex>
#include <string_view>

#include "db/connect.hpp"
#include "db/connection.hpp"
#include "fake_connection.hpp"
#include "util/error.hpp"

using migrator::command::scratch_database_name;
using migrator::command::ScratchDatabase;
using migrator::testing::FakeConnection;

TEST_CASE("a scratch database name is migrator_test_ and 12 random hex digits", "[scratch_database]") {
    const auto name = scratch_database_name();
    CHECK(std::regex_match(name, std::regex("migrator_test_[0-9a-f]{12}")));
    CHECK(scratch_database_name() != name);
}

TEST_CASE("a SQLite scratch file lives in a private directory that is removed afterwards",
          "[scratch_database]") {
    std::filesystem::path directory;
    {
        const auto scratch = ScratchDatabase::sqlite_file(
            [](const migrator::config::DatabaseUrl& url) { return migrator::db::connect(url); });
        scratch->connection().execute("CREATE TABLE t (id INTEGER)");
        CHECK(scratch->description() == "a SQLite temporary file");
        CHECK(scratch->name().empty());
        // The connection's file is the only thing in the directory.
        const auto rows =
            scratch->connection().query_rows("SELECT file FROM pragma_database_list WHERE name = 'main'");
        REQUIRE(rows.size() == 1);
        directory = std::filesystem::path(*rows.front().front()).parent_path();
        CHECK(std::filesystem::exists(directory / "scratch.db"));
        CHECK((std::filesystem::status(directory).permissions() & std::filesystem::perms::others_all) ==
              std::filesystem::perms::none);
    }
    CHECK_FALSE(std::filesystem::exists(directory));
}

// Connections that record what runs on the first one (the server's), which the scratch object owns.
struct Server {
    std::vector<std::string> opened;  // the database each connection opened
    std::vector<std::string> statements;
    std::optional<std::string> fail_on;

    std::unique_ptr<migrator::db::Connection> connect(const migrator::config::DatabaseUrl& to) {
        auto connection = std::make_unique<FakeConnection>();
        if (opened.empty()) {
            connection->before_execute = [this](std::string_view sql) {
                statements.emplace_back(sql);
                if (fail_on && sql.find(*fail_on) != std::string_view::npos)
                    throw migrator::db::DatabaseError("permission denied");
            };
        }
        opened.push_back(to.database);
        return connection;
    }
};

TEST_CASE("a server scratch database is created and dropped through the first connection",
          "[scratch_database]") {
    const auto url =
        migrator::config::parse_database_url("postgresql://app:secret@db.example/app").value_or_throw();
    Server server;
    std::string name;
    {
        const auto scratch =
            ScratchDatabase::on_server(url, [&](const auto& to) { return server.connect(to); });
        name = scratch->name();
        CHECK(scratch->description() == "PostgreSQL database " + name);
    }
    CHECK(server.opened == std::vector<std::string>{"app", name});
    CHECK(server.statements == std::vector<std::string>{"CREATE DATABASE \"" + name + "\"",
                                                        "DROP DATABASE \"" + name + "\" WITH (FORCE)"});
}

TEST_CASE("a failed drop is a warning, and a SQLite URL is refused for a server", "[scratch_database]") {
    const auto url = migrator::config::parse_database_url("mysql://app@db.example/app").value_or_throw();
    Server server;
    server.fail_on = "DROP";
    CHECK_NOTHROW(ScratchDatabase::on_server(url, [&](const auto& to) { return server.connect(to); }));
    REQUIRE(server.statements.size() == 2);
    CHECK(server.statements.back().rfind("DROP DATABASE `migrator_test_", 0) == 0);

    const auto sqlite = migrator::config::parse_database_url("sqlite:///x.db").value_or_throw();
    CHECK_THROWS_AS(ScratchDatabase::on_server(sqlite, [&](const auto& to) { return server.connect(to); }),
                    migrator::Error);
}
