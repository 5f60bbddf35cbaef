// The seed's workflow, as the README tells it: init, a users table, an email column,
// upgrade head, downgrade -1, current and history.
#include <catch2/catch.hpp>

#include "e2e_support.hpp"

using e2e::lines;
using e2e::Project;
using Rows = std::vector<std::string>;

TEST_CASE("the tutorial works as written in the README", "[e2e][tutorial]") {
    Project project;
    const auto init = project.run({"init", "migrations"});
    REQUIRE(init.exit_code == 0);
    CHECK(std::filesystem::is_directory(project.dir() / "migrations/versions"));
    CHECK(std::filesystem::exists(project.dir() / "migrations/script.sql.tmpl"));
    CHECK(project.read("migrator.yaml").find("sqlite:///app.db") != std::string::npos);

    const auto users = e2e::new_revision(
        project, {"-m", "create users table"},
        "CREATE TABLE users (id INTEGER PRIMARY KEY, username VARCHAR(50) UNIQUE);", "DROP TABLE users;");
    CHECK(users.size() == 12);

    const auto first_upgrade = project.run({"upgrade", "head"});
    REQUIRE(first_upgrade.exit_code == 0);
    CHECK(first_upgrade.err.find("Running upgrade  -> " + users + ", create users table") !=
          std::string::npos);
    CHECK(project.tables() == Rows{"migrator_version", "users"});
    CHECK(project.versions() == Rows{users});

    const auto email = e2e::new_revision(project, {"-m", "add email column to users"},
                                         "ALTER TABLE users ADD COLUMN email VARCHAR(100);",
                                         "ALTER TABLE users DROP COLUMN email;");
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    CHECK(project.versions() == Rows{email});
    CHECK(project.query("SELECT name FROM pragma_table_info('users') ORDER BY cid") ==
          Rows{"id", "username", "email"});

    const auto current = project.run({"current"});
    REQUIRE(current.exit_code == 0);
    CHECK(lines(current.out) == Rows{email + " (head)"});

    const auto history = project.run({"history"});
    REQUIRE(history.exit_code == 0);
    CHECK(lines(history.out) == Rows{users + " -> " + email + " (head), add email column to users",
                                     "<base> -> " + users + ", create users table"});

    const auto downgrade = project.run({"downgrade", "-1"});
    REQUIRE(downgrade.exit_code == 0);
    CHECK(downgrade.err.find("Running downgrade " + email + " -> " + users) != std::string::npos);
    CHECK(project.versions() == Rows{users});
    CHECK(project.query("SELECT name FROM pragma_table_info('users') ORDER BY cid") ==
          Rows{"id", "username"});
    CHECK(lines(project.run({"current"}).out) == Rows{users});

    REQUIRE(project.run({"downgrade", "base"}).exit_code == 0);
    CHECK(project.tables() == Rows{"migrator_version"});
    CHECK(project.versions().empty());
}

TEST_CASE("the example project in migrations/ upgrades and downgrades cleanly", "[e2e][tutorial]") {
    Project project;
    const std::filesystem::path example = MIGRATOR_SOURCE_DIR "/migrations";
    std::filesystem::copy(example, project.dir() / "migrations", std::filesystem::copy_options::recursive);
    project.write("migrator.yaml", "script_location: migrations\ndatabase:\n  url: sqlite:///app.db\n");
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    CHECK(project.query("SELECT name FROM pragma_table_info('users') ORDER BY cid") ==
          Rows{"id", "username", "email"});
    REQUIRE(project.run({"current", "--check-heads"}).exit_code == 0);
    REQUIRE(project.run({"downgrade", "base"}).exit_code == 0);
    CHECK(project.tables() == Rows{"migrator_version"});
}
