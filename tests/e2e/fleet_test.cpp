// Fleets (docs/fleets.md): one command on many databases at once. 50 SQLite files, 20 PostgreSQL tenant
// schemas in one database, 10 MariaDB databases; one target of each fleet fails its second migration
// (its table is already there). The others reach head, the summary and the JSON name the failure, -j 1
// and -j 8 leave the same end state, and running again finishes the failed one once it is repaired.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include <functional>
#include <string>
#include <vector>

#include "backend_cases.hpp"
#include "e2e_support.hpp"

using e2e::Backend;
using e2e::contains;
using e2e::Project;
using nlohmann::json;
using Rows = std::vector<std::string>;

namespace {

constexpr std::size_t failing = 7;  // the target whose second migration fails
const std::string head = "ccccccccccc3";

std::size_t fleet_size(Backend backend) {
    switch (backend) {
        case Backend::Sqlite:
            return 50;
        case Backend::Postgresql:
            return 20;
        case Backend::Mysql:
            return 10;
    }
    return 0;
}

std::string target_name(std::size_t i) {
    return fmt::format("t{:02}", i);
}

void add_scripts(const Project& project) {
    project.add_script("0001_aaaaaaaaaaa1_a", "aaaaaaaaaaa1", "", "CREATE TABLE a (x INTEGER);",
                       "DROP TABLE a;");
    project.add_script("0002_bbbbbbbbbbb2_b", "bbbbbbbbbbb2", "aaaaaaaaaaa1", "CREATE TABLE b (x INTEGER);",
                       "DROP TABLE b;");
    project.add_script("0003_ccccccccccc3_c", "ccccccccccc3", "bbbbbbbbbbb2", "CREATE TABLE c (x INTEGER);",
                       "DROP TABLE c;");
}

// The server URL of this project's database with another database name.
std::string with_database(const std::string& url, const std::string& database) {
    return url.substr(0, url.rfind('/') + 1) + database;
}

// One project's fleet: its targets written into migrator.yaml (on SQLite the second half in a list file that
// targets_from reads, so that the order of --all-targets is the targets' numbering), and how to look into
// each target.
class Fleet {
public:
    explicit Fleet(Backend backend) : project_(backend), size_(fleet_size(backend)) {
        project_.init();
        add_scripts(project_);
        std::string targets = "targets:\n";
        std::string listed;
        for (std::size_t i = 0; i < size_; ++i) {
            const auto name = target_name(i);
            switch (backend) {
                case Backend::Sqlite:
                    if (i < size_ / 2) {
                        targets += fmt::format("  {}: sqlite:///${{TENANT_DIR}}/{}.db\n", name, name);
                    } else {
                        listed += fmt::format("{} sqlite:///tenants/{}.db\n", name, name);
                    }
                    break;
                case Backend::Postgresql:
                    project_.execute("CREATE SCHEMA " + schema(i));
                    targets += fmt::format(
                        "  {}:\n    url: {}?options=-csearch_path%3D{}\n"
                        "    version_table_schema: {}\n",
                        name, project_.url(), schema(i), schema(i));
                    break;
                case Backend::Mysql:
                    project_.execute("CREATE DATABASE " + schema(i));
                    databases_.push_back(schema(i));
                    targets += fmt::format("  {}: {}\n", name, with_database(project_.url(), schema(i)));
                    break;
            }
        }
        project_.write("tenants/README", "one SQLite file per tenant\n");
        auto config = project_.read("migrator.yaml") + "\n" + targets;
        if (!listed.empty()) {
            project_.write("tenants.txt", "# name url\n" + listed);
            config += "targets_from:\n  command: cat tenants.txt\n";
        }
        project_.write("migrator.yaml", config);
        // The failing target already has the table the second migration creates.
        run_sql(failing, "CREATE TABLE " + table(failing, "b") + " (x INTEGER)");
    }
    ~Fleet() {
        for (const auto& database : databases_) {
            try {
                project_.execute("DROP DATABASE IF EXISTS " + database);
            } catch (const std::exception&) {
                // Left for the server's data directory to take away.
            }
        }
    }
    Fleet(const Fleet&) = delete;
    Fleet& operator=(const Fleet&) = delete;

    [[nodiscard]] const Project& project() const { return project_; }
    [[nodiscard]] std::size_t size() const { return size_; }

    e2e::RunResult run(const std::vector<std::string>& args) const {
        return project_.run(args, {{"TENANT_DIR", "tenants"}});
    }

    // The target's version rows and tables, as one line.
    [[nodiscard]] std::string state(std::size_t i) const {
        const auto versions = query(i, "SELECT version_num FROM " + table(i, "migrator_version"));
        Rows tables;
        switch (project_.backend()) {
            case Backend::Sqlite:
                tables = project_.tables(fmt::format("tenants/{}.db", target_name(i)));
                break;
            case Backend::Postgresql:
            case Backend::Mysql:
                tables = e2e::sorted(project_.query(fmt::format(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = '{}' AND "
                    "table_name NOT IN ('migrator_history', 'migrator_lock')",  // the lock on Galera
                    schema(i))));
                break;
        }
        return fmt::format("{} | {}", fmt::join(versions, ","), fmt::join(tables, ","));
    }

    [[nodiscard]] Rows versions(std::size_t i) const {
        return query(i, "SELECT version_num FROM " + table(i, "migrator_version"));
    }

    void run_sql(std::size_t i, const std::string& sql) const {
        if (project_.backend() == Backend::Sqlite) {
            project_.execute(sql, fmt::format("tenants/{}.db", target_name(i)));
        } else {
            project_.execute(sql);
        }
    }

    [[nodiscard]] std::string table(std::size_t i, const std::string& name) const {
        return project_.backend() == Backend::Sqlite ? name : schema(i) + "." + name;
    }

private:
    [[nodiscard]] std::string schema(std::size_t i) const {
        if (project_.backend() == Backend::Postgresql) return "tenant_" + target_name(i);
        return project_.database() + "_" + target_name(i);
    }

    [[nodiscard]] Rows query(std::size_t i, const std::string& sql) const {
        if (project_.backend() == Backend::Sqlite)
            return project_.query(sql, fmt::format("tenants/{}.db", target_name(i)));
        return project_.query(sql);
    }

    Project project_;
    std::size_t size_;
    std::vector<std::string> databases_;
};

std::vector<std::string> end_state(const Fleet& fleet) {
    std::vector<std::string> states;
    for (std::size_t i = 0; i < fleet.size(); ++i) states.push_back(target_name(i) + ": " + fleet.state(i));
    return states;
}

void fleet_upgrade(Backend backend) {
    const Fleet fleet(backend);
    const auto result = fleet.run({"upgrade", "head", "--all-targets", "-j", "8", "--format", "json"});
    INFO(result.err);
    CHECK(result.exit_code == 2);
    const auto document = json::parse(result.out);
    CHECK(document["command"] == "upgrade");
    CHECK(document["summary"]["targets"] == fleet.size());
    CHECK(document["summary"]["done"] == fleet.size() - 1);
    CHECK(document["summary"]["failed"] == 1);
    REQUIRE(document["targets"].size() == fleet.size());
    for (std::size_t i = 0; i < fleet.size(); ++i) {
        const auto& record = document["targets"][i];
        INFO(record.dump());
        CHECK(record["name"] == target_name(i));
        if (i == failing) {
            CHECK(record["status"] == "failed");
            CHECK(record["exit_code"] == 2);
            CHECK(record["result"].is_null());
            CHECK(contains(record["error"]["message"].get<std::string>(), "0002_bbbbbbbbbbb2_b"));
            CHECK(fleet.versions(i) == Rows{"aaaaaaaaaaa1"});
        } else {
            CHECK(record["status"] == "done");
            CHECK(record["error"].is_null());
            CHECK(record["result"]["heads_after"] == json::array({head}));
            CHECK(record["result"]["steps"].size() == 3);
            CHECK(fleet.versions(i) == Rows{head});
        }
        // Passwords of every target are masked.
        if (backend != Backend::Sqlite) CHECK(contains(record["url"].get<std::string>(), ":***@"));
    }
    // The summary on stderr names the failure with its error.
    CHECK(contains(result.err, fmt::format("{} target(s)", fleet.size())));
    CHECK(contains(result.err, fmt::format("error: target {} failed: ", target_name(failing))));
    CHECK(contains(result.err, "0002_bbbbbbbbbbb2_b"));

    // Running again continues where each target's version table says it is: once the failing target is
    // repaired, it finishes, and the others have nothing to do.
    fleet.run_sql(failing, "DROP TABLE " + fleet.table(failing, "b"));
    const auto again = fleet.run({"upgrade", "head", "--all-targets", "-j", "3"});
    INFO(again.err);
    CHECK(again.exit_code == 0);
    CHECK(again.out.empty());
    CHECK(contains(again.err, fmt::format("{}: done: 2 step(s)", target_name(failing))));
    CHECK(contains(again.err, fmt::format("{}: nothing to do", target_name(0))));
    CHECK(contains(again.err, "0 failed"));
    for (std::size_t i = 0; i < fleet.size(); ++i) CHECK(fleet.versions(i) == Rows{head});

    // The read commands take the same selection.
    const auto current = fleet.run({"current", "--target", target_name(1), "--target", target_name(2)});
    INFO(current.err);
    CHECK(current.exit_code == 0);
    CHECK(current.out ==
          fmt::format("{0}: {2} (head)\n{1}: {2} (head)\n", target_name(1), target_name(2), head));
}

void same_end_state_at_any_parallelism(Backend backend) {
    const Fleet one(backend);
    const Fleet eight(backend);
    const auto serial = one.run({"upgrade", "head", "--all-targets", "-j", "1"});
    const auto parallel = eight.run({"upgrade", "head", "--all-targets", "-j", "8"});
    INFO(serial.err << parallel.err);
    CHECK(serial.exit_code == 2);
    CHECK(parallel.exit_code == 2);
    const auto state = end_state(one);
    CHECK(state == end_state(eight));
    CHECK(state[failing] == fmt::format("{}: aaaaaaaaaaa1 | a,b,migrator_version", target_name(failing)));
    CHECK(state[0] == fmt::format("{}: {} | a,b,c,migrator_version", target_name(0), head));
}

const bool registered = e2e::register_backend_cases({
    e2e::make_case<fleet_upgrade>("a fleet upgrades every target but the failing one, and running again "
                                  "finishes it",
                                  "[fleet]"),
    e2e::make_case<same_end_state_at_any_parallelism>("a fleet reaches the same end state with -j 1 and -j 8",
                                                      "[fleet]"),
});

}  // namespace

TEST_CASE("fleet: --fail-fast starts no target after a failure", "[e2e][fleet]") {
    const Fleet fleet(Backend::Sqlite);
    const auto result =
        fleet.run({"upgrade", "head", "--all-targets", "-j", "1", "--fail-fast", "--format", "json"});
    INFO(result.err);
    CHECK(result.exit_code == 2);
    const auto document = json::parse(result.out);
    CHECK(document["summary"]["done"] == failing);
    CHECK(document["summary"]["failed"] == 1);
    CHECK(document["summary"]["not_run"] == fleet.size() - failing - 1);
    CHECK(document["targets"][failing + 1]["status"] == "not_run");
    CHECK_FALSE(std::filesystem::exists(fleet.project().dir() / "tenants/t48.db"));
}

TEST_CASE("fleet: a bad selection fails before any target is touched", "[e2e][fleet]") {
    const Fleet fleet(Backend::Sqlite);
    const auto unknown = fleet.run({"upgrade", "head", "--target", "t1"});
    e2e::expect_one_line_error(unknown, "unknown target 't1' (did you mean 't01'?)");
    CHECK(unknown.exit_code == 64);
    const auto with_url = fleet.run({"upgrade", "head", "--all-targets", "--url", "sqlite:///x.db"});
    e2e::expect_one_line_error(with_url, "--url names one database");
    const auto jobs_alone = fleet.run({"upgrade", "head", "-j", "4"});
    e2e::expect_one_line_error(jobs_alone, "-j and --fail-fast apply to targets");
    const auto sql = fleet.run({"upgrade", "head", "--all-targets", "--sql"});
    e2e::expect_one_line_error(sql, "cannot be combined with --all-targets");
    for (std::size_t i = 0; i < fleet.size(); ++i) {
        if (i != failing)
            CHECK_FALSE(std::filesystem::exists(fleet.project().dir() / fmt::format("tenants/t{:02}.db", i)));
    }

    // A target whose ${VAR} is unset: the whole run stops before the first target, naming it.
    const auto unset = fleet.project().run({"upgrade", "head", "--all-targets"});
    e2e::expect_one_line_error(unset, "migrator.yaml:");
    CHECK(contains(unset.err, "target 't00': environment variable 'TENANT_DIR' is not set"));
    CHECK_FALSE(std::filesystem::exists(fleet.project().dir() / "tenants/t01.db"));
}

TEST_CASE("fleet: off a terminal, one line per target event, and verify and status take the selection",
          "[e2e][fleet]") {
    const Fleet fleet(Backend::Sqlite);
    const auto result = fleet.run({"upgrade", "head", "--target", "t03", "--target", "t07", "-j", "2"});
    CHECK(result.exit_code == 2);
    CHECK(contains(result.err, "info: t03: done: 3 step(s)"));
    CHECK(contains(result.err, "warning: t07: failed: "));
    CHECK(contains(result.err, "info: upgrade on 2 target(s)"));
    CHECK(contains(result.err, "1 done, 1 failed"));
    CHECK_FALSE(std::filesystem::exists(fleet.project().dir() / "tenants/t04.db"));

    const auto verify = fleet.run({"verify", "--target", "t03", "--format", "json"});
    INFO(verify.err);
    CHECK(verify.exit_code == 0);
    CHECK(json::parse(verify.out)["targets"][0]["result"]["drift"] == false);
    const auto status = fleet.run({"status", "--target", "t03"});
    CHECK(status.exit_code == 0);
    for (const auto& line : e2e::lines(status.out)) CHECK(line.starts_with("t03: "));

    const auto down = fleet.run({"downgrade", "base", "--target", "t03"});
    CHECK(down.exit_code == 0);
    CHECK(fleet.versions(3).empty());
}

TEST_CASE("fleet: on a terminal, a live table of the targets, erased at the end", "[e2e][fleet]") {
    const Fleet fleet(Backend::Sqlite);
    // Two targets: the harness reads the terminal once the command has exited, so its output must fit the
    // terminal's buffer.
    const auto result = fleet.project().run_on_terminal(
        {"upgrade", "head", "--target", "t00", "--target", "t07", "-j", "2"}, {{"TENANT_DIR", "tenants"}});
    INFO(result.err);
    CHECK(result.exit_code == 2);
    CHECK(contains(result.err, "targets: 0 done, 0 failed, 1 running, 1 pending"));
    CHECK(contains(result.err, "  t00  step 3/3\r\n"));  // the running target's row with its step
    CHECK(contains(result.err, "\x1b[J"));               // each redraw erases the table first
    CHECK(contains(result.err, "t00: done: 3 step(s)"));
    CHECK(contains(result.err, "t07: failed: "));
    CHECK(contains(result.err, ": target t07 failed: "));  // "error" is coloured on a terminal
}

TEST_CASE("fleet: check on every target answers for each, exit 1 when any needs a migration",
          "[e2e][fleet]") {
    const Fleet fleet(Backend::Sqlite);
    REQUIRE(fleet.run({"upgrade", "head", "--target", "t00", "--target", "t01"}).exit_code == 0);
    fleet.project().write("models.yaml",
                          "tables:\n"
                          "  - name: a\n    columns:\n      - {name: x, type: integer}\n"
                          "  - name: b\n    columns:\n      - {name: x, type: integer}\n"
                          "  - name: c\n    columns:\n      - {name: x, type: integer}\n");
    fleet.project().write("migrator.yaml", fleet.project().read("migrator.yaml") + "models: models.yaml\n");
    const auto clean = fleet.run({"check", "--target", "t00", "--target", "t01", "--format", "json"});
    INFO(clean.err);
    CHECK(clean.exit_code == 0);
    CHECK(json::parse(clean.out)["summary"]["done"] == 2);
    fleet.run_sql(1, "DROP TABLE c");
    const auto drift = fleet.run({"check", "--target", "t00", "--target", "t01"});
    INFO(drift.err);
    CHECK(drift.exit_code == 1);
    CHECK(contains(drift.out, "t00: No new upgrade operations detected."));
    CHECK(contains(drift.out, "t01: New upgrade operations detected:"));
    CHECK(contains(drift.err, "1 done, 1 not up to date, 0 failed"));
}
