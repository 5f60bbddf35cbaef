// `migrator lint` on real scripts: every rule fires on a script that breaks it and stays silent on the safe
// rewrite, on each backend; inline ignores, config levels, github annotations, and the unapplied default.
#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "backend_cases.hpp"
#include "e2e_support.hpp"

using e2e::Backend;
using e2e::Project;
using json = nlohmann::json;

namespace {

struct Script {
    const char* rule;  // the rule a risky script must trigger; empty for a safe one
    std::string upgrade;
    std::string downgrade;
    bool outside_transaction = false;
};

const std::string base_revision = "a00000000000";

// A base revision with the tables the other scripts change, then one script per entry on a chain.
void write_chain(const Project& project, const std::vector<Script>& scripts) {
    project.add_script("0000_base", base_revision, "",
                       "CREATE TABLE users (id INT, name VARCHAR(20), email VARCHAR(20), age INT);\n"
                       "CREATE TABLE orders (id INT, user_id INT, n INT);",
                       "DROP TABLE orders;\nDROP TABLE users;");
    std::string parent = base_revision;
    for (std::size_t k = 0; k < scripts.size(); ++k) {
        const auto revision = fmt::format("b{:011d}", k + 1);
        const auto name = fmt::format("{:04d}_{}", k + 1, revision);
        project.write(
            fmt::format("migrations/versions/{}.sql", name),
            fmt::format("-- revision: {}\n-- down_revision: {}\n\n-- migrate:upgrade{}\n{}\n\n"
                        "-- migrate:downgrade\n{}\n",
                        revision, parent, scripts[k].outside_transaction ? " transaction=false" : "",
                        scripts[k].upgrade, scripts[k].downgrade));
        parent = revision;
    }
}

std::vector<Script> risky_scripts(Backend backend) {
    std::vector<Script> scripts{
        {"drop-table", "DROP TABLE orders;", "CREATE TABLE orders (id INT);"},
        {"drop-column", "ALTER TABLE users DROP COLUMN email;",
         "ALTER TABLE users ADD COLUMN email VARCHAR(20);"},
        {"delete-without-where", "DELETE FROM orders;", "SELECT 1;"},
        {"update-without-where", "UPDATE users SET name = 'x';", "SELECT 1;"},
        {"rename-table", "ALTER TABLE orders RENAME TO purchases;",
         "ALTER TABLE purchases RENAME TO orders;"},
        {"rename-column", "ALTER TABLE users RENAME COLUMN name TO full_name;",
         "ALTER TABLE users RENAME COLUMN full_name TO name;"},
        {"empty-upgrade", "-- write the upgrade SQL here", "-- write the downgrade SQL here"},
        {"missing-downgrade", "CREATE TABLE t1 (id INT);", "-- write the downgrade SQL here"},
        {"downgrade-not-reversed", "CREATE TABLE t2 (id INT);", "SELECT 1;"},
    };
    if (backend != Backend::Sqlite) {
        scripts.push_back({"truncate", "TRUNCATE TABLE orders;", "SELECT 1;"});
        scripts.push_back({"drop-schema", "DROP SCHEMA reporting;", "CREATE SCHEMA reporting;"});
        scripts.push_back({"drop-database", "DROP DATABASE reporting;", "CREATE DATABASE reporting;"});
    }
    if (backend == Backend::Postgresql) {
        scripts.push_back(
            {"pg-index-not-concurrent", "CREATE INDEX ix_email ON users (email);", "DROP INDEX ix_email;"});
        scripts.push_back({"pg-concurrent-index-in-transaction",
                           "CREATE INDEX CONCURRENTLY ix_name ON users (name);", "DROP INDEX ix_name;"});
        scripts.push_back({"pg-add-column-not-null", "ALTER TABLE users ADD COLUMN score int NOT NULL;",
                           "ALTER TABLE users DROP COLUMN score;"});
        scripts.push_back({"pg-alter-column-type", "ALTER TABLE users ALTER COLUMN age TYPE bigint;",
                           "ALTER TABLE users ALTER COLUMN age TYPE int;"});
        scripts.push_back({"pg-set-not-null", "ALTER TABLE users ALTER COLUMN age SET NOT NULL;",
                           "ALTER TABLE users ALTER COLUMN age DROP NOT NULL;"});
        scripts.push_back({"pg-constraint-not-valid", "ALTER TABLE orders ADD CONSTRAINT pos CHECK (n > 0);",
                           "ALTER TABLE orders DROP CONSTRAINT pos;"});
        scripts.push_back({"pg-volatile-default",
                           "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();",
                           "ALTER TABLE users DROP COLUMN token;"});
    }
    if (backend == Backend::Mysql) {
        scripts.push_back({"mysql-mixed-ddl-dml",
                           "CREATE TABLE plans (id INT);\nINSERT INTO plans VALUES (1);",
                           "DROP TABLE plans;"});
        scripts.push_back(
            {"mysql-backslash-escape", "UPDATE users SET name = 'it\\'s' WHERE id = 1;", "SELECT 1;"});
    }
    return scripts;
}

std::vector<Script> safe_scripts(Backend backend) {
    std::vector<Script> scripts{
        {"", "-- lint:ignore drop-table orders moved to the archive service\nDROP TABLE orders;",
         "CREATE TABLE orders (id INT, user_id INT, n INT);"},
        {"", "DELETE FROM users WHERE id = 1;", "SELECT 1;"},
        {"", "UPDATE users SET name = 'x' WHERE id = 1;", "SELECT 1;"},
        {"", "ALTER TABLE users ADD COLUMN nick VARCHAR(20);", "ALTER TABLE users DROP COLUMN nick;"},
        {"", "CREATE TABLE t1 (id INT);", "DROP TABLE t1;"},
        {"", "SELECT 1;", "-- lint:ignore missing-downgrade nothing to undo\n"},
    };
    if (backend == Backend::Postgresql) {
        scripts.push_back(
            {"", "CREATE INDEX CONCURRENTLY ix_email ON users (email);", "DROP INDEX ix_email;", true});
        scripts.push_back({"", "ALTER TABLE users ADD COLUMN score int NOT NULL DEFAULT 0;",
                           "ALTER TABLE users DROP COLUMN score;"});
        scripts.push_back({"", "ALTER TABLE users ADD CONSTRAINT age_nn CHECK (age IS NOT NULL) NOT VALID;",
                           "ALTER TABLE users DROP CONSTRAINT age_nn;"});
        scripts.push_back({"", "ALTER TABLE users ADD COLUMN created timestamptz DEFAULT now();",
                           "ALTER TABLE users DROP COLUMN created;"});
        scripts.push_back(
            {"", "CREATE TABLE t2 (id int);\nCREATE INDEX ix_t2 ON t2 (id);", "DROP TABLE t2;"});
    }
    if (backend == Backend::Mysql) {
        scripts.push_back(
            {"", "INSERT INTO users (id, name) VALUES (2, 'it''s');", "DELETE FROM users WHERE id = 2;"});
    }
    return scripts;
}

json lint_json(const Project& project, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"lint", "--all", "--format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto result = project.run(args);
    INFO(result.out << result.err);
    REQUIRE(result.err.empty());
    return json::parse(result.out);
}

void every_rule_fires_on_a_risky_script(Backend backend) {
    Project project(backend);
    project.init();
    const auto scripts = risky_scripts(backend);
    write_chain(project, scripts);
    const auto result = project.run({"lint", "--all", "--format", "json"});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 1);
    const auto document = json::parse(result.out);
    std::map<std::string, std::set<std::string>> rules_by_path;
    for (const auto& finding : document["findings"]) {
        rules_by_path[finding["path"].get<std::string>()].insert(finding["rule"].get<std::string>());
    }
    for (std::size_t k = 0; k < scripts.size(); ++k) {
        const auto path = fmt::format("migrations/versions/{:04d}_b{:011d}.sql", k + 1, k + 1);
        INFO(scripts[k].rule << " in " << path);
        CHECK(rules_by_path[path].contains(scripts[k].rule));
    }
    CHECK(document["scripts"] == scripts.size() + 1);
}

void the_safe_rewrites_are_silent(Backend backend) {
    Project project(backend);
    project.init();
    write_chain(project, safe_scripts(backend));
    const auto result = project.run({"lint", "--all"});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out.ends_with("No findings in " + std::to_string(safe_scripts(backend).size() + 1) +
                               " scripts.\n"));
    // The safe chain is also SQL the database accepts.
    const auto upgrade = project.run({"upgrade", "head"});
    INFO(upgrade.err);
    CHECK(upgrade.exit_code == 0);
}

void config_levels_and_github_annotations(Backend backend) {
    Project project(backend);
    project.init();
    write_chain(project, {{"rename-column", "ALTER TABLE users RENAME COLUMN name TO full_name;",
                           "ALTER TABLE users RENAME COLUMN full_name TO name;"},
                          {"drop-column", "ALTER TABLE users DROP COLUMN email;",
                           "ALTER TABLE users ADD COLUMN email VARCHAR(20);"}});
    // Defaults: drop-column is an error, rename-column a warning.
    const auto github = project.run({"lint", "--all", "--format", "github"});
    INFO(github.out << github.err);
    CHECK(github.exit_code == 1);
    const auto annotations = e2e::lines(github.out);
    REQUIRE(annotations.size() == 2);
    CHECK(annotations[0].starts_with(
        "::warning file=migrations/versions/0001_b00000000001.sql,line=5,"
        "title=migrator lint rename-column::renames column users.name to full_name%0AWhy: "));
    CHECK(
        annotations[1].starts_with("::error file=migrations/versions/0002_b00000000002.sql,line=5,"
                                   "title=migrator lint drop-column::drops column users.email%0AWhy: "));
    for (const auto& line : annotations) CHECK(line.find('\r') == std::string::npos);

    project.write("migrator.yaml",
                  project.read("migrator.yaml") + "\nlint:\n  drop-column: off\n  rename-column: error\n");
    const auto configured = lint_json(project);
    REQUIRE(configured["findings"].size() == 1);
    CHECK(configured["findings"][0]["rule"] == "rename-column");
    CHECK(configured["findings"][0]["severity"] == "error");
    CHECK(project.run({"lint", "--all"}).exit_code == 1);

    project.write("migrator.yaml", project.read("migrator.yaml") + "  drop-colum: off\n");
    const auto unknown = project.run({"lint", "--all"});
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("'lint.drop-colum' is not a lint rule (did you mean 'drop-column'?)") !=
          std::string::npos);
    CHECK(e2e::lines(unknown.err).size() == 1);
}

void ignore_needs_a_reason(Backend backend) {
    Project project(backend);
    project.init();
    write_chain(project,
                {{"", "-- lint:ignore drop-table\nDROP TABLE orders;", "CREATE TABLE orders (id INT);"}});
    const auto result = project.run({"lint", "--all"});
    CHECK(result.exit_code == 2);
    CHECK(result.err ==
          "error: migrations/versions/0001_b00000000001.sql:5: lint:ignore drop-table needs a reason "
          "after the rule id\n");
}

void default_lints_only_unapplied_scripts(Backend backend) {
    Project project(backend);
    project.init();
    write_chain(project, {{"drop-column", "ALTER TABLE users DROP COLUMN email;",
                           "ALTER TABLE users ADD COLUMN email VARCHAR(20);"}});
    const auto before = lint_json(project, {});
    CHECK(before["scripts"] == 2);
    const auto pending = project.run({"lint", "--format", "json"});
    CHECK(json::parse(pending.out)["scripts"] == 2);
    CHECK(pending.exit_code == 1);
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    const auto after = project.run({"lint"});
    INFO(after.err);
    CHECK(after.exit_code == 0);
    CHECK(after.out == "No findings in 0 scripts.\n");
    const auto both = project.run({"lint", "--all", "b00000000001"});
    CHECK(both.exit_code == 64);
    CHECK(both.err == "error: lint takes revisions, -r START:END or --all, only one of them\n");
    const auto one = project.run({"lint", "b00000000001", "--format", "json"});
    CHECK(json::parse(one.out)["findings"][0]["rule"] == "drop-column");
}

const bool registered = e2e::register_backend_cases({
    e2e::make_case<every_rule_fires_on_a_risky_script>("lint: every rule fires on a script that breaks it",
                                                       "[lint]"),
    e2e::make_case<the_safe_rewrites_are_silent>("lint: the safe rewrites are silent", "[lint]"),
    e2e::make_case<config_levels_and_github_annotations>("lint: config levels and github annotations",
                                                         "[lint]"),
    e2e::make_case<ignore_needs_a_reason>("lint: lint:ignore needs a reason", "[lint]"),
    e2e::make_case<default_lints_only_unapplied_scripts>("lint: by default only unapplied scripts", "[lint]"),
});

}  // namespace

TEST_CASE("revision --autogenerate prints the lint findings of the script it writes", "[e2e][lint]") {
    Project project;
    project.init();
    project.write(
        "models.yaml",
        "tables:\n  - name: users\n    columns:\n      - {name: id, type: integer, primary_key: true}\n");
    project.write("migrator.yaml", project.read("migrator.yaml") + "\nmodels: models.yaml\n");
    project.add_script("0001_base", base_revision, "",
                       "CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(20));",
                       "DROP TABLE users;");
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    const auto result = project.run({"revision", "--autogenerate", "-m", "drop email"});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("Lint findings in the new script") != std::string::npos);
    CHECK(result.out.find("error [drop-column] drops column users.email") != std::string::npos);
}
