#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <random>
#include <sstream>

#include "config/database_url.hpp"
#include "db/connect.hpp"
#include "db/offline_connection.hpp"
#include "dialect/dialect.hpp"
#include "fake_connection.hpp"
#include "runtime/migration_context.hpp"
#include "script/revision_map.hpp"
#include "temp_dir.hpp"
#include "util/error.hpp"
#include "util/interruption.hpp"

namespace fs = std::filesystem;
using migrator::dialect::dialect_for;
using migrator::dialect::DialectKind;
using migrator::runtime::Direction;
using migrator::runtime::MigrationContext;
using migrator::runtime::MigrationOptions;
using migrator::runtime::MigrationStep;
using migrator::runtime::Mode;
using migrator::runtime::Plan;
using migrator::runtime::TransactionScope;
using migrator::runtime::VersionChangeKind;
using migrator::script::RevisionMap;
using migrator::script::Script;
using migrator::script::TransactionMode;
using migrator::testing::FakeConnection;
using Log = std::vector<std::string>;
using Column = std::vector<std::optional<std::string>>;

using test::TempDir;

namespace {

const std::string rev_a = "9b1c2d3e4f5a";
const std::string rev_b = "3f2a9c1b7d4e";
const std::string rev_c = "c0ffee000001";
const std::string create_version_table =
    "CREATE TABLE \"migrator_version\" (version_num VARCHAR(32) NOT NULL, CONSTRAINT "
    "\"migrator_version_pkc\" "
    "PRIMARY KEY (version_num))";
const std::string exists_query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?";

Script make_script(const std::string& revision, std::vector<std::string> down, const std::string& message,
                   const std::string& upgrade_sql, const std::string& downgrade_sql = "") {
    Script script;
    script.revision = revision;
    script.down_revisions = std::move(down);
    script.message = message;
    script.upgrade = {upgrade_sql, 0, TransactionMode::Transactional};
    script.downgrade = {downgrade_sql, 0, TransactionMode::Transactional};
    return script;
}

// The file of a script: the upgrade marker is on line 4, so its first statement is on line 5.
std::string script_text(const Script& script) {
    const auto marker = [](const std::string& name, const migrator::script::Section& section) {
        return "-- migrate:" + name +
               (section.transaction == TransactionMode::NonTransactional ? " transaction=false\n" : "\n");
    };
    std::string down;
    for (const auto& parent : script.down_revisions) down += (down.empty() ? "" : ", ") + parent;
    return "-- revision: " + script.revision + "\n-- down_revision: " + down +
           "\n-- message: " + script.message + "\n" + marker("upgrade", script.upgrade) + script.upgrade.sql +
           "\n" + marker("downgrade", script.downgrade) + script.downgrade.sql + "\n";
}

// Scripts as the runtime finds them: files it reads each section from, and the map of their headers
// that plan steps point into. Scripts are edited first, then written, then stepped through.
class ScriptDir {
public:
    void write(const std::vector<Script>& scripts) {
        std::vector<Script> headers;
        for (Script script : scripts) {
            const std::string name = "000x_" + script.revision + ".sql";
            dir_.write(name, script_text(script));
            script.path = (dir_.path() / name).string();
            headers.push_back(std::move(script));
        }
        map_ = std::make_unique<RevisionMap>(RevisionMap::build(headers));
    }

    [[nodiscard]] MigrationStep step(const std::string& revision, Direction direction,
                                     migrator::runtime::VersionChange change) const {
        const auto* found = map_->find(revision);
        REQUIRE(found != nullptr);
        return MigrationStep{found, direction, {change}};
    }

    [[nodiscard]] MigrationStep upgrade(const std::string& revision, VersionChangeKind kind,
                                        const std::string& from) const {
        return step(revision, Direction::Upgrade, {kind, from, revision});
    }

    [[nodiscard]] const fs::path& path() const { return dir_.path(); }

private:
    TempDir dir_;
    std::unique_ptr<RevisionMap> map_;
};

struct TwoScripts {
    Script a =
        make_script(rev_a, {}, "create users",
                    "CREATE TABLE users (id INTEGER);\nCREATE INDEX ix ON users (id);", "DROP TABLE users;");
    Script b = make_script(rev_b, {rev_a}, "add email", "ALTER TABLE users ADD email TEXT;",
                           "ALTER TABLE users DROP COLUMN email;");
    ScriptDir files;

    // Writes a and b (and `more`) as they are now; the plan upgrades to a, then b.
    Plan plan(const std::vector<Script>& more = {}) {
        std::vector<Script> all = {a, b};
        all.insert(all.end(), more.begin(), more.end());
        files.write(all);
        Plan p;
        p.steps = {files.upgrade(rev_a, VersionChangeKind::Insert, ""),
                   files.upgrade(rev_b, VersionChangeKind::Update, rev_a)};
        p.heads_after = {rev_b};
        return p;
    }
};

MigrationOptions options(TransactionScope scope, Mode mode = Mode::Online) {
    MigrationOptions result;
    result.transaction_scope = scope;
    result.mode = mode;
    return result;
}

// The flow without the history table's statements, which their own test case checks.
// The log without the history table's statements, and without queries bound to its name.
Log without_history(const FakeConnection& connection) {
    Log out;
    for (std::size_t i = 0; i < connection.log.size(); ++i) {
        const auto& entry = connection.log[i];
        const auto params = connection.params_of_entry.find(i);
        const bool names_history =
            params != connection.params_of_entry.end() &&
            std::find(params->second.begin(), params->second.end(),
                      std::optional<std::string>("migrator_history")) != params->second.end();
        if (entry.find("migrator_history") == std::string::npos && !names_history) out.push_back(entry);
    }
    return out;
}

// The same for a printed script: statements end with ";\n".
std::string without_history(const std::string& text) {
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find(";\n", start);
        end = end == std::string::npos ? text.size() : end + 2;
        const auto statement = text.substr(start, end - start);
        if (statement.find("migrator_history") == std::string::npos) out += statement;
        start = end;
    }
    return out;
}

const std::string insert_a = "INSERT INTO \"migrator_version\" (version_num) VALUES ('" + rev_a + "')";
const std::string update_a_b =
    "UPDATE \"migrator_version\" SET version_num='" + rev_b + "' WHERE version_num = '" + rev_a + "'";

}  // namespace

TEST_CASE("per-migration transactions: one BEGIN/COMMIT per step, version table in the first", "[runtime]") {
    TwoScripts scripts;
    FakeConnection connection;
    MigrationContext context(connection, dialect_for(DialectKind::Sqlite),
                             options(TransactionScope::PerMigration));
    std::vector<std::string> completed;
    const auto count = context.run(scripts.plan(), [&](const MigrationStep& step, std::chrono::nanoseconds) {
        completed.emplace_back(step.revision->id());
    });
    CHECK(count == 2);
    CHECK(completed == Log{rev_a, rev_b});
    CHECK(without_history(connection) == Log{
                                             "-- Running upgrade  -> " + rev_a + ", create users",
                                             "BEGIN IMMEDIATE",
                                             exists_query,
                                             create_version_table,
                                             "CREATE TABLE users (id INTEGER)",
                                             "CREATE INDEX ix ON users (id)",
                                             insert_a,
                                             "COMMIT",
                                             "-- Running upgrade " + rev_a + " -> " + rev_b + ", add email",
                                             "BEGIN IMMEDIATE",
                                             "ALTER TABLE users ADD email TEXT",
                                             update_a_b,
                                             "COMMIT",
                                         });
}

TEST_CASE("a version table that cannot be created is blamed on its settings, not a migration", "[runtime]") {
    TwoScripts scripts;
    FakeConnection connection;
    connection.fail_on = "CREATE TABLE \"nosuch\".\"migrator_version\"";
    connection.failure_message = "ERROR: schema \"nosuch\" does not exist";
    auto with_schema = options(TransactionScope::PerMigration);
    with_schema.version_table_schema = "nosuch";
    MigrationContext context(connection, dialect_for(DialectKind::Postgresql), with_schema);
    CHECK_THROWS_WITH(
        context.run(scripts.plan()),
        "cannot create the version table (settings: version_table_schema 'nosuch', version_table "
        "'migrator_version'): ERROR: schema \"nosuch\" does not exist");
    CHECK(connection.log.back() == "ROLLBACK");
}

TEST_CASE("whole-command transaction: one BEGIN at the start, one COMMIT at the end", "[runtime]") {
    TwoScripts scripts;
    FakeConnection connection;
    connection.answers["sqlite_master"] = {"migrator_version"};
    MigrationContext context(connection, dialect_for(DialectKind::Sqlite),
                             options(TransactionScope::WholeCommand));
    std::size_t calls = 0;
    CHECK(context.run(scripts.plan(), [&](const MigrationStep&, std::chrono::nanoseconds) { ++calls; }) == 2);
    CHECK(calls == 2);
    CHECK(without_history(connection) == Log{
                                             "BEGIN IMMEDIATE",
                                             exists_query,
                                             "-- Running upgrade  -> " + rev_a + ", create users",
                                             "CREATE TABLE users (id INTEGER)",
                                             "CREATE INDEX ix ON users (id)",
                                             insert_a,
                                             "-- Running upgrade " + rev_a + " -> " + rev_b + ", add email",
                                             "ALTER TABLE users ADD email TEXT",
                                             update_a_b,
                                             "COMMIT",
                                         });
}

TEST_CASE("a non-transactional section runs outside any transaction", "[runtime]") {
    TwoScripts scripts;
    Script c =
        make_script(rev_c, {rev_b}, "index concurrently", "CREATE INDEX CONCURRENTLY ix2 ON users (email);");
    c.upgrade.transaction = TransactionMode::NonTransactional;
    Plan plan = scripts.plan({c});
    plan.steps.push_back(scripts.files.upgrade(rev_c, VersionChangeKind::Update, rev_b));
    FakeConnection connection;
    connection.answers["sqlite_master"] = {"migrator_version"};
    MigrationContext context(connection, dialect_for(DialectKind::Postgresql),
                             options(TransactionScope::WholeCommand));
    CHECK(context.run(plan) == 3);
    const Log flow = without_history(connection);
    const Log tail(flow.end() - 8, flow.end());
    CHECK(
        tail ==
        Log{
            "ALTER TABLE users ADD email TEXT",
            "UPDATE \"migrator_version\" SET version_num='" + rev_b + "' WHERE version_num = '" + rev_a + "'",
            "COMMIT",
            "-- Running upgrade " + rev_b + " -> " + rev_c + ", index concurrently",
            "CREATE INDEX CONCURRENTLY ix2 ON users (email)",
            "BEGIN",
            "UPDATE \"migrator_version\" SET version_num='" + rev_c + "' WHERE version_num = '" + rev_b + "'",
            "COMMIT",
        });
}

TEST_CASE("whole-command scope reopens its transaction after a non-transactional step", "[runtime]") {
    TwoScripts scripts;
    Script c = make_script(rev_c, {rev_a}, "vacuum", "VACUUM;");
    c.upgrade.transaction = TransactionMode::NonTransactional;
    scripts.b.down_revisions = {rev_c};
    scripts.files.write({scripts.a, scripts.b, c});
    Plan plan;
    plan.steps = {scripts.files.upgrade(rev_a, VersionChangeKind::Insert, ""),
                  scripts.files.upgrade(rev_c, VersionChangeKind::Update, rev_a),
                  scripts.files.upgrade(rev_b, VersionChangeKind::Update, rev_c)};
    FakeConnection connection;
    connection.answers["sqlite_master"] = {"migrator_version"};
    MigrationContext context(connection, dialect_for(DialectKind::Sqlite),
                             options(TransactionScope::WholeCommand));
    context.run(plan);
    const Log flow = without_history(connection);
    const auto vacuum = std::find(flow.begin(), flow.end(), "VACUUM");
    REQUIRE(vacuum != flow.end());
    CHECK(*(vacuum - 2) == "COMMIT");
    CHECK(
        Log(vacuum + 1, flow.end()) ==
        Log{"BEGIN IMMEDIATE",
            "UPDATE \"migrator_version\" SET version_num='" + rev_c + "' WHERE version_num = '" + rev_a + "'",
            "COMMIT", "-- Running upgrade " + rev_c + " -> " + rev_b + ", add email", "BEGIN IMMEDIATE",
            "ALTER TABLE users ADD email TEXT",
            "UPDATE \"migrator_version\" SET version_num='" + rev_b + "' WHERE version_num = '" + rev_c + "'",
            "COMMIT"});
}

TEST_CASE("a failing statement rolls back and names file, revision, line and statement", "[runtime]") {
    TwoScripts scripts;
    FakeConnection connection;
    connection.fail_on = "ALTER TABLE";
    connection.failure_message = "duplicate column name: email";
    std::vector<std::string> completed;
    const auto record = [&](const MigrationStep& step, std::chrono::nanoseconds) {
        completed.emplace_back(step.revision->id());
    };

    SECTION("per migration: earlier migrations stay applied") {
        MigrationContext context(connection, dialect_for(DialectKind::Sqlite),
                                 options(TransactionScope::PerMigration));
        CHECK_THROWS_WITH(
            context.run(scripts.plan(), record),
            "migration 000x_" + rev_b + ".sql (" + rev_b +
                ") failed at line 5: ALTER TABLE users ADD email TEXT: duplicate column name: email; "
                "earlier migrations in this run stay applied");
        CHECK(completed == Log{rev_a});
    }
    SECTION("whole command: nothing stays") {
        MigrationContext context(connection, dialect_for(DialectKind::Sqlite),
                                 options(TransactionScope::WholeCommand));
        CHECK_THROWS_WITH(
            context.run(scripts.plan(), record),
            "migration 000x_" + rev_b + ".sql (" + rev_b +
                ") failed at line 5: ALTER TABLE users ADD email TEXT: duplicate column name: email");
        CHECK(completed.empty());
    }
    CHECK(connection.log.back() == "ROLLBACK");
    CHECK(std::count(connection.log.begin(), connection.log.end(), update_a_b) == 0);
}

TEST_CASE("the statement in a failure message is collapsed and cut at 60 characters", "[runtime]") {
    Script a = make_script(
        rev_a, {}, "long",
        "\n\nINSERT INTO a_rather_long_table_name (first_column,\n    second_column, third_column) "
        "VALUES (1, 2, 3);");
    ScriptDir files;
    files.write({a});
    Plan plan;
    plan.steps = {files.upgrade(rev_a, VersionChangeKind::Insert, "")};
    FakeConnection connection;
    connection.fail_on = "INSERT INTO a_rather";
    MigrationContext context(connection, dialect_for(DialectKind::Sqlite),
                             options(TransactionScope::PerMigration));
    CHECK_THROWS_WITH(
        context.run(plan),
        "migration 000x_" + rev_a + ".sql (" + rev_a +
            ") failed at line 7: INSERT INTO a_rather_long_table_name (first_column, second_c...: "
            "fake failure");
}

TEST_CASE("MySQL uses START TRANSACTION and warns that DDL is not rolled back", "[runtime]") {
    TwoScripts scripts;
    scripts.b.upgrade.sql = "ALTER TABLE users ADD email TEXT;\nALTER TABLE users ADD phone TEXT;";
    FakeConnection connection;
    connection.answers["information_schema"] = {"migrator_version"};
    connection.fail_on = "phone";
    MigrationContext context(connection, dialect_for(DialectKind::Mysql),
                             options(TransactionScope::PerMigration));
    CHECK_THROWS_WITH(
        context.run(scripts.plan()),
        Catch::Contains("failed at line 6") &&
            Catch::Contains("mysql cannot roll back DDL, so statements before it may stay applied") &&
            Catch::Contains("then run upgrade again"));
    CHECK(connection.log[1] == "START TRANSACTION");
    // DDL stays applied, so the failure is on record, after the rollback.
    REQUIRE(connection.log.size() >= 2);
    CHECK(connection.log[connection.log.size() - 2] == "ROLLBACK");
    CHECK(connection.log.back().starts_with("INSERT INTO `migrator_history`"));
    REQUIRE_FALSE(connection.bound_params.empty());
    const auto& row = connection.bound_params.back();
    REQUIRE(row.size() == 10);
    CHECK(row[0] == rev_b);
    CHECK(row[1] == "upgrade");
    CHECK(row[6] == "failed");
    CHECK(row[7].value_or("").find("failed at line 6") != std::string::npos);
}

TEST_CASE("each step's history row follows its version change, in its transaction", "[runtime]") {
    TwoScripts scripts;
    FakeConnection connection;
    MigrationOptions with_actor = options(TransactionScope::PerMigration);
    with_actor.actor = "ci-bot";
    MigrationContext context(connection, dialect_for(DialectKind::Sqlite), with_actor);
    CHECK(context.run(scripts.plan()) == 2);
    const auto& log = connection.log;
    const auto create = std::find_if(log.begin(), log.end(), [](const std::string& entry) {
        return entry.starts_with("CREATE TABLE IF NOT EXISTS \"migrator_history\"");
    });
    REQUIRE(create != log.end());
    CHECK(*(create - 2) == create_version_table);  // both tables in the first transaction
    const auto first = std::find(log.begin(), log.end(), insert_a);
    REQUIRE(first != log.end());
    CHECK((first + 1)->starts_with("INSERT INTO \"migrator_history\""));
    CHECK(*(first + 2) == "COMMIT");
    const auto second = std::find(log.begin(), log.end(), update_a_b);
    REQUIRE(second != log.end());
    CHECK((second + 1)->starts_with("INSERT INTO \"migrator_history\""));
    CHECK(*(second + 2) == "COMMIT");
    REQUIRE(connection.bound_params.size() == 2);
    const auto& row = connection.bound_params[0];
    REQUIRE(row.size() == 10);
    CHECK(row[0] == rev_a);
    CHECK(row[1] == "upgrade");
    CHECK(row[2].value_or("").starts_with("sha256:"));
    CHECK(row[3].value_or("").starts_with("sha256:"));
    CHECK(row[4].value_or("").ends_with("Z"));
    CHECK(row[6] == "success");
    CHECK_FALSE(row[7].has_value());
    CHECK(row[8] == "ci-bot");
}

TEST_CASE("a failed step leaves no history row where DDL rolls back", "[runtime]") {
    TwoScripts scripts;
    FakeConnection connection;
    connection.fail_on = "ALTER TABLE";
    MigrationContext context(connection, dialect_for(DialectKind::Postgresql),
                             options(TransactionScope::PerMigration));
    CHECK_THROWS(context.run(scripts.plan()));
    CHECK(connection.log.back() == "ROLLBACK");
    CHECK(connection.bound_params.size() == 1);  // the first step's row only
}

TEST_CASE("a version row that does not match fails the step and rolls back", "[runtime]") {
    TwoScripts scripts;
    FakeConnection connection;
    connection.matched_rows = 0;
    MigrationContext context(connection, dialect_for(DialectKind::Sqlite),
                             options(TransactionScope::PerMigration));
    CHECK_THROWS_WITH(
        context.run(scripts.plan()),
        Catch::StartsWith("migration 000x_" + rev_b + ".sql (" + rev_b +
                          ") failed updating the version table: online migration expected to match "
                          "one row when updating"));
    CHECK(connection.log.back() == "ROLLBACK");
}

TEST_CASE("downgrades run the downgrade section and say so", "[runtime]") {
    TwoScripts scripts;
    scripts.files.write({scripts.a, scripts.b});
    Plan plan;
    plan.heads_before = {rev_b};
    plan.steps = {scripts.files.step(rev_b, Direction::Downgrade, {VersionChangeKind::Update, rev_b, rev_a}),
                  scripts.files.step(rev_a, Direction::Downgrade, {VersionChangeKind::Delete, rev_a, ""})};
    FakeConnection connection;
    connection.answers["sqlite_master"] = {"migrator_version"};
    MigrationContext context(connection, dialect_for(DialectKind::Sqlite),
                             options(TransactionScope::WholeCommand));
    context.run(plan);
    CHECK(
        without_history(connection) ==
        Log{"BEGIN IMMEDIATE", exists_query, "-- Running downgrade " + rev_b + " -> " + rev_a + ", add email",
            "ALTER TABLE users DROP COLUMN email",
            "UPDATE \"migrator_version\" SET version_num='" + rev_a + "' WHERE version_num = '" + rev_b + "'",
            "-- Running downgrade " + rev_a + " -> , create users", "DROP TABLE users",
            "DELETE FROM \"migrator_version\" WHERE version_num = '" + rev_a + "'", "COMMIT"});
}

TEST_CASE("a stamp step only changes the version table", "[runtime]") {
    Plan plan;
    plan.steps = {MigrationStep{nullptr, Direction::Upgrade, {{VersionChangeKind::Insert, "", rev_a}}}};
    FakeConnection connection;
    connection.answers["sqlite_master"] = {"migrator_version"};
    MigrationContext context(connection, dialect_for(DialectKind::Sqlite),
                             options(TransactionScope::PerMigration));
    std::size_t calls = 0;
    CHECK(context.run(plan, [&](const MigrationStep& step, std::chrono::nanoseconds duration) {
        calls += step.revision == nullptr ? 1U : 0U;
        CHECK(duration.count() >= 0);
    }) == 1);
    CHECK(calls == 1);
    CHECK(without_history(connection) ==
          Log{"-- Running stamp_revision  -> " + rev_a, "BEGIN IMMEDIATE", exists_query, insert_a, "COMMIT"});
}

TEST_CASE("offline mode prints the same statements as a script", "[runtime]") {
    TwoScripts scripts;
    std::ostringstream out;
    migrator::db::OfflineConnection connection(out);
    MigrationContext context(connection, dialect_for(DialectKind::Sqlite),
                             options(TransactionScope::PerMigration, Mode::Offline));

    SECTION("from base, the version table is created first") {
        CHECK(context.run(scripts.plan()) == 2);
        CHECK(without_history(out.str()) == "-- Running upgrade  -> " + rev_a +
                                                ", create users\n"
                                                "BEGIN;\n" +
                                                create_version_table +
                                                ";\n"
                                                "CREATE TABLE users (id INTEGER);\n"
                                                "CREATE INDEX ix ON users (id);\n" +
                                                insert_a + ";\n" +
                                                "COMMIT;\n"
                                                "\n"
                                                "-- Running upgrade " +
                                                rev_a + " -> " + rev_b + ", add email\n" + "BEGIN;\n" +
                                                "ALTER TABLE users ADD email TEXT;\n" + update_a_b + ";\n" +
                                                "COMMIT;\n");
    }
    SECTION("from a revision, the version table is assumed") {
        Plan plan = scripts.plan();
        plan.steps.erase(plan.steps.begin());
        plan.heads_before = {rev_a};
        context.run(plan);
        CHECK(out.str().find("CREATE TABLE \"migrator_version\"") == std::string::npos);
        CHECK(out.str().find(update_a_b + ";\n") != std::string::npos);
    }
}

// ---- real SQLite ----

namespace {

std::unique_ptr<migrator::db::Connection> open_sqlite(const fs::path& file) {
    migrator::config::DatabaseUrl url;
    url.dialect = DialectKind::Sqlite;
    url.scheme = "sqlite";
    url.database = file.string();
    return migrator::db::connect(url);
}

Column tables(migrator::db::Connection& connection) {
    return connection.query_column(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> "
        "'migrator_history' ORDER BY name");
}

}  // namespace

TEST_CASE("SQLite: a two-step plan creates the tables and records the head", "[runtime]") {
    TempDir dir;
    TwoScripts scripts;
    auto connection = open_sqlite(dir.path() / "app.db");
    MigrationContext context(*connection, dialect_for(DialectKind::Sqlite),
                             options(TransactionScope::PerMigration));
    CHECK(context.run(scripts.plan()) == 2);

    auto reopened = open_sqlite(dir.path() / "app.db");
    CHECK(tables(*reopened) == Column{"migrator_version", "users"});
    CHECK(reopened->query_column("SELECT version_num FROM migrator_version") == Column{rev_b});
    CHECK_NOTHROW(reopened->query_column("SELECT email FROM users"));
}

TEST_CASE("SQLite: a failing second migration leaves the first applied", "[runtime]") {
    TempDir dir;
    TwoScripts scripts;
    scripts.b.upgrade.sql = "CREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);";
    auto connection = open_sqlite(dir.path() / "app.db");

    SECTION("per migration") {
        MigrationContext context(*connection, dialect_for(DialectKind::Sqlite),
                                 options(TransactionScope::PerMigration));
        CHECK_THROWS_WITH(
            context.run(scripts.plan()),
            Catch::Contains("(" + rev_b + ") failed at line 6: INSERT INTO no_such_table VALUES (1): ") &&
                Catch::Contains("no such table: no_such_table") &&
                Catch::EndsWith("; earlier migrations in this run stay applied"));
        CHECK(tables(*connection) == Column{"migrator_version", "users"});
        CHECK(connection->query_column("SELECT version_num FROM migrator_version") == Column{rev_a});
    }
    SECTION("whole command, on transactional DDL nothing stays") {
        MigrationContext context(*connection, dialect_for(DialectKind::Sqlite),
                                 options(TransactionScope::WholeCommand));
        CHECK_THROWS(context.run(scripts.plan()));
        CHECK(tables(*connection).empty());
    }
}

TEST_CASE("SQLite: a second script gone before its step fails that step, and the first stays applied",
          "[runtime]") {
    TempDir dir;
    TwoScripts scripts;
    const Plan plan = scripts.plan();
    const auto b_file = scripts.files.path() / ("000x_" + rev_b + ".sql");
    REQUIRE(fs::remove(b_file));
    auto connection = open_sqlite(dir.path() / "app.db");
    MigrationContext context(*connection, dialect_for(DialectKind::Sqlite),
                             options(TransactionScope::PerMigration));
    CHECK_THROWS_WITH(context.run(plan),
                      Catch::StartsWith(b_file.string() + ": cannot open") &&
                          Catch::EndsWith("; earlier migrations in this run stay applied"));
    CHECK(tables(*connection) == Column{"migrator_version", "users"});
    CHECK(connection->query_column("SELECT version_num FROM migrator_version") == Column{rev_a});
}

TEST_CASE("SQLite: a non-transactional section may run VACUUM", "[runtime]") {
    TempDir dir;
    TwoScripts scripts;
    Script c = make_script(rev_c, {rev_b}, "vacuum", "VACUUM;");
    Plan plan = scripts.plan({c});
    plan.steps.push_back(scripts.files.upgrade(rev_c, VersionChangeKind::Update, rev_b));
    auto connection = open_sqlite(dir.path() / "app.db");
    MigrationContext context(*connection, dialect_for(DialectKind::Sqlite),
                             options(TransactionScope::WholeCommand));

    // Inside a transaction SQLite refuses VACUUM, which proves the section really ran outside one.
    CHECK_THROWS_WITH(context.run(plan), Catch::Contains("VACUUM"));
    c.upgrade.transaction = TransactionMode::NonTransactional;
    plan = scripts.plan({c});
    plan.steps.push_back(scripts.files.upgrade(rev_c, VersionChangeKind::Update, rev_b));
    auto fresh = open_sqlite(dir.path() / "fresh.db");
    MigrationContext fresh_context(*fresh, dialect_for(DialectKind::Sqlite),
                                   options(TransactionScope::WholeCommand));
    CHECK(fresh_context.run(plan) == 3);
    CHECK(fresh->query_column("SELECT version_num FROM migrator_version") == Column{rev_c});
}

TEST_CASE("each migration reads its SQL from its file when it runs, with the file's line numbers",
          "[runtime]") {
    const TempDir dir;
    const auto file = dir.path() / ("0001_" + rev_a + ".sql");
    dir.write(file.filename(),
              "-- revision: " + rev_a +
                  "\n-- message: create users\n\n-- migrate:upgrade\n"
                  "CREATE TABLE users (id INTEGER);\n\nCREATE INDEX broken ON users (nope);\n"
                  "-- migrate:downgrade\nDROP TABLE users;\n");
    Script header;
    header.revision = rev_a;
    header.message = "create users";
    header.path = file.string();
    const auto map = RevisionMap::build({header});
    Plan plan;
    plan.steps = {
        MigrationStep{map.find(rev_a), Direction::Upgrade, {{VersionChangeKind::Insert, "", rev_a}}}};
    FakeConnection connection;
    connection.fail_on = "broken";
    MigrationContext context(connection, dialect_for(DialectKind::Sqlite),
                             options(TransactionScope::PerMigration));
    CHECK_THROWS_WITH(context.run(plan), "migration 0001_" + rev_a + ".sql (" + rev_a +
                                             ") failed at line 7: CREATE INDEX broken ON users (nope): "
                                             "fake failure");
    CHECK(std::find(connection.log.begin(), connection.log.end(), "CREATE TABLE users (id INTEGER)") !=
          connection.log.end());

    std::filesystem::remove(file);
    FakeConnection second;
    MigrationContext again(second, dialect_for(DialectKind::Sqlite), options(TransactionScope::PerMigration));
    CHECK_THROWS_WITH(again.run(plan), Catch::StartsWith(file.string() + ": cannot open"));
}

TEST_CASE("an interruption during a statement rolls the step back and names the version table's heads",
          "[runtime][interruption]") {
    TwoScripts scripts;
    FakeConnection connection;
    connection.answers["sqlite_master"] = {"migrator_version"};
    connection.answers["SELECT version_num"] = {rev_a};
    migrator::util::Interruption interruption;
    // The signal comes while b's statement runs; the database then fails it, as sqlite3_interrupt does.
    connection.before_execute = [&](std::string_view sql) {
        if (sql.find("ADD email") == std::string_view::npos) return;
        interruption.request(SIGINT);
        throw migrator::db::DatabaseError("interrupted");
    };
    auto run_options = options(TransactionScope::PerMigration);
    run_options.interruption = &interruption;
    std::vector<std::string> completed;
    MigrationContext context(connection, dialect_for(DialectKind::Sqlite), run_options);
    try {
        context.run(scripts.plan(), [&](const MigrationStep& step, std::chrono::nanoseconds) {
            completed.emplace_back(step.revision->id());
        });
        FAIL("the run was not interrupted");
    } catch (const migrator::util::Interrupted& interrupted) {
        CHECK(std::string(interrupted.what()) == "interrupted: the database is at " + rev_a);
        CHECK(interrupted.exit_code() == 130);
    }
    CHECK(connection.interrupts == 1);
    CHECK(completed == Log{rev_a});
    const auto rollback = std::find(connection.log.begin(), connection.log.end(), "ROLLBACK");
    REQUIRE(rollback != connection.log.end());
    CHECK(std::count(connection.log.begin(), connection.log.end(), update_a_b) == 0);
    // After the rollback only the version table is read.
    CHECK(std::all_of(rollback + 1, connection.log.end(),
                      [](const std::string& sql) { return sql.rfind("SELECT", 0) == 0; }));
}

TEST_CASE("an interruption between steps stops before the next one", "[runtime][interruption]") {
    TwoScripts scripts;
    FakeConnection connection;
    connection.answers["sqlite_master"] = {"migrator_version"};
    connection.answers["SELECT version_num"] = {rev_a};
    migrator::util::Interruption interruption;
    auto run_options = options(TransactionScope::PerMigration);
    run_options.interruption = &interruption;
    MigrationContext context(connection, dialect_for(DialectKind::Sqlite), run_options);
    CHECK_THROWS_MATCHES(
        context.run(scripts.plan(),
                    [&](const MigrationStep&, std::chrono::nanoseconds) { interruption.request(SIGTERM); }),
        migrator::util::Interrupted, Catch::Matchers::Message("interrupted: the database is at " + rev_a));
    CHECK(std::none_of(connection.log.begin(), connection.log.end(),
                       [](const std::string& sql) { return sql.find("ADD email") != std::string::npos; }));
}

TEST_CASE("on MySQL an interruption names the statement that may stay applied", "[runtime][interruption]") {
    TwoScripts scripts;
    scripts.b.upgrade.sql = "ALTER TABLE users ADD email TEXT;\nSELECT SLEEP(600);";
    FakeConnection connection;
    connection.answers["information_schema"] = {"migrator_version"};
    connection.answers["SELECT version_num"] = {rev_a};
    migrator::util::Interruption interruption;
    // KILL QUERY makes SLEEP return early, without an error.
    connection.before_execute = [&](std::string_view sql) {
        if (sql.find("SLEEP") != std::string_view::npos) interruption.request(SIGINT);
    };
    auto run_options = options(TransactionScope::PerMigration);
    run_options.interruption = &interruption;
    MigrationContext context(connection, dialect_for(DialectKind::Mysql), run_options);
    CHECK_THROWS_MATCHES(
        context.run(scripts.plan()), migrator::util::Interrupted,
        Catch::Matchers::Message(
            "interrupted: the database is at " + rev_a + "; migration 000x_" + rev_b + ".sql (" + rev_b +
            ") may have been left applied up to line 6 (SELECT SLEEP(600)), as DDL cannot "
            "be rolled back there: make the script safe to re-run, or undo it by hand, then "
            "run upgrade again"));
}
