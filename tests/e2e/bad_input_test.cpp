// Bad input of every kind: one line "error: ..." naming the culprit, a non-zero exit, and
// the database exactly as it was.
#include <catch2/catch.hpp>

#include "e2e_support.hpp"

using e2e::Project;
using Rows = std::vector<std::string>;

namespace {

// A project at revision dddddddddd01 with a users table, so "unchanged" can be checked.
void applied_project(const Project& project) {
    project.init();
    project.add_script("0001_dddddddddd01_users", "dddddddddd01", "", "CREATE TABLE users (id INTEGER);",
                       "DROP TABLE users;");
    project.add_script("0002_dddddddddd02_more", "dddddddddd02", "dddddddddd01",
                       "CREATE TABLE more (id INTEGER);", "DROP TABLE more;");
    if (project.run({"upgrade", "dddddddddd01"}).exit_code != 0) throw std::runtime_error("setup failed");
}

void expect_one_line_error(const e2e::RunResult& result, const std::string& names) {
    INFO("stderr: " << result.err);
    CHECK(result.exit_code != 0);
    const auto error_lines = e2e::lines(result.err);
    REQUIRE(error_lines.size() == 1);
    CHECK(error_lines.front().rfind("error: ", 0) == 0);
    CHECK(error_lines.front().find(names) != std::string::npos);
}

void expect_unchanged(const Project& project) {
    CHECK(project.versions() == Rows{"dddddddddd01"});
    CHECK(project.tables() == Rows{"migrator_version", "users"});
}

}  // namespace

TEST_CASE("a script without a downgrade section is refused before the database is touched",
          "[e2e][bad-input]") {
    Project project;
    applied_project(project);
    project.write("migrations/versions/0003_dddddddddd03_broken.sql",
                  "-- message: broken\n-- revision: dddddddddd03\n-- down_revision: dddddddddd02\n\n"
                  "-- migrate:upgrade\nCREATE TABLE broken (id INTEGER);\n");
    expect_one_line_error(project.run({"upgrade", "head"}), "0003_dddddddddd03_broken.sql");
    expect_unchanged(project);
}

TEST_CASE("a cycle in the graph names the revisions on it", "[e2e][bad-input]") {
    Project project;
    applied_project(project);
    project.add_script("0003_dddddddddd03_a", "dddddddddd03", "dddddddddd04", "SELECT 1;", "SELECT 1;");
    project.add_script("0004_dddddddddd04_b", "dddddddddd04", "dddddddddd03", "SELECT 1;", "SELECT 1;");
    expect_one_line_error(project.run({"upgrade", "head"}), "dddddddddd03");
    expect_unchanged(project);
}

TEST_CASE("a duplicate revision id names both files", "[e2e][bad-input]") {
    Project project;
    applied_project(project);
    project.add_script("0003_dddddddddd02_again", "dddddddddd02", "dddddddddd01", "SELECT 1;", "SELECT 1;");
    const auto result = project.run({"heads"});
    expect_one_line_error(result, "0002_dddddddddd02_more.sql");
    CHECK(result.err.find("0003_dddddddddd02_again.sql") != std::string::npos);
}

TEST_CASE("a missing parent names the file and the id", "[e2e][bad-input]") {
    Project project;
    applied_project(project);
    project.add_script("0003_dddddddddd03_orphan", "dddddddddd03", "0123456789ab", "SELECT 1;", "SELECT 1;");
    const auto result = project.run({"upgrade", "head"});
    expect_one_line_error(result, "0123456789ab");
    CHECK(result.err.find("0003_dddddddddd03_orphan.sql") != std::string::npos);
    expect_unchanged(project);
}

TEST_CASE("an unknown target is named", "[e2e][bad-input]") {
    Project project;
    applied_project(project);
    expect_one_line_error(project.run({"upgrade", "fedcba"}), "fedcba");
    expect_one_line_error(project.run({"downgrade", "-5"}), "-5");
    expect_unchanged(project);
}

TEST_CASE("bad YAML and unknown keys name the file and the key", "[e2e][bad-input]") {
    Project project;
    applied_project(project);
    project.write("migrator.yaml", "script_location: migrations\ndatabase: [unclosed\n");
    expect_one_line_error(project.run({"upgrade", "head"}), "migrator.yaml");

    project.write("migrator.yaml",
                  "script_location: migrations\nversion_tabel: x\ndatabase:\n  url: sqlite:///app.db\n");
    expect_one_line_error(project.run({"upgrade", "head"}), "version_tabel");
    expect_unchanged(project);
}

TEST_CASE("a missing config file says how to make one", "[e2e][bad-input]") {
    Project project;
    expect_one_line_error(project.run({"heads"}), "migrator.yaml");
    expect_one_line_error(project.run({"-c", "other.yaml", "heads"}), "other.yaml");
}

TEST_CASE("a bad URL names the part that is wrong and never shows the password", "[e2e][bad-input]") {
    Project project;
    applied_project(project);
    const auto scheme = project.run({"--url", "oracle://scott:Tiger-Secret-9@db/x", "upgrade", "head"});
    expect_one_line_error(scheme, "oracle");
    CHECK(scheme.err.find("Tiger-Secret-9") == std::string::npos);

    const auto port =
        project.run({"--url", "postgresql://scott:Tiger-Secret-9@db:99999/x", "upgrade", "head"});
    expect_one_line_error(port, "port");
    CHECK(port.err.find("Tiger-Secret-9") == std::string::npos);
    expect_unchanged(project);
}

TEST_CASE("an unreachable database is a one-line error without the password", "[e2e][bad-input]") {
    Project project;
    applied_project(project);
    const auto missing_dir = project.run({"--url", "sqlite:///no/such/dir/app.db", "upgrade", "head"});
    expect_one_line_error(missing_dir, "no/such/dir/app.db");

    const auto refused = project.run(
        {"--url", "postgresql://scott:Tiger-Secret-9@127.0.0.1:1/x?connect_timeout=2", "upgrade", "head"});
    expect_one_line_error(refused, "127.0.0.1");
    CHECK(refused.err.find("Tiger-Secret-9") == std::string::npos);
    expect_unchanged(project);
}

TEST_CASE("the environment variable overrides the file and --url overrides both", "[e2e][config]") {
    Project project;
    applied_project(project);
    REQUIRE(project.run({"upgrade", "head"}, {{"DATABASE_URL", "sqlite:///other.db"}}).exit_code == 0);
    CHECK(project.tables("other.db") == Rows{"migrator_version", "more", "users"});
    expect_unchanged(project);
    REQUIRE(
        project
            .run({"--url", "sqlite:///third.db", "stamp", "head"}, {{"DATABASE_URL", "sqlite:///other.db"}})
            .exit_code == 0);
    CHECK(project.tables("third.db") == Rows{"migrator_version"});
}

TEST_CASE("read commands never create the version table", "[e2e][bad-input]") {
    Project project;
    project.init();
    project.add_script("0001_dddddddddd01_users", "dddddddddd01", "", "CREATE TABLE users (id INTEGER);",
                       "DROP TABLE users;");
    // A missing file is an error (docs/commands.md); an existing one gets no version table.
    CHECK(project.run({"current"}).exit_code == 2);
    project.execute("CREATE TABLE unrelated (x INTEGER)");
    REQUIRE(project.run({"current"}).exit_code == 0);
    REQUIRE(project.run({"history", "--indicate-current"}).exit_code == 0);
    CHECK(project.tables() == std::vector<std::string>{"unrelated"});
}
