#include "command/round_trip.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "config/database_url.hpp"
#include "db/connect.hpp"
#include "dialect/dialect.hpp"
#include "script/revision_map.hpp"
#include "script/script_loader.hpp"
#include "temp_dir.hpp"
#include "util/error.hpp"

using migrator::command::inverse_step;
using migrator::command::RoundTrip;
using migrator::command::RoundTripSettings;
using migrator::render::TestCheck;
using migrator::render::TestReport;
using migrator::runtime::Direction;
using migrator::runtime::MigrationStep;
using migrator::runtime::VersionChange;
using migrator::runtime::VersionChangeKind;
using migrator::script::RevisionMap;

namespace {

// Scripts on disk and the revision map over them.
class Scripts {
public:
    void add(const std::string& revision, const std::string& down, const std::string& upgrade,
             const std::string& downgrade) {
        dir_.write("versions/" + std::to_string(++count_) + "_" + revision + ".sql",
                   "-- revision: " + revision + "\n-- down_revision: " + down + "\n-- message: " + revision +
                       "\n-- migrate:upgrade\n" + upgrade + "\n-- migrate:downgrade\n" + downgrade + "\n");
    }
    const RevisionMap& map() {
        auto catalog = migrator::script::load_script_catalog({dir_.path() / "versions"},
                                                             migrator::script::disk_script_files());
        map_ = std::make_unique<RevisionMap>(RevisionMap::build(std::move(catalog).value_or_throw()));
        return *map_;
    }

private:
    test::TempDir dir_;
    int count_ = 0;
    std::unique_ptr<RevisionMap> map_;
};

RoundTripSettings settings() {
    RoundTripSettings settings;
    settings.filter.exclude = {"migrator_history"};
    settings.connect = [](const migrator::config::DatabaseUrl& url) { return migrator::db::connect(url); };
    return settings;
}

// The round trip on an in-memory SQLite database.
TestReport run(const RevisionMap& map, const std::string& range = "") {
    const auto connection =
        migrator::db::connect(migrator::config::parse_database_url("sqlite://").value_or_throw());
    TestReport report;
    RoundTrip(map, range)
        .run(*connection, migrator::dialect::dialect_for(migrator::dialect::DialectKind::Sqlite), settings(),
             report);
    return report;
}

}  // namespace

TEST_CASE("the inverse of a step downgrades its revision and reverses its version changes", "[round_trip]") {
    MigrationStep merge;
    merge.direction = Direction::Upgrade;
    merge.version_changes = {{VersionChangeKind::Delete, "a", ""}, {VersionChangeKind::Update, "b", "m"}};
    const auto back = inverse_step(merge);
    CHECK(back.direction == Direction::Downgrade);
    CHECK(back.version_changes == std::vector<VersionChange>{{VersionChangeKind::Update, "m", "b"},
                                                             {VersionChangeKind::Insert, "", "a"}});

    MigrationStep first;
    first.version_changes = {{VersionChangeKind::Insert, "", "r1"}};
    CHECK(inverse_step(first).version_changes ==
          std::vector<VersionChange>{{VersionChangeKind::Delete, "r1", ""}});
    CHECK(inverse_step(inverse_step(first)).version_changes == first.version_changes);
}

TEST_CASE("a chain whose downgrades undo their upgrades passes every round trip and the end-to-end runs",
          "[round_trip]") {
    Scripts scripts;
    scripts.add("aaaa", "", "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);", "DROP TABLE users;");
    scripts.add("bbbb", "aaaa",
                "CREATE INDEX ix_name ON users (name);\nCREATE VIEW v AS SELECT id FROM users;",
                "DROP VIEW v;\nDROP INDEX ix_name;");
    const auto report = run(scripts.map());
    INFO((report.failure ? report.failure->message : ""));
    CHECK(report.passed());
    CHECK(report.revisions == 2);
    CHECK(report.round_trips == 2);
    CHECK(report.end_to_end);
    CHECK(report.heads == std::vector<std::string>{"bbbb"});
}

TEST_CASE("a downgrade that forgets a column is reported with the operation that would restore it",
          "[round_trip]") {
    Scripts scripts;
    scripts.add("aaaa", "", "CREATE TABLE users (id INTEGER PRIMARY KEY);", "DROP TABLE users;");
    scripts.add("bbbb", "aaaa", "ALTER TABLE users ADD COLUMN email TEXT;", "SELECT 1;");
    const auto report = run(scripts.map());
    REQUIRE(report.failure);
    CHECK(report.failure->check == TestCheck::SchemaRestored);
    CHECK(report.failure->revision == "bbbb");
    REQUIRE(report.failure->differences.size() == 1);
    CHECK(migrator::schema::describe(report.failure->differences.front().operation) ==
          "drop column users.email");
    CHECK(report.round_trips == 1);
    CHECK_FALSE(report.end_to_end);
}

TEST_CASE("a downgrade that forgets a view is reported with the view's drop", "[round_trip]") {
    Scripts scripts;
    scripts.add("aaaa", "",
                "CREATE TABLE users (id INTEGER PRIMARY KEY);\nCREATE VIEW v AS SELECT id FROM users;",
                "DROP TABLE users;");
    const auto report = run(scripts.map());
    REQUIRE(report.failure);
    CHECK(report.failure->check == TestCheck::SchemaRestored);
    REQUIRE(report.failure->differences.size() == 1);
    CHECK(migrator::schema::describe(report.failure->differences.front().operation) == "drop view v");
}

TEST_CASE("a downgrade that forgets an object the inspector does not read names it", "[round_trip]") {
    Scripts scripts;
    scripts.add("aaaa", "", "CREATE TABLE users (id INTEGER PRIMARY KEY);",
                "DROP TABLE users;\nCREATE TABLE doubled (a INTEGER, b INTEGER, UNIQUE (b DESC));");
    const auto report = run(scripts.map());
    REQUIRE(report.failure);
    CHECK(report.failure->check == TestCheck::SchemaRestored);
    CHECK(report.failure->message.find(
              "it leaves index sort order doubled.sqlite_autoindex_doubled_1 behind") != std::string::npos);
}

TEST_CASE("a failing downgrade and a failing upgrade are told apart", "[round_trip]") {
    Scripts scripts;
    scripts.add("aaaa", "", "CREATE TABLE users (id INTEGER PRIMARY KEY);", "DROP TABLE nothing_here;");
    auto report = run(scripts.map());
    REQUIRE(report.failure);
    CHECK(report.failure->check == TestCheck::Downgrade);
    CHECK(report.failure->message.rfind("downgrade: ", 0) == 0);
    CHECK(report.failure->message.find("nothing_here") != std::string::npos);

    Scripts broken;
    broken.add("aaaa", "", "CREATE TABLE users (id INTEGER PRIMARY KEY);", "DROP TABLE users;");
    broken.add("bbbb", "aaaa", "INSERT INTO nowhere VALUES (1);", "SELECT 1;");
    report = run(broken.map());
    REQUIRE(report.failure);
    CHECK(report.failure->check == TestCheck::Upgrade);
    CHECK(report.failure->revision == "bbbb");
    CHECK(report.round_trips == 1);
}

TEST_CASE("an upgrade that cannot run again after its downgrade fails the re-upgrade", "[round_trip]") {
    Scripts scripts;
    scripts.add("aaaa", "", "CREATE TABLE users (id INTEGER PRIMARY KEY);", "DROP TABLE users;");
    // The downgrade renames the table away instead of dropping it: the schema differs first.
    scripts.add("bbbb", "aaaa", "CREATE TABLE t (id INTEGER);", "ALTER TABLE t RENAME TO t_old;");
    const auto report = run(scripts.map());
    REQUIRE(report.failure);
    CHECK(report.failure->check == TestCheck::SchemaRestored);
}

TEST_CASE("a range tests only the revisions after its start", "[round_trip]") {
    Scripts scripts;
    // The first downgrade is wrong, but it lies below the range.
    scripts.add("aaaa", "", "CREATE TABLE users (id INTEGER PRIMARY KEY);", "SELECT 1;");
    scripts.add("bbbb", "aaaa", "CREATE TABLE orders (id INTEGER);", "DROP TABLE orders;");
    const auto& map = scripts.map();
    const auto report = run(map, "aaaa:bbbb");
    INFO((report.failure ? report.failure->message : ""));
    CHECK(report.passed());
    CHECK(report.revisions == 1);
    CHECK(RoundTrip(map, "").size() == 2);
    CHECK(RoundTrip(map, "aaaa:").size() == 1);
    CHECK(RoundTrip(map, "aaaa").size() == 1);
    CHECK_THROWS_AS(RoundTrip(map, "zzzz:bbbb"), migrator::Error);
}

TEST_CASE("the script check names a section that does not split", "[round_trip]") {
    Scripts scripts;
    scripts.add("aaaa", "", "CREATE TABLE users (id INTEGER PRIMARY KEY);", "DROP TABLE users; /* open");
    const auto& map = scripts.map();
    const auto failure = RoundTrip(map, "").check_scripts(migrator::script::disk_script_files(),
                                                          migrator::dialect::DialectKind::Sqlite);
    REQUIRE(failure);
    CHECK(failure->find("1_aaaa.sql:") != std::string::npos);
}
