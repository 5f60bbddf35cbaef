// `migrator test` on every backend: it passes a correct chain, names the first revision whose downgrade
// forgets a column or an index or fails, and leaves no scratch database behind, whatever the outcome.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "backend_cases.hpp"
#include "e2e_support.hpp"

using e2e::Backend;
using e2e::Project;
using Rows = std::vector<std::string>;

namespace {

const std::string r1 = "aaaaaaaaaaa1";
const std::string r2 = "bbbbbbbbbbb2";
const std::string r3 = "ccccccccccc3";

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string drop_index(Backend backend, const std::string& index, const std::string& table) {
    return backend == Backend::Mysql ? "DROP INDEX " + index + " ON " + table + ";"
                                     : "DROP INDEX " + index + ";";
}

// users, then its email column, then an index; `email_down` and `index_down` are the downgrades under test.
void add_chain(const Project& project, const std::string& email_down, const std::string& index_down) {
    project.add_script("0001_" + r1 + "_users", r1, "",
                       "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(50));", "DROP TABLE users;");
    project.add_script("0002_" + r2 + "_email", r2, r1, "ALTER TABLE users ADD COLUMN email VARCHAR(100);",
                       email_down);
    project.add_script("0003_" + r3 + "_index", r3, r2, "CREATE INDEX ix_users_name ON users (name);",
                       index_down);
}

void add_correct_chain(const Project& project) {
    add_chain(project, "ALTER TABLE users DROP COLUMN email;",
              drop_index(project.backend(), "ix_users_name", "users"));
}

// `migrator test`, on a server with --url naming the project's database (where the scratch one is created).
e2e::RunResult run_test(const Project& project, std::vector<std::string> args = {}) {
    args.insert(args.begin(), "test");
    if (project.backend() != Backend::Sqlite) {
        args.emplace_back("--url");
        args.push_back(project.url());
    }
    // The SQLite scratch directory goes into the project, where the test can see that it is gone.
    return project.run(args, {{"TMPDIR", (project.dir() / "tmp").string()}});
}

// What the run left behind: the scratch database it announced on the server, or anything in its TMPDIR.
Rows leftovers(const Project& project, const e2e::RunResult& result) {
    if (project.backend() == Backend::Sqlite) {
        Rows left;
        for (const auto& entry : std::filesystem::directory_iterator(project.dir() / "tmp"))
            left.push_back(entry.path().string());
        return left;
    }
    std::smatch match;
    REQUIRE(std::regex_search(result.err, match,
                              std::regex("scratch database (migrator_test_[0-9a-f]{12}) created")));
    const auto name = match[1].str();
    if (project.backend() == Backend::Postgresql)
        return project.query("SELECT datname FROM pg_database WHERE datname = '" + name + "'");
    return project.query("SELECT schema_name FROM information_schema.schemata WHERE schema_name = '" + name +
                         "'");
}

// The project's own database is never touched: no version table, no tables (SQLite: no file).
void configured_database_untouched(const Project& project) {
    if (project.backend() == Backend::Sqlite) {
        CHECK_FALSE(std::filesystem::exists(project.dir() / "app.db"));
    } else {
        CHECK(project.tables().empty());
    }
}

void prepare(const Project& project) {
    project.init();
    std::filesystem::create_directories(project.dir() / "tmp");
}

void passes_a_correct_chain(Backend backend) {
    Project project(backend);
    prepare(project);
    add_correct_chain(project);
    const auto result = run_test(project);
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    CHECK(contains(result.out, "OK: 3 revision(s) tested on "));
    CHECK(leftovers(project, result).empty());
    configured_database_untouched(project);

    // A range tests only its revisions; the ones below START are upgraded untested.
    const auto ranged = run_test(project, {"-r", r1 + ":" + r3, "--format", "json"});
    INFO(ranged.out << ranged.err);
    CHECK(ranged.exit_code == 0);
    const auto json = nlohmann::json::parse(ranged.out);
    CHECK(json["passed"] == true);
    CHECK(json["revisions"] == 2);
    CHECK(json["round_trips"] == 2);
    CHECK(json["end_to_end"] == true);
    CHECK(json["heads"] == nlohmann::json::array({r3}));
    CHECK(leftovers(project, ranged).empty());
}

void catches_a_forgotten_column(Backend backend) {
    Project project(backend);
    prepare(project);
    add_chain(project, "SELECT 1;", drop_index(backend, "ix_users_name", "users"));
    const auto result = run_test(project);
    INFO(result.out << result.err);
    CHECK(result.exit_code == 1);
    CHECK(contains(result.out, "FAILED: the downgrade of " + r2 + " ("));
    CHECK(contains(result.out,
                   "does not restore the schema its upgrade started from\n"
                   "To restore the schema, the downgrade would also need to:\n"
                   "  drop column users.email\n"));
    CHECK(contains(result.out, "1 of 3 revision(s) passed before the failure"));
    CHECK(leftovers(project, result).empty());
    configured_database_untouched(project);
}

void catches_a_forgotten_index(Backend backend) {
    Project project(backend);
    prepare(project);
    add_chain(project, "ALTER TABLE users DROP COLUMN email;", "SELECT 1;");
    const auto result = run_test(project, {"--format", "json"});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 1);
    const auto json = nlohmann::json::parse(result.out);
    CHECK(json["passed"] == false);
    CHECK(json["round_trips"] == 2);
    CHECK(json["failure"]["check"] == "schema_restored");
    CHECK(json["failure"]["revision"] == r3);
    REQUIRE(json["failure"]["differences"].size() == 1);
    CHECK(json["failure"]["differences"][0]["kind"] == "drop_index");
    CHECK(json["failure"]["differences"][0]["description"] == "drop index ix_users_name on users");
    CHECK(leftovers(project, result).empty());
}

void catches_a_failing_downgrade(Backend backend) {
    Project project(backend);
    prepare(project);
    add_chain(project, "DROP TABLE no_such_table;", drop_index(backend, "ix_users_name", "users"));
    const auto result = run_test(project);
    INFO(result.out << result.err);
    CHECK(result.exit_code == 1);
    CHECK(contains(result.out,
                   "FAILED: downgrade: migration 0002_" + r2 + "_email.sql (" + r2 + ") failed at line "));
    CHECK(contains(result.out, "no_such_table"));
    CHECK(leftovers(project, result).empty());
    configured_database_untouched(project);
}

// include_schemas: the round trip compares the tables of the included schemas too (PostgreSQL: the scratch
// database holds the schema the scripts create; a MySQL database is the server's, outside the scratch one).
void catches_a_forgotten_column_in_an_included_schema(Backend backend) {
    Project project(backend);
    prepare(project);
    project.add_script("0001_" + r1 + "_billing", r1, "",
                       "CREATE SCHEMA billing;\nCREATE TABLE billing.invoices (id INTEGER PRIMARY KEY);",
                       "DROP TABLE billing.invoices;\nDROP SCHEMA billing;");
    project.add_script("0002_" + r2 + "_total", r2, r1,
                       "ALTER TABLE billing.invoices ADD COLUMN IF NOT EXISTS total INTEGER;", "SELECT 1;");
    // The upgrade runs again after its downgrade without failing: only the schema comparison can see it.
    const auto unseen = run_test(project);
    INFO(unseen.out << unseen.err);
    CHECK(unseen.exit_code == 0);

    project.write("migrator.yaml", project.read("migrator.yaml") + "\ninclude_schemas: [billing]\n");
    const auto result = run_test(project);
    INFO(result.out << result.err);
    CHECK(result.exit_code == 1);
    CHECK(contains(result.out, "FAILED: the downgrade of " + r2 + " ("));
    CHECK(contains(result.out, "  drop column billing.invoices.total\n"));
    CHECK(leftovers(project, result).empty());
    configured_database_untouched(project);
}

const bool registered = e2e::register_backend_cases({
    e2e::make_case<passes_a_correct_chain>(
        "migrator test passes a chain whose downgrades undo their upgrades, in a scratch database it removes",
        "[test]"),
    e2e::make_case<catches_a_forgotten_column>(
        "migrator test names the revision whose downgrade forgets a column, in check's words", "[test]"),
    e2e::make_case<catches_a_forgotten_index>(
        "migrator test names the revision whose downgrade forgets an index", "[test]"),
    e2e::make_case<catches_a_failing_downgrade>(
        "migrator test reports a failing downgrade and still removes its scratch database", "[test]"),
    {"migrator test compares the tables of the schemas include_schemas names", "[test][schemas]", nullptr,
     &e2e::on_backend<Backend::Postgresql, catches_a_forgotten_column_in_an_included_schema>, nullptr},
});

}  // namespace

TEST_CASE("migrator test refuses several heads unless --allow-multiple-heads", "[e2e][test]") {
    Project project(Backend::Sqlite);
    prepare(project);
    add_correct_chain(project);
    project.add_script("0004_ddddddddddd4_side", "ddddddddddd4", r1, "CREATE TABLE side (id INTEGER);",
                       "DROP TABLE side;");
    const auto refused = run_test(project);
    INFO(refused.out << refused.err);
    CHECK(refused.exit_code == 1);
    CHECK(contains(refused.out, "FAILED: the scripts have 2 heads ("));
    CHECK(contains(refused.out, "--allow-multiple-heads"));
    // Nothing was created for a test that could not pass.
    CHECK(leftovers(project, refused).empty());

    const auto allowed = run_test(project, {"--allow-multiple-heads"});
    INFO(allowed.out << allowed.err);
    CHECK(allowed.exit_code == 0);
    CHECK(contains(allowed.out, "OK: 4 revision(s) tested"));
}

TEST_CASE("migrator test fails on a script that does not parse before it runs anything", "[e2e][test]") {
    Project project(Backend::Sqlite);
    prepare(project);
    add_chain(project, "ALTER TABLE users DROP COLUMN email;", "DROP INDEX ix_users_name; /* unterminated");
    const auto result = run_test(project, {"--format", "json"});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 1);
    const auto json = nlohmann::json::parse(result.out);
    CHECK(json["failure"]["check"] == "scripts");
    CHECK(contains(json["failure"]["message"].get<std::string>(), "0003_" + r3 + "_index.sql:"));
    CHECK(json["round_trips"] == 0);
}
