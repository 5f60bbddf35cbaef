// Issue 18: object kinds beyond tables, compared and generated in both directions on every backend that
// has them: views (and PostgreSQL's materialized views).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "backend_cases.hpp"
#include "e2e_support.hpp"

using e2e::Backend;
using e2e::lines;
using e2e::make_case;
using e2e::Project;
using Rows = std::vector<std::string>;

namespace {

void use_models(const Project& project, const std::string& models_file) {
    project.write("migrator.yaml", project.read("migrator.yaml") + "\nmodels: " + models_file + "\n");
}

std::string autogenerate(const Project& project, const std::string& message) {
    const auto result = project.run({"revision", "--autogenerate", "-m", message});
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    return project.read(e2e::generated_path(result).lexically_relative(project.dir()));
}

std::string upgrade_section(const std::string& script) {
    const auto start = script.find("-- migrate:upgrade");
    return script.substr(start, script.find("-- migrate:downgrade") - start);
}

std::string downgrade_section(const std::string& script) {
    return script.substr(script.find("-- migrate:downgrade"));
}

void require_clean_check(const Project& project, const std::string& when) {
    INFO("check " << when);
    const auto check = project.run({"check"});
    INFO(check.out << check.err);
    REQUIRE(check.exit_code == 0);
    CHECK(lines(check.out) == Rows{"No new upgrade operations detected."});
}

// Whether `first` occurs in `text` and `second` after it.
bool in_order(const std::string& text, const std::string& first, const std::string& second) {
    const auto at = text.find(first);
    return at != std::string::npos && text.find(second, at + first.size()) != std::string::npos;
}

// The views of the project's database, sorted.
Rows view_names(const Project& project) {
    switch (project.backend()) {
        case Backend::Sqlite:
            return project.query("SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name");
        case Backend::Postgresql:
            return project.query(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind IN ('v', 'm') ORDER BY c.relname");
        case Backend::Mysql:
            return project.query(
                "SELECT table_name FROM information_schema.views WHERE table_schema = DATABASE() "
                "ORDER BY table_name");
    }
    return {};
}

std::string view_schema(Backend backend, const std::string& threshold, const std::string& hits_type) {
    std::string schema = "CREATE TABLE counters (id INTEGER NOT NULL PRIMARY KEY, hits " + hits_type +
                         " NOT NULL);\n"
                         "CREATE VIEW busy_counters AS SELECT id, hits FROM counters WHERE hits > " +
                         threshold +
                         ";\n"
                         "CREATE VIEW very_busy AS SELECT id FROM busy_counters WHERE hits > 100;\n";
    if (backend == Backend::Postgresql) {
        schema += "CREATE MATERIALIZED VIEW counter_totals AS SELECT count(*) AS n FROM counters;\n";
    }
    return schema;
}

// Views come after their tables and before the views on them, go in the reverse order, are recreated
// when their query changes and around a change to a table they use, and check is clean after each step.
void views_round_trip(Backend backend) {
    Project project(backend);
    project.init();
    use_models(project, "schema.sql");
    project.write("schema.sql", view_schema(backend, "10", "INTEGER"));
    const auto first = autogenerate(project, "counters and views");
    const auto q = [&](const std::string& name) {
        return backend == Backend::Mysql ? "`" + name + "`" : '"' + name + '"';
    };
    INFO(first);
    CHECK(in_order(upgrade_section(first), "CREATE TABLE " + q("counters"),
                   "CREATE VIEW " + q("busy_counters")));
    CHECK(in_order(upgrade_section(first), "CREATE VIEW " + q("busy_counters"),
                   "CREATE VIEW " + q("very_busy")));
    CHECK(
        in_order(downgrade_section(first), "DROP VIEW " + q("very_busy"), "DROP VIEW " + q("busy_counters")));
    CHECK(
        in_order(downgrade_section(first), "DROP VIEW " + q("busy_counters"), "DROP TABLE " + q("counters")));
    if (backend == Backend::Postgresql) {
        CHECK(
            in_order(upgrade_section(first), "CREATE TABLE", "CREATE MATERIALIZED VIEW \"counter_totals\""));
        CHECK(in_order(downgrade_section(first), "DROP MATERIALIZED VIEW \"counter_totals\"", "DROP TABLE"));
    }
    const auto upgraded = project.run({"upgrade", "head"});
    INFO(upgraded.err);
    REQUIRE(upgraded.exit_code == 0);
    const Rows all_views = backend == Backend::Postgresql
                               ? Rows{"busy_counters", "counter_totals", "very_busy"}
                               : Rows{"busy_counters", "very_busy"};
    CHECK(view_names(project) == all_views);
    require_clean_check(project, "after creating the views");
    project.execute("INSERT INTO counters (id, hits) VALUES (1, 500), (2, 7)");
    CHECK(project.query("SELECT id FROM very_busy") == Rows{"1"});

    // A new query for busy_counters and a wider column under both views.
    project.write("schema.sql", view_schema(backend, "5", "BIGINT"));
    const auto pending = project.run({"check"});
    INFO(pending.out << pending.err);
    CHECK(pending.exit_code == 1);
    CHECK(in_order(pending.out, "drop view very_busy", "drop view busy_counters"));
    CHECK(in_order(pending.out, "drop view busy_counters", "alter column counters.hits"));
    CHECK(in_order(pending.out, "alter column counters.hits", "create view busy_counters"));
    CHECK(in_order(pending.out, "create view busy_counters", "create view very_busy"));
    if (backend == Backend::Postgresql) {
        CHECK(in_order(pending.out, "drop materialized view counter_totals", "alter column counters.hits"));
    }
    autogenerate(project, "wider hits, busier threshold");
    const auto second = project.run({"upgrade", "head"});
    INFO(second.err);
    REQUIRE(second.exit_code == 0);
    require_clean_check(project, "after the change");
    CHECK(e2e::sorted(project.query("SELECT id FROM busy_counters")) == Rows{"1", "2"});
    CHECK(project.query("SELECT id FROM very_busy") == Rows{"1"});

    const auto back = project.run({"downgrade", "-1"});
    INFO(back.err);
    REQUIRE(back.exit_code == 0);
    CHECK(project.query("SELECT id FROM busy_counters") == Rows{"1"});
    CHECK(view_names(project) == all_views);
    const auto base = project.run({"downgrade", "base"});
    INFO(base.err);
    REQUIRE(base.exit_code == 0);
    CHECK(view_names(project).empty());
}

// A model file declares no views: the database's are named as not compared, never dropped.
void yaml_models_leave_views_alone(Backend backend) {
    Project project(backend);
    project.init();
    use_models(project, "models.yaml");
    project.write("models.yaml", R"yaml(tables:
  - name: users
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: name, type: string(50)}
)yaml");
    autogenerate(project, "users");
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    project.execute("CREATE VIEW named_users AS SELECT name FROM users");
    const auto check = project.run({"check"});
    INFO(check.out << check.err);
    CHECK(check.exit_code == 1);
    CHECK(lines(check.out) == Rows{"No new upgrade operations detected in the objects compared.",
                                   "not compared: 1 view (named_users)"});
}

const bool registered = e2e::register_backend_cases({
    make_case<views_round_trip>("views are compared and generated: created after their tables, recreated "
                                "around a change, dropped before them",
                                "[autogenerate][views]"),
    make_case<yaml_models_leave_views_alone>("a model file leaves the database's views alone, named as not "
                                             "compared",
                                             "[autogenerate][views]"),
});

}  // namespace
