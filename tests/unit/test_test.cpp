// command/test.cpp: the graph checks come before any database is opened, the scratch database is the only
// one opened, and the configured database is never touched.
#include "command/test.hpp"

#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "db/connect.hpp"
#include "temp_dir.hpp"

using migrator::command::MultipleHeads;
using migrator::command::run_test;
using migrator::command::TestOptions;
using migrator::command::Workspace;
using migrator::render::TestCheck;

namespace {

// A project whose config names a PostgreSQL database that does not exist: the test must never open it.
class Project {
public:
    Project() {
        dir_.write("migrator.yaml", "script_location: " + dir_.path().string() +
                                        "/migrations\ndatabase:\n  url: "
                                        "postgresql://nobody@127.0.0.1:1/configured\n  url_env: \"\"\n");
    }
    void add(const std::string& revision, const std::string& down, const std::string& upgrade,
             const std::string& downgrade) const {
        dir_.write("migrations/versions/" + revision + ".sql",
                   "-- revision: " + revision + "\n-- down_revision: " + down + "\n-- message: " + revision +
                       "\n-- migrate:upgrade\n" + upgrade + "\n-- migrate:downgrade\n" + downgrade + "\n");
    }
    // Runs the test, recording the database of every connection it opens.
    migrator::render::TestReport run(const TestOptions& options = {}) {
        std::ostringstream out;
        Workspace workspace(out, [](const auto&) -> std::unique_ptr<migrator::db::Connection> {
            throw std::logic_error("the configured database was opened");
        });
        workspace.options().config_file = dir_.path() / "migrator.yaml";
        return run_test(workspace, options, [this](const migrator::config::DatabaseUrl& url) {
            opened.push_back(url.database);
            return migrator::db::connect(url);
        });
    }

    std::vector<std::string> opened;

private:
    test::TempDir dir_;
};

}  // namespace

TEST_CASE("test refuses several heads before it opens any database", "[test]") {
    Project project;
    project.add("aaaa", "", "CREATE TABLE a (id INTEGER);", "DROP TABLE a;");
    project.add("bbbb", "aaaa", "CREATE TABLE b (id INTEGER);", "DROP TABLE b;");
    project.add("cccc", "aaaa", "CREATE TABLE c (id INTEGER);", "DROP TABLE c;");
    const auto refused = project.run();
    REQUIRE(refused.failure);
    CHECK(refused.failure->check == TestCheck::Heads);
    CHECK(refused.failure->message.find("2 heads") != std::string::npos);
    CHECK(project.opened.empty());

    TestOptions allowed;
    allowed.multiple_heads = MultipleHeads::Allowed;
    const auto report = project.run(allowed);
    INFO((report.failure ? report.failure->message : ""));
    CHECK(report.passed());
    CHECK(report.revisions == 3);
    REQUIRE(!project.opened.empty());
    CHECK(project.opened.front().ends_with("/scratch.db"));
}

TEST_CASE("test runs in a SQLite scratch file, never the configured database", "[test]") {
    Project project;
    project.add("aaaa", "", "CREATE TABLE a (id INTEGER);", "DROP TABLE a;");
    project.add("bbbb", "aaaa", "ALTER TABLE a ADD COLUMN note TEXT;", "SELECT 1;");
    const auto report = project.run();
    REQUIRE(report.failure);
    CHECK(report.failure->check == TestCheck::SchemaRestored);
    CHECK(report.failure->revision == "bbbb");
    CHECK(report.scratch == "a SQLite temporary file");
    for (const auto& database : project.opened)
        CHECK((database.ends_with("/scratch.db") || database == ":memory:"));
}
