#include "migrator/runtime/lock.hpp"

#include <unistd.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>

#include "migrator/db/connect.hpp"
#include "migrator/db/locks.hpp"
#include "migrator/db/placeholders.hpp"
#include "migrator/util/error.hpp"

using migrator::Error;
using migrator::runtime::acquire_migration_lock;
using namespace std::chrono_literals;

namespace {

// Answers every query with `answer(sql)` and records what ran; locks as the server connections do.
class ScriptedConnection final : public migrator::db::Connection {
public:
    explicit ScriptedConnection(migrator::config::DatabaseUrl url) : url_(std::move(url)) {}

    std::function<std::optional<std::string>(const std::string&)> answer = [](const std::string&) {
        return std::optional<std::string>("1");
    };
    std::vector<std::string> statements;

    void execute(std::string_view sql) override { statements.emplace_back(sql); }
    std::vector<std::optional<std::string>> query_column(std::string_view sql) override {
        statements.emplace_back(sql);
        return {answer(std::string(sql))};
    }
    // Recorded with the values shown as literals, and the SQL as sent in `bound`.
    std::vector<std::string> bound;
    std::vector<std::vector<std::optional<std::string>>> query_bound(std::string_view sql,
                                                                     const Parameters& params) override {
        bound.emplace_back(sql);
        const auto shown = migrator::db::substitute_placeholders(
            sql, params.size(), [&](std::size_t n) { return "'" + params[n].value_or("NULL") + "'"; });
        return {query_column(shown)};
    }
    std::vector<std::vector<std::optional<std::string>>> query_rows(std::string_view sql) override {
        return {query_column(sql)};
    }
    std::unique_ptr<migrator::db::Lock> lock(std::string_view name, std::chrono::seconds timeout) override {
        if (url_.dialect == migrator::dialect::DialectKind::Postgresql)
            return migrator::db::postgresql_advisory_lock(*this, name, timeout);
        return migrator::db::mysql_user_lock(*this, url_.database, name, timeout);
    }

private:
    migrator::config::DatabaseUrl url_;
};

migrator::config::DatabaseUrl url_of(migrator::dialect::DialectKind kind, const std::string& database) {
    migrator::config::DatabaseUrl url;
    url.dialect = kind;
    url.database = database;
    return url;
}

bool ran(const ScriptedConnection& connection, const std::string& fragment) {
    for (const auto& statement : connection.statements) {
        if (statement.find(fragment) != std::string::npos) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("a SQLite file lock excludes a second holder until it is released", "[lock]") {
    const auto path =
        std::filesystem::temp_directory_path() / ("migrator-lock-test-" + std::to_string(getpid()) + ".db");
    std::ofstream(path).put('\0');
    const auto url = url_of(migrator::dialect::DialectKind::Sqlite, path.string());
    {
        auto connection = migrator::db::connect(url);
        auto other = migrator::db::connect(url);
        const auto first = acquire_migration_lock(*connection, "migrator_version", 5s);
        CHECK_THROWS_WITH(acquire_migration_lock(*other, "migrator_version", 0s),
                          "the database is locked by another migrator (waited 0 s)");
    }
    auto connection = migrator::db::connect(url);
    CHECK(acquire_migration_lock(*connection, "migrator_version", 0s) != nullptr);
    std::filesystem::remove(path);
}

TEST_CASE("an in-memory SQLite database needs no lock", "[lock]") {
    auto connection = migrator::db::connect(url_of(migrator::dialect::DialectKind::Sqlite, ":memory:"));
    const auto first = acquire_migration_lock(*connection, "migrator_version", 0s);
    CHECK(acquire_migration_lock(*connection, "migrator_version", 0s) != nullptr);
}

TEST_CASE("PostgreSQL takes an advisory lock with lock_timeout and releases it", "[lock]") {
    const auto url = url_of(migrator::dialect::DialectKind::Postgresql, "app");
    ScriptedConnection connection(url);
    connection.answer = [](const std::string& sql) {
        return sql.find("current_setting") != std::string::npos ? std::optional<std::string>("0")
                                                                : std::optional<std::string>("1");
    };
    const auto key = std::to_string(migrator::db::lock_key("migrator_version"));
    {
        const auto lock = acquire_migration_lock(connection, "migrator_version", 7s);
        CHECK(ran(connection, "set_config('lock_timeout', '7000', false)"));
        CHECK(ran(connection, "pg_advisory_lock(" + key + ")"));
        CHECK_FALSE(ran(connection, "pg_advisory_unlock"));
    }
    CHECK(ran(connection, "pg_advisory_unlock(" + key + ")"));
    CHECK(connection.bound.back() == "SELECT set_config('lock_timeout', ?, false)");
}

TEST_CASE("a PostgreSQL lock timeout becomes the locked error", "[lock]") {
    ScriptedConnection connection(url_of(migrator::dialect::DialectKind::Postgresql, "app"));
    connection.answer = [](const std::string& sql) -> std::optional<std::string> {
        if (sql.find("pg_advisory_lock") != std::string::npos) {
            throw migrator::db::LockNotAvailable("ERROR: canceling statement due to lock timeout");
        }
        return "0";
    };
    CHECK_THROWS_WITH(acquire_migration_lock(connection, "migrator_version", 3s),
                      "the database is locked by another migrator (waited 3 s)");
    CHECK(connection.statements.back() == "SELECT set_config('lock_timeout', '0', false)");
}

TEST_CASE("MySQL uses GET_LOCK with the timeout and maps 0 to the locked error", "[lock]") {
    ScriptedConnection connection(url_of(migrator::dialect::DialectKind::Mysql, "app"));
    const auto name = migrator::db::mysql_lock_name("`app`.migrator_version");
    {
        const auto lock = acquire_migration_lock(connection, "migrator_version", 4s);
        CHECK(connection.statements == std::vector<std::string>{"SELECT GET_LOCK('" + name + "', 4)"});
    }
    CHECK(connection.statements.back() == "SELECT RELEASE_LOCK('" + name + "')");
    CHECK(connection.bound == std::vector<std::string>{"SELECT GET_LOCK(?, 4)", "SELECT RELEASE_LOCK(?)"});

    connection.answer = [](const std::string&) { return std::optional<std::string>("0"); };
    CHECK_THROWS_WITH(acquire_migration_lock(connection, "migrator_version", 4s),
                      "the database is locked by another migrator (waited 4 s)");
}

TEST_CASE("MySQL's server-wide lock names differ per database unless the version table is qualified",
          "[lock]") {
    const auto lock_name_for = [](const std::string& database, const std::string& table) {
        ScriptedConnection connection(url_of(migrator::dialect::DialectKind::Mysql, database));
        const auto lock = acquire_migration_lock(connection, table, 4s);
        return connection.statements.front();
    };
    CHECK(lock_name_for("app", "`migrator_version`") != lock_name_for("other", "`migrator_version`"));
    CHECK(lock_name_for("app", "`shared`.`migrator_version`") ==
          lock_name_for("other", "`shared`.`migrator_version`"));
}
