// `current` lists Alembic's get_all_current: the version rows plus the revisions they depend on across
// branches, with Alembic's head and tree markers.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "e2e_support.hpp"

using e2e::lines;
using e2e::Project;
using Rows = std::vector<std::string>;

namespace {

// a forks into x, y and b; x forks again into m (which merges x and y) and z; l is a second root that b
// depends on, so l is a head nothing is based on but not a real head; c merges b and y.
void write_cross_branch_graph(const Project& project) {
    project.add_script("01_a", "aaaa", "", "CREATE TABLE a (id INTEGER);", "DROP TABLE a;");
    project.add_script("02_x", "xxxx", "aaaa", "CREATE TABLE x (id INTEGER);", "DROP TABLE x;");
    project.add_script("03_y", "yyyy", "aaaa", "CREATE TABLE y (id INTEGER);", "DROP TABLE y;");
    project.add_script("04_m", "mmmm", "xxxx, yyyy", "CREATE TABLE m (id INTEGER);", "DROP TABLE m;");
    project.add_script("05_z", "zzzz", "xxxx", "CREATE TABLE z (id INTEGER);", "DROP TABLE z;");
    project.add_script("06_l", "llll", "", "CREATE TABLE l (id INTEGER);", "DROP TABLE l;");
    project.add_script("07_b", "bbbb", "aaaa", "CREATE TABLE b (id INTEGER);", "DROP TABLE b;",
                       "-- depends_on: xxxx, llll");
    project.add_script("08_c", "cccc", "bbbb, yyyy", "CREATE TABLE c (id INTEGER);", "DROP TABLE c;");
}

}  // namespace

TEST_CASE("current lists the revisions a row depends on across branches, as Alembic", "[e2e][current]") {
    Project project;
    project.init();
    write_cross_branch_graph(project);
    REQUIRE(project.run({"stamp", "cccc"}).exit_code == 0);
    REQUIRE(project.query("SELECT version_num FROM migrator_version") == Rows{"cccc"});

    // b and y and a lie under c; x (under m and z, not applied) and l are what c effectively stands on.
    CHECK(lines(project.run({"current"}).out) ==
          Rows{"cccc (head) (mergepoint)", "xxxx (branchpoint)", "llll (effective head)"});

    const auto verbose = project.run({"current", "--verbose"}).out;
    CHECK(verbose.find("Rev: cccc (head) (mergepoint)\n") != std::string::npos);
    CHECK(verbose.find("Rev: xxxx (branchpoint)\n") != std::string::npos);
    CHECK(verbose.find("Rev: llll (head)\n") != std::string::npos);  // log_entry marks any head "(head)"
    CHECK(verbose.find("(current)") == std::string::npos);           // only history -i marks it

    const auto json = nlohmann::json::parse(project.run({"current", "--format", "json"}).out);
    const auto& entries = json["current"];
    REQUIRE(entries.size() == 3);
    CHECK(entries[0]["revision"] == "cccc");
    CHECK(entries[0]["is_current"] == true);
    CHECK(entries[0]["is_effective_head"] == false);
    for (const std::size_t i : {std::size_t{1}, std::size_t{2}}) {
        CHECK(entries[i]["is_current"] == false);
        CHECK(entries[i]["is_effective_head"] == true);
    }
    CHECK(entries[1]["revision"] == "xxxx");
    CHECK(entries[2]["revision"] == "llll");
    CHECK(entries[2]["is_head"] == true);
    CHECK(entries[2]["is_real_head"] == false);

    const auto history = nlohmann::json::parse(project.run({"history", "-i", "--format", "json"}).out);
    Rows effective;
    for (const auto& entry : history["history"])
        if (entry["is_effective_head"] == true) effective.push_back(entry["revision"]);
    std::sort(effective.begin(), effective.end());
    CHECK(effective == Rows{"llll", "xxxx"});

    // The gate still compares the rows with the script heads: m, z and l have no row.
    const auto gate = project.run({"current", "--check-heads"});
    CHECK(gate.exit_code == 1);
    CHECK(gate.err.find("missing: mmmm, zzzz, llll") != std::string::npos);
}

TEST_CASE("current with a row on every line still lists the dependency no row names", "[e2e][current]") {
    Project project;
    project.init();
    write_cross_branch_graph(project);
    REQUIRE(project.run({"stamp", "cccc"}).exit_code == 0);
    project.execute("INSERT INTO migrator_version (version_num) VALUES ('mmmm'), ('zzzz')");
    auto listed = lines(project.run({"current"}).out);
    REQUIRE(listed.size() == 4);
    // The rows in the table's order, which SQL leaves to the backend; then the effective head.
    CHECK(listed.back() == "llll (effective head)");
    listed.pop_back();
    std::sort(listed.begin(), listed.end());
    CHECK(listed == Rows{"cccc (head) (mergepoint)", "mmmm (head) (mergepoint)", "zzzz (head)"});
}
