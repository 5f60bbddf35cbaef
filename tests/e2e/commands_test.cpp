// The smaller promises of each command: help, init's refusal, id limits, edit, branch labels,
// several version locations, named environments, -x values and adopting an Alembic database.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "e2e_support.hpp"

using e2e::lines;
using e2e::Project;
using Rows = std::vector<std::string>;

TEST_CASE("every command has --help and exits 0 with it", "[e2e][commands]") {
    Project project;
    for (const std::string command :
         {"init", "revision", "upgrade", "downgrade", "current", "history", "heads", "branches", "show",
          "stamp", "merge", "edit", "check", "squash", "ensure_version"}) {
        const auto result = project.run({command, "--help"});
        INFO(command);
        CHECK(result.exit_code == 0);
        CHECK(result.out.find("Usage:") != std::string::npos);
    }
    const auto top = project.run({"--help"});
    CHECK(top.exit_code == 0);
    CHECK(top.out.find("ensure_version") != std::string::npos);
}

TEST_CASE("a malformed command line is a usage error", "[e2e][commands]") {
    Project project;
    const auto result = project.run({"upgrade"});
    CHECK(result.exit_code == 64);
    CHECK(result.err.rfind("error: ", 0) == 0);
    CHECK(project.run({"frobnicate"}).exit_code == 64);
}

TEST_CASE("init refuses a directory that is not empty and keeps an existing config", "[e2e][commands]") {
    Project project;
    project.write("migrations/keep.txt", "x");
    const auto refused = project.run({"init", "migrations"});
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find("migrations") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(project.dir() / "migrator.yaml"));

    project.write("migrator.yaml", "script_location: db\ndatabase:\n  url: sqlite:///mine.db\n");
    REQUIRE(project.run({"init", "db"}).exit_code == 0);
    CHECK(project.read("migrator.yaml").find("mine.db") != std::string::npos);
}

TEST_CASE("revision ids are checked when the script is written", "[e2e][commands]") {
    Project project;
    project.init();
    const auto too_long = project.run({"revision", "-m", "x", "--rev-id", std::string(33, 'a')});
    CHECK(too_long.exit_code == 2);
    CHECK(too_long.err.find(std::string(33, 'a')) != std::string::npos);
    CHECK(project.run({"revision", "-m", "x", "--rev-id", "head"}).exit_code == 2);
    CHECK(project.run({"revision", "-m", "x", "--rev-id", "abc-def"}).exit_code == 2);
    REQUIRE(project.run({"revision", "-m", "x", "--rev-id", std::string(32, 'b')}).exit_code == 0);
    const auto duplicate = project.run({"revision", "-m", "y", "--rev-id", std::string(32, 'b')});
    CHECK(duplicate.exit_code == 2);
    CHECK(duplicate.err.find("already present") != std::string::npos);
}

TEST_CASE("edit opens the script in $EDITOR", "[e2e][commands]") {
    Project project;
    project.init();
    const auto id = e2e::new_revision(project, {"-m", "first"}, "SELECT 1;", "SELECT 1;");
    project.write("editor.sh", "#!/bin/sh\necho '-- edited' >> \"$1\"\n");
    chmod((project.dir() / "editor.sh").c_str(), 0755);
    const auto result = project.run({"edit", id.substr(0, 6)}, {{"EDITOR", "./editor.sh"}, {"VISUAL", ""}});
    REQUIRE(result.exit_code == 0);
    const auto script = project.run({"show", id, "--format", "json"});
    const auto path_start = script.out.find("\"path\": \"") + 9;
    const std::filesystem::path path =
        script.out.substr(path_start, script.out.find('"', path_start) - path_start);
    CHECK(project.read(path.lexically_relative(project.dir())).find("-- edited") != std::string::npos);

    const auto failing = project.run({"edit", id}, {{"EDITOR", "false"}, {"VISUAL", ""}});
    CHECK(failing.exit_code == 2);
}

TEST_CASE("branch labels name a branch in targets", "[e2e][commands]") {
    Project project;
    project.init();
    const auto main_base =
        e2e::new_revision(project, {"-m", "main"}, "CREATE TABLE m1 (id INTEGER);", "DROP TABLE m1;");
    const auto feature =
        e2e::new_revision(project, {"-m", "feature", "--head", "base", "--branch-label", "feature"},
                          "CREATE TABLE f1 (id INTEGER);", "DROP TABLE f1;");
    const auto feature2 = e2e::new_revision(project, {"-m", "feature two", "--head", "feature@head"},
                                            "CREATE TABLE f2 (id INTEGER);", "DROP TABLE f2;");

    REQUIRE(project.run({"upgrade", "feature@head"}).exit_code == 0);
    CHECK(project.versions() == Rows{feature2});
    CHECK(project.tables() == Rows{"f1", "f2", "migrator_version"});
    REQUIRE(project.run({"upgrade", "heads"}).exit_code == 0);
    REQUIRE(project.run({"downgrade", "feature@-1"}).exit_code == 0);
    Rows expected{feature, main_base};
    std::sort(expected.begin(), expected.end());
    CHECK(project.versions() == expected);
    REQUIRE(project.run({"downgrade", "feature@base"}).exit_code == 0);
    CHECK(project.versions() == Rows{main_base});

    const auto duplicate =
        project.run({"revision", "-m", "again", "--head", "base", "--branch-label", "feature"});
    CHECK(duplicate.exit_code == 2);
    CHECK(duplicate.err.find("feature") != std::string::npos);
}

TEST_CASE("several version locations, with --version-path for a new base", "[e2e][commands]") {
    Project project;
    project.init();
    project.write("migrator.yaml",
                  "script_location: migrations\nversion_locations: [migrations/versions, "
                  "plugins/versions]\ndatabase:\n  url: sqlite:///app.db\n");
    std::filesystem::create_directories(project.dir() / "plugins/versions");
    const auto no_path = project.run({"revision", "-m", "first"});
    CHECK(no_path.exit_code == 2);
    CHECK(no_path.err.find("--version-path") != std::string::npos);
    const auto plugin = project.run({"revision", "-m", "plugin", "--version-path", "plugins/versions"});
    REQUIRE(plugin.exit_code == 0);
    CHECK(e2e::generated_path(plugin).parent_path() == project.dir() / "plugins/versions");
    const auto next = project.run({"revision", "-m", "next"});
    REQUIRE(next.exit_code == 0);
    CHECK(e2e::generated_path(next).parent_path() == project.dir() / "plugins/versions");
    CHECK(e2e::generated_path(next).filename().string().rfind("0002_", 0) == 0);
}

TEST_CASE("the -n option picks a named environment and -x fills the template", "[e2e][commands]") {
    Project project;
    project.init();
    project.write("migrator.yaml",
                  "script_location: migrations\ndatabase:\n  url: sqlite:///dev.db\n"
                  "environments:\n  staging:\n    database:\n      url: sqlite:///staging.db\n");
    project.write("migrations/script.sql.tmpl",
                  "-- message: ${message}\n-- revision: ${revision}\n-- down_revision: ${down_revision}\n"
                  "-- ticket ${x.ticket}\n\n-- migrate:upgrade\nCREATE TABLE t (id INTEGER);\n\n"
                  "-- migrate:downgrade\nDROP TABLE t;\n");
    const auto generated = project.run({"-x", "ticket=OPS-42", "revision", "-m", "ticketed"});
    REQUIRE(generated.exit_code == 0);
    CHECK(project.read(e2e::generated_path(generated).lexically_relative(project.dir()))
              .find("-- ticket OPS-42") != std::string::npos);
    const auto missing_x = project.run({"revision", "-m", "no ticket"});
    CHECK(missing_x.exit_code == 2);
    CHECK(missing_x.err.find("ticket") != std::string::npos);

    REQUIRE(project.run({"-n", "staging", "upgrade", "head"}).exit_code == 0);
    CHECK(project.tables("staging.db") == Rows{"migrator_version", "t"});
    CHECK_FALSE(std::filesystem::exists(project.dir() / "dev.db"));
    const auto unknown = project.run({"-n", "prod", "current"});
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("prod") != std::string::npos);
}

TEST_CASE("a database Alembic manages is adopted through version_table: alembic_version", "[e2e][commands]") {
    Project project;
    project.init();
    project.add_script("0001_e00000000001_users", "e00000000001", "", "CREATE TABLE users (id INTEGER);",
                       "DROP TABLE users;");
    project.add_script("0002_e00000000002_email", "e00000000002", "e00000000001",
                       "ALTER TABLE users ADD COLUMN email TEXT;", "ALTER TABLE users DROP COLUMN email;");
    project.execute(
        "CREATE TABLE users (id INTEGER);"
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
        "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));"
        "INSERT INTO alembic_version VALUES ('e00000000001');");
    project.write(
        "migrator.yaml",
        "script_location: migrations\nversion_table: alembic_version\ndatabase:\n  url: sqlite:///app.db\n");
    CHECK(lines(project.run({"current"}).out) == Rows{"e00000000001"});
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    CHECK(project.versions("alembic_version") == Rows{"e00000000002"});
    CHECK(project.tables() == Rows{"alembic_version", "users"});
}

TEST_CASE("upgrade creates the version table even with nothing to apply", "[e2e][commands]") {
    Project project;
    project.init();
    REQUIRE(project.run({"upgrade", "heads"}).exit_code == 0);
    CHECK(project.tables() == Rows{"migrator_version"});
    REQUIRE(project.run({"ensure_version"}).exit_code == 0);
    const auto sql = project.run({"ensure_version", "--sql"});
    CHECK(sql.out.find("CREATE TABLE \"migrator_version\"") != std::string::npos);
}

TEST_CASE("diagnostics go to stderr as level-prefixed lines, --quiet keeps only warnings",
          "[e2e][commands]") {
    Project project;
    project.init();
    const auto id =
        e2e::new_revision(project, {"-m", "first"}, "CREATE TABLE t (x INTEGER);", "DROP TABLE t;");
    const auto normal = project.run({"upgrade", "head"});
    REQUIRE(normal.exit_code == 0);
    CHECK(normal.out.empty());
    const auto normal_lines = lines(normal.err);
    REQUIRE_FALSE(normal_lines.empty());
    CHECK(normal_lines.front() == "info: [1/1] Running upgrade  -> " + id + ", first");
    for (const auto& line : normal_lines) CHECK(line.rfind("info: ", 0) == 0);

    const auto quiet = project.run({"-q", "downgrade", "base"});
    REQUIRE(quiet.exit_code == 0);
    CHECK(quiet.err.empty());
    CHECK(project.versions().empty());
}
