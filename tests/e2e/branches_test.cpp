// Two heads and their merge: head is ambiguous, heads upgrades both, merge joins them,
// and the version table holds one row per head throughout.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "e2e_support.hpp"

using e2e::lines;
using e2e::Project;
using Rows = std::vector<std::string>;

namespace {

Rows sorted(Rows rows) {
    std::sort(rows.begin(), rows.end());
    return rows;
}

}  // namespace

TEST_CASE("two heads, their merge, and the version table rows at each step", "[e2e][branches]") {
    Project project;
    project.init();
    const auto base = e2e::new_revision(project, {"-m", "base", "--rev-id", "c0000000000a"},
                                        "CREATE TABLE base (id INTEGER);", "DROP TABLE base;");
    const auto left = e2e::new_revision(project, {"-m", "left", "--rev-id", "c0000000000b"},
                                        "CREATE TABLE lefty (id INTEGER);", "DROP TABLE lefty;");
    const auto plain_branch = project.run({"revision", "-m", "right", "--head", base});
    CHECK(plain_branch.exit_code != 0);
    CHECK(plain_branch.err.find("not a head") != std::string::npos);
    const auto right =
        e2e::new_revision(project, {"-m", "right", "--head", base, "--splice", "--rev-id", "c0000000000c"},
                          "CREATE TABLE righty (id INTEGER);", "DROP TABLE righty;");

    const auto heads = project.run({"heads"});
    REQUIRE(heads.exit_code == 0);
    CHECK(sorted(lines(heads.out)) == Rows{left + " (head)", right + " (head)"});

    const auto ambiguous = project.run({"upgrade", "head"});
    CHECK(ambiguous.exit_code == 2);
    CHECK(ambiguous.err.find(left) != std::string::npos);
    CHECK(ambiguous.err.find(right) != std::string::npos);
    CHECK((!std::filesystem::exists(project.dir() / "app.db") || project.tables().empty()));

    REQUIRE(project.run({"upgrade", left}).exit_code == 0);
    CHECK(project.versions() == Rows{left});
    REQUIRE(project.run({"upgrade", "heads"}).exit_code == 0);
    CHECK(project.versions() == sorted({left, right}));
    CHECK(project.tables() == Rows{"base", "lefty", "migrator_version", "righty"});

    const auto branches = project.run({"branches"});
    REQUIRE(branches.exit_code == 0);
    CHECK(lines(branches.out).front() == base + " (branchpoint)");

    const auto merge = project.run({"merge", "-m", "join", "heads", "--rev-id", "c0000000000d"});
    REQUIRE(merge.exit_code == 0);
    CHECK(project.read(e2e::generated_path(merge).lexically_relative(project.dir()))
              .find("-- down_revision: " + left + ", " + right) != std::string::npos);
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    CHECK(project.versions() == Rows{"c0000000000d"});

    const auto history = project.run({"history"});
    CHECK(lines(history.out).front() == left + ", " + right + " -> c0000000000d (head) (mergepoint), join");

    // As in Alembic, -1 from a merge point is ambiguous; naming a parent unmerges.
    const auto ambiguous_walk = project.run({"downgrade", "-1"});
    CHECK(ambiguous_walk.exit_code == 2);
    CHECK(ambiguous_walk.err.find("Ambiguous walk") != std::string::npos);
    CHECK(project.versions() == Rows{"c0000000000d"});
    REQUIRE(project.run({"downgrade", left}).exit_code == 0);
    CHECK(project.versions() == sorted({left, right}));
    REQUIRE(project.run({"downgrade", right + "@-1"}).exit_code == 0);
    CHECK(project.versions() == Rows{left});
    CHECK(project.tables() == Rows{"base", "lefty", "migrator_version"});
}

TEST_CASE("heads, current and history speak JSON for CI", "[e2e][branches][json]") {
    Project project;
    project.init();
    const auto first =
        e2e::new_revision(project, {"-m", "first"}, "CREATE TABLE t1 (id INTEGER);", "DROP TABLE t1;");
    const auto second =
        e2e::new_revision(project, {"-m", "second"}, "CREATE TABLE t2 (id INTEGER);", "DROP TABLE t2;");
    REQUIRE(project.run({"upgrade", "+1"}).exit_code == 0);

    const auto current = nlohmann::json::parse(project.run({"current", "--format", "json"}).out);
    REQUIRE(current["current"].size() == 1);
    CHECK(current["current"][0]["revision"] == first);
    CHECK(current["current"][0]["is_head"] == false);

    const auto heads = nlohmann::json::parse(project.run({"heads", "--format", "json"}).out);
    REQUIRE(heads["heads"].size() == 1);
    CHECK(heads["heads"][0]["revision"] == second);
    CHECK(heads["heads"][0]["down_revisions"] == nlohmann::json::array({first}));

    const auto history = nlohmann::json::parse(project.run({"history", "--format", "json", "-i"}).out);
    REQUIRE(history["history"].size() == 2);
    CHECK(history["history"][0]["revision"] == second);
    CHECK(history["history"][1]["is_current"] == true);
}

TEST_CASE("current --check-heads gates CI on being at every head", "[e2e][branches]") {
    Project project;
    project.init();
    e2e::new_revision(project, {"-m", "first"}, "CREATE TABLE t1 (id INTEGER);", "DROP TABLE t1;");
    e2e::new_revision(project, {"-m", "second"}, "CREATE TABLE t2 (id INTEGER);", "DROP TABLE t2;");

    // A SQLite file that does not exist is an error, and stays missing (docs/commands.md).
    const auto missing = project.run({"current", "--check-heads"});
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("does not exist") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(project.dir() / "app.db"));
    REQUIRE(project.run({"-q", "ensure_version"}).exit_code == 0);
    CHECK(project.run({"current", "--check-heads"}).exit_code == 1);

    REQUIRE(project.run({"upgrade", "+1"}).exit_code == 0);
    CHECK(project.run({"current", "--check-heads"}).exit_code == 1);
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    CHECK(project.run({"current", "--check-heads"}).exit_code == 0);
}

TEST_CASE("stamp moves the version table without running SQL", "[e2e][stamp]") {
    Project project;
    project.init();
    const auto first =
        e2e::new_revision(project, {"-m", "first"}, "CREATE TABLE t1 (id INTEGER);", "DROP TABLE t1;");
    const auto second =
        e2e::new_revision(project, {"-m", "second"}, "CREATE TABLE t2 (id INTEGER);", "DROP TABLE t2;");

    REQUIRE(project.run({"stamp", "head"}).exit_code == 0);
    CHECK(project.versions() == Rows{second});
    CHECK(project.tables() == Rows{"migrator_version"});
    REQUIRE(project.run({"stamp", first}).exit_code == 0);
    CHECK(project.versions() == Rows{first});
    REQUIRE(project.run({"stamp", "base"}).exit_code == 0);
    CHECK(project.versions().empty());

    // A row no script knows (a deleted script, another branch's deploy): current refuses, stamp --purge
    // recovers.
    project.execute("INSERT INTO migrator_version VALUES ('deadbeef0000')");
    const auto unknown = project.run({"current"});
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("deadbeef0000") != std::string::npos);
    CHECK(project.run({"stamp", "head"}).exit_code == 2);
    REQUIRE(project.run({"stamp", "--purge", "head"}).exit_code == 0);
    CHECK(project.versions() == Rows{second});
}
