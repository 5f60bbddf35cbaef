// Offline mode: the complete script on stdout, without connecting.
#include <catch2/catch.hpp>

#include "e2e_support.hpp"

using e2e::Project;

namespace {

void write_two_migrations(const Project& project) {
    project.add_script("0001_bbbbbbbbbbb1_users", "bbbbbbbbbbb1", "", "CREATE TABLE users (id INTEGER);",
                       "DROP TABLE users;");
    project.add_script("0002_bbbbbbbbbbb2_email", "bbbbbbbbbbb2", "bbbbbbbbbbb1",
                       "ALTER TABLE users ADD COLUMN email TEXT;", "ALTER TABLE users DROP COLUMN email;");
}

std::size_t position(const std::string& text, const std::string& needle) {
    const auto pos = text.find(needle);
    INFO("looking for: " << needle << "\nin:\n" << text);
    REQUIRE(pos != std::string::npos);
    return pos;
}

}  // namespace

TEST_CASE("upgrade head --sql prints every statement in order and touches no database", "[e2e][offline]") {
    Project project;
    project.init();
    write_two_migrations(project);

    const auto result = project.run({"upgrade", "head", "--sql"});
    REQUIRE(result.exit_code == 0);
    const auto& sql = result.out;
    const auto create = position(sql, "CREATE TABLE \"migrator_version\"");
    const auto begin = position(sql, "BEGIN;");
    const auto users = position(sql, "CREATE TABLE users (id INTEGER);");
    const auto insert =
        position(sql, "INSERT INTO \"migrator_version\" (version_num) VALUES ('bbbbbbbbbbb1');");
    const auto email = position(sql, "ALTER TABLE users ADD COLUMN email TEXT;");
    const auto update = position(
        sql,
        "UPDATE \"migrator_version\" SET version_num='bbbbbbbbbbb2' WHERE version_num = 'bbbbbbbbbbb1';");
    const auto commit = sql.rfind("COMMIT;");
    CHECK(begin < create);
    CHECK(create < users);
    CHECK(users < insert);
    CHECK(insert < email);
    CHECK(email < update);
    CHECK(update < commit);
    CHECK_FALSE(std::filesystem::exists(project.dir() / "app.db"));
}

TEST_CASE("offline ranges start from the given revision", "[e2e][offline]") {
    Project project;
    project.init();
    write_two_migrations(project);

    const auto upgrade = project.run({"upgrade", "bbbbbbbbbbb1:head", "--sql"});
    REQUIRE(upgrade.exit_code == 0);
    CHECK(upgrade.out.find("CREATE TABLE users") == std::string::npos);
    CHECK(upgrade.out.find("ALTER TABLE users ADD COLUMN email TEXT;") != std::string::npos);
    CHECK(upgrade.out.find("CREATE TABLE \"migrator_version\"") == std::string::npos);

    const auto downgrade = project.run({"downgrade", "head:base", "--sql"});
    REQUIRE(downgrade.exit_code == 0);
    CHECK(downgrade.out.find("ALTER TABLE users DROP COLUMN email;") <
          downgrade.out.find("DROP TABLE users;"));
    CHECK(downgrade.out.find("DELETE FROM \"migrator_version\"") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(project.dir() / "app.db"));
}

TEST_CASE("downgrade --sql needs a range, and a range needs --sql", "[e2e][offline]") {
    Project project;
    project.init();
    write_two_migrations(project);

    const auto no_range = project.run({"downgrade", "base", "--sql"});
    CHECK(no_range.exit_code != 0);
    CHECK(no_range.err.find("error: downgrade with --sql requires <fromrev>:<torev>") != std::string::npos);

    const auto online_range = project.run({"upgrade", "base:head"});
    CHECK(online_range.exit_code != 0);
    CHECK(online_range.err.find("only allowed with --sql") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(project.dir() / "app.db"));
}
