// Issue 18: object kinds beyond tables, compared and generated in both directions on every backend that
// has them: views (and PostgreSQL's materialized views), triggers, functions and procedures, PostgreSQL's
// serial columns, partial and expression indexes (and PostgreSQL's index methods and INCLUDE columns).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "backend_cases.hpp"
#include "e2e_support.hpp"

using e2e::Backend;
using e2e::contains;
using e2e::lines;
using e2e::make_case;
using e2e::Project;
using e2e::require_clean_check;
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

// The triggers of the project's database, sorted.
Rows trigger_names(const Project& project) {
    switch (project.backend()) {
        case Backend::Sqlite:
            return project.query("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name");
        case Backend::Postgresql:
            return project.query(
                "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n "
                "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND NOT t.tgisinternal "
                "ORDER BY t.tgname");
        case Backend::Mysql:
            return project.query(
                "SELECT trigger_name FROM information_schema.triggers WHERE trigger_schema = DATABASE() "
                "ORDER BY trigger_name");
    }
    return {};
}

// A table with a trigger that records each insert into another, written as each database's users write
// it: SQLite's BEGIN ... END, a plpgsql function with a $$ body (and a procedure), DELIMITER for MySQL
// (with a function). `offset` is added to the recorded id, `label_length` sizes a column.
std::string trigger_schema(Backend backend, int offset, int label_length) {
    auto tables = "CREATE TABLE counters (id INTEGER NOT NULL PRIMARY KEY, label VARCHAR(" +
                  std::to_string(label_length) +
                  "));\n"
                  "CREATE TABLE audit (counter_id INTEGER NOT NULL);\n";
    const auto value = "NEW.id + " + std::to_string(offset);
    switch (backend) {
        case Backend::Sqlite:
            return tables +
                   "CREATE TRIGGER counters_audit AFTER INSERT ON counters\nBEGIN\n"
                   "    INSERT INTO audit (counter_id) VALUES (" +
                   value + ");\nEND;\n";
        case Backend::Postgresql:
            return tables +
                   "CREATE FUNCTION record_counter() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
                   "    INSERT INTO audit (counter_id) VALUES (" +
                   value +
                   ");\n    RETURN NEW;\nEND;\n$$;\n"
                   "CREATE TRIGGER counters_audit AFTER INSERT ON counters FOR EACH ROW EXECUTE FUNCTION "
                   "record_counter();\n"
                   "CREATE PROCEDURE clear_audit() LANGUAGE sql AS $$ DELETE FROM audit $$;\n";
        case Backend::Mysql:
            return tables +
                   "DELIMITER //\nCREATE TRIGGER counters_audit AFTER INSERT ON counters FOR EACH "
                   "ROW\nBEGIN\n"
                   "    INSERT INTO audit (counter_id) VALUES (" +
                   value +
                   ");\nEND//\n"
                   "CREATE FUNCTION double_it(x INT) RETURNS INT DETERMINISTIC\nBEGIN\n    RETURN x * "
                   "2;\nEND//\n"
                   "DELIMITER ;\n";
    }
    return tables;
}

// Triggers and routines come after their tables (a trigger after its function) and go before them; a
// changed routine takes its trigger with it, a table change keeps the trigger working (SQLite rebuilds
// the table, which drops its triggers), and check is clean after each step.
void triggers_and_routines_round_trip(Backend backend) {
    Project project(backend);
    project.init();
    use_models(project, "schema.sql");
    project.write("schema.sql", trigger_schema(backend, 0, 20));
    const auto first = autogenerate(project, "counters with an audit trigger");
    INFO(first);
    CHECK(in_order(upgrade_section(first), "CREATE TABLE", "CREATE TRIGGER"));
    CHECK(in_order(downgrade_section(first), "DROP TRIGGER", "DROP TABLE"));
    if (backend == Backend::Postgresql) {
        CHECK(in_order(upgrade_section(first), "FUNCTION record_counter()", "CREATE TRIGGER"));
        CHECK(in_order(upgrade_section(first), "CREATE TABLE", "PROCEDURE clear_audit()"));
        CHECK(in_order(downgrade_section(first), "DROP TRIGGER", "DROP FUNCTION \"record_counter\"()"));
        CHECK(in_order(downgrade_section(first), "DROP PROCEDURE \"clear_audit\"()", "DROP TABLE"));
    }
    if (backend == Backend::Mysql) {
        CHECK_FALSE(contains(first, "DELIMITER"));
        CHECK_FALSE(contains(first, "DEFINER"));
        CHECK(in_order(upgrade_section(first), "CREATE TABLE", "FUNCTION `double_it`"));
        CHECK(contains(downgrade_section(first), "DROP FUNCTION `double_it`"));
    }
    const auto upgraded = project.run({"upgrade", "head"});
    INFO(upgraded.err);
    REQUIRE(upgraded.exit_code == 0);
    CHECK(trigger_names(project) == Rows{"counters_audit"});
    require_clean_check(project, "after creating the trigger");
    project.execute("INSERT INTO counters (id, label) VALUES (1, 'one')");
    CHECK(project.query("SELECT counter_id FROM audit") == Rows{"1"});

    // A wider column under the trigger; MariaDB: a new body for the trigger, PostgreSQL: for its function.
    // SQLite keeps the trigger as it is: its table's rebuild alone must bring it back.
    const int offset = backend == Backend::Sqlite ? 0 : 1000;
    project.write("schema.sql", trigger_schema(backend, offset, 50));
    const auto pending = project.run({"check"});
    INFO(pending.out << pending.err);
    CHECK(pending.exit_code == 1);
    CHECK(in_order(pending.out, "drop trigger counters_audit on counters",
                   "create trigger counters_audit on counters"));
    if (backend == Backend::Postgresql) {
        CHECK(in_order(pending.out, "drop function record_counter", "create function record_counter"));
    }
    autogenerate(project, "audit with an offset, longer labels");
    const auto second = project.run({"upgrade", "head"});
    INFO(second.err);
    REQUIRE(second.exit_code == 0);
    require_clean_check(project, "after the change");
    project.execute("INSERT INTO counters (id, label) VALUES (2, 'two')");
    const auto recorded = std::to_string(2 + offset);
    CHECK(e2e::sorted(project.query("SELECT counter_id FROM audit")) == e2e::sorted({"1", recorded}));

    const auto back = project.run({"downgrade", "-1"});
    INFO(back.err);
    REQUIRE(back.exit_code == 0);
    project.execute("INSERT INTO counters (id, label) VALUES (3, 'three')");
    CHECK(e2e::sorted(project.query("SELECT counter_id FROM audit")) == e2e::sorted({"1", recorded, "3"}));
    const auto base = project.run({"downgrade", "base"});
    INFO(base.err);
    REQUIRE(base.exit_code == 0);
    CHECK(trigger_names(project).empty());
}

// Issue 18: bigserial and serial come back as such (an owned sequence behind a nextval default), not as
// identity columns, so that the migrated database matches the file loaded by psql.
void postgresql_serial_kept(Backend backend) {
    Project project(backend);
    project.init();
    use_models(project, "schema.sql");
    project.write("schema.sql",
                  "CREATE TABLE events (id bigserial PRIMARY KEY, seq serial NOT NULL, note text);\n");
    const auto first = autogenerate(project, "events");
    INFO(first);
    CHECK(contains(upgrade_section(first), "\"id\" BIGSERIAL NOT NULL"));
    CHECK(contains(upgrade_section(first), "\"seq\" SERIAL NOT NULL"));
    CHECK_FALSE(contains(first, "IDENTITY"));
    const auto upgraded = project.run({"upgrade", "head"});
    INFO(upgraded.err);
    REQUIRE(upgraded.exit_code == 0);
    CHECK(project.query(
              "SELECT a.attname, a.attidentity = '', pg_get_serial_sequence('events', a.attname) "
              "FROM pg_attribute a WHERE a.attrelid = 'events'::regclass AND a.attname IN ('id', 'seq') "
              "ORDER BY a.attnum") == Rows{"id|t|public.events_id_seq", "seq|t|public.events_seq_seq"});
    require_clean_check(project, "after creating serial columns");
    project.execute("INSERT INTO events (note) VALUES ('a'), ('b')");
    CHECK(project.query("SELECT id, seq FROM events ORDER BY id") == Rows{"1|1", "2|2"});

    // No longer serial: the default and the sequence go, and come back on downgrade.
    project.write("schema.sql",
                  "CREATE TABLE events (id bigserial PRIMARY KEY, seq integer NOT NULL, note text);\n");
    autogenerate(project, "seq set by hand");
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    require_clean_check(project, "after dropping the serial");
    CHECK(project.query("SELECT count(*) FROM pg_class WHERE relname = 'events_seq_seq'") == Rows{"0"});
    const auto back = project.run({"downgrade", "-1"});
    INFO(back.err);
    REQUIRE(back.exit_code == 0);
    project.execute("INSERT INTO events (note) VALUES ('c')");
    CHECK(project.query("SELECT seq FROM events WHERE note = 'c'") == Rows{"1"});
}

std::string index_schema(Backend backend, const std::string& predicate) {
    std::string schema =
        "CREATE TABLE users (id INTEGER NOT NULL PRIMARY KEY, email VARCHAR(100), active INTEGER NOT NULL);\n"
        "CREATE INDEX ix_users_lower_email ON users (lower(email));\n"
        "CREATE INDEX ix_users_active ON users (email) WHERE " +
        predicate + ";\n";
    if (backend == Backend::Postgresql) {
        schema +=
            "CREATE INDEX ix_users_hash ON users USING hash (email);\n"
            "CREATE UNIQUE INDEX ix_users_cover ON users (id) INCLUDE (email);\n";
    }
    return schema;
}

Rows index_names(const Project& project) {
    if (project.backend() == Backend::Sqlite) {
        return project.query(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%' ORDER BY name");
    }
    return project.query(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'users' AND indexname LIKE 'ix_%' "
        "ORDER BY indexname");
}

// Partial and expression indexes are compared by the CREATE INDEX the database prints, and generated as such.
void partial_and_expression_indexes(Backend backend) {
    Project project(backend);
    project.init();
    use_models(project, "schema.sql");
    project.write("schema.sql", index_schema(backend, "active = 1"));
    const auto first = autogenerate(project, "users with indexes");
    INFO(first);
    CHECK(in_order(upgrade_section(first), "CREATE TABLE", "lower("));
    CHECK(contains(upgrade_section(first), "WHERE"));
    if (backend == Backend::Postgresql) {
        CHECK(contains(upgrade_section(first), "USING hash"));
        CHECK(contains(upgrade_section(first), "INCLUDE (email)"));
        CHECK_FALSE(contains(first, "migrator_scratch"));
    }
    const auto upgraded = project.run({"upgrade", "head"});
    INFO(upgraded.err);
    REQUIRE(upgraded.exit_code == 0);
    const Rows all = backend == Backend::Postgresql
                         ? Rows{"ix_users_active", "ix_users_cover", "ix_users_hash", "ix_users_lower_email"}
                         : Rows{"ix_users_active", "ix_users_lower_email"};
    CHECK(index_names(project) == all);
    require_clean_check(project, "after creating the indexes");

    project.write("schema.sql", index_schema(backend, "active = 0"));
    const auto pending = project.run({"check"});
    INFO(pending.out << pending.err);
    CHECK(pending.exit_code == 1);
    CHECK(in_order(pending.out, "drop index ix_users_active", "create index ix_users_active"));
    autogenerate(project, "inactive users");
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    require_clean_check(project, "after the new predicate");
    REQUIRE(project.run({"downgrade", "base"}).exit_code == 0);
    CHECK(index_names(project).empty());
}

const bool registered = e2e::register_backend_cases({
    make_case<views_round_trip>("views are compared and generated: created after their tables, recreated "
                                "around a change, dropped before them",
                                "[autogenerate][views]"),
    make_case<yaml_models_leave_views_alone>("a model file leaves the database's views alone, named as not "
                                             "compared",
                                             "[autogenerate][views]"),
    make_case<triggers_and_routines_round_trip>(
        "triggers, functions and procedures are compared and generated, ordered around their tables",
        "[autogenerate][triggers]"),
    {"PostgreSQL serial and bigserial columns are kept as such", "[autogenerate][serial]", nullptr,
     &e2e::on_backend<Backend::Postgresql, postgresql_serial_kept>, nullptr},
    {"partial and expression indexes are compared and generated (PostgreSQL: also methods and INCLUDE)",
     "[autogenerate][indexes]", &e2e::on_backend<Backend::Sqlite, partial_and_expression_indexes>,
     &e2e::on_backend<Backend::Postgresql, partial_and_expression_indexes>, nullptr},
});

}  // namespace
