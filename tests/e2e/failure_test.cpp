// A migration that fails halfway: the database keeps every migration that completed and
// nothing of the one that failed; the error names the file, the line and the database's message.
#include <catch2/catch.hpp>

#include "e2e_support.hpp"

using e2e::Project;
using Rows = std::vector<std::string>;

namespace {

void write_three_migrations(const Project& project) {
    project.add_script("0001_aaaaaaaaaaa1_one", "aaaaaaaaaaa1", "", "CREATE TABLE one (id INTEGER);",
                       "DROP TABLE one;");
    project.add_script(
        "0002_aaaaaaaaaaa2_two", "aaaaaaaaaaa2", "aaaaaaaaaaa1",
        "CREATE TABLE two (id INTEGER);\nINSERT INTO two VALUES (1);\nINSERT INTO no_such_table VALUES (1);",
        "DROP TABLE two;");
    project.add_script("0003_aaaaaaaaaaa3_three", "aaaaaaaaaaa3", "aaaaaaaaaaa2",
                       "CREATE TABLE three (id INTEGER);", "DROP TABLE three;");
}

}  // namespace

TEST_CASE("a failing statement rolls back its migration and keeps the earlier ones", "[e2e][failure]") {
    Project project;
    project.init();
    write_three_migrations(project);

    const auto result = project.run({"upgrade", "head"});
    CHECK(result.exit_code == 2);
    const auto error_lines = e2e::lines(result.err);
    REQUIRE(!error_lines.empty());
    const auto& error = error_lines.back();
    CHECK(error.rfind("error: ", 0) == 0);
    CHECK(error.find("0002_aaaaaaaaaaa2_two.sql") != std::string::npos);
    CHECK(error.find("line 8") != std::string::npos);
    CHECK(error.find("INSERT INTO no_such_table") != std::string::npos);
    CHECK(error.find("no such table") != std::string::npos);

    CHECK(project.versions() == Rows{"aaaaaaaaaaa1"});
    CHECK(project.tables() == Rows{"migrator_version", "one"});
}

TEST_CASE("with transaction_per_migration false a failure leaves the database untouched", "[e2e][failure]") {
    Project project;
    project.init();
    project.write("migrator.yaml",
                  "script_location: migrations\ntransaction_per_migration: false\ndatabase:\n  url: "
                  "sqlite:///app.db\n");
    write_three_migrations(project);

    CHECK(project.run({"upgrade", "head"}).exit_code == 2);
    CHECK(project.tables() == Rows{});
}

TEST_CASE("after fixing the script, upgrade continues from where it stopped", "[e2e][failure]") {
    Project project;
    project.init();
    write_three_migrations(project);
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 2);

    project.add_script("0002_aaaaaaaaaaa2_two", "aaaaaaaaaaa2", "aaaaaaaaaaa1",
                       "CREATE TABLE two (id INTEGER);\nINSERT INTO two VALUES (1);", "DROP TABLE two;");
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    CHECK(project.versions() == Rows{"aaaaaaaaaaa3"});
    CHECK(project.query("SELECT COUNT(*) FROM two") == Rows{"1"});
}
