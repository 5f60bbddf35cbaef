// Issue 18: include_schemas. Tables of a schema besides the default one (a database on MySQL) are compared
// and generated in both directions, with foreign keys across the two; what else that schema holds is named
// as not compared; and the setting is refused where it cannot work.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "backend_cases.hpp"
#include "e2e_support.hpp"

using e2e::Backend;
using e2e::contains;
using e2e::lines;
using e2e::Project;
using e2e::require_clean_check;
using Rows = std::vector<std::string>;

namespace {

// The other schema, made for one project and dropped with it: on MySQL a database of the server beside the
// project's, so it carries the project's database name.
class OtherSchema {
public:
    explicit OtherSchema(const Project& project)
        : project_(project),
          name_(project.backend() == Backend::Mysql ? project.database() + "_billing" : "billing") {
        project_.execute(create_statement());
    }
    ~OtherSchema() {
        try {
            project_.execute(project_.backend() == Backend::Mysql ? "DROP DATABASE IF EXISTS `" + name_ + "`"
                                                                  : "DROP SCHEMA IF EXISTS billing CASCADE");
        } catch (...) {  // NOLINT(bugprone-empty-catch): the server drops it with the project's database
        }
    }
    OtherSchema(const OtherSchema&) = delete;
    OtherSchema& operator=(const OtherSchema&) = delete;

    [[nodiscard]] const std::string& name() const { return name_; }

    // `name` quoted as the backend quotes it, qualified with this schema.
    [[nodiscard]] std::string qualified(const std::string& table) const {
        return quoted(name_) + "." + quoted(table);
    }

    [[nodiscard]] std::string quoted(const std::string& name) const {
        return project_.backend() == Backend::Mysql ? "`" + name + "`" : "\"" + name + "\"";
    }

    // Each column of the schema's tables with its type and default, then each index, sorted.
    [[nodiscard]] Rows catalog() const {
        Rows rows = project_.query(
            "SELECT concat(table_name, '.', column_name, ' ', data_type, ' ', is_nullable, ' ', "
            "coalesce(column_default, '-')) FROM information_schema.columns WHERE table_schema = '" +
            name_ + "' ORDER BY 1");
        const Rows indexes = project_.query(
            project_.backend() == Backend::Mysql
                ? "SELECT DISTINCT concat(table_name, ' index ', index_name) FROM "
                  "information_schema.statistics "
                  "WHERE table_schema = '" +
                      name_ + "' ORDER BY 1"
                : "SELECT tablename || ' index ' || indexname FROM pg_indexes WHERE schemaname = '" + name_ +
                      "' ORDER BY 1");
        rows.insert(rows.end(), indexes.begin(), indexes.end());
        return rows;
    }

private:
    [[nodiscard]] std::string create_statement() const {
        return project_.backend() == Backend::Mysql ? "CREATE DATABASE `" + name_ + "`"
                                                    : "CREATE SCHEMA billing";
    }

    const Project& project_;
    std::string name_;
};

std::string first_models(const std::string& other) {
    return "tables:\n"
           "  - name: users\n"
           "    columns:\n"
           "      - {name: id, type: integer, primary_key: true}\n"
           "  - name: invoices\n"
           "    schema: " +
           other +
           "\n"
           "    comment: money owed\n"
           "    columns:\n"
           "      - {name: id, type: integer, primary_key: true}\n"
           "      - {name: user_id, type: integer, nullable: false, references: users.id, on_delete: "
           "cascade}\n"
           "      - {name: total, type: 'numeric(10, 2)', nullable: false, default: 0, comment: in cents}\n"
           "      - {name: status, type: string(20), default: \"'open'\", index: true}\n"
           "  - name: payments\n"
           "    schema: " +
           other +
           "\n"
           "    columns:\n"
           "      - {name: id, type: integer, primary_key: true}\n"
           "      - {name: invoice_id, type: integer, nullable: false, references: " +
           other +
           ".invoices.id}\n"
           // The default schema's own table of the same name stays another table.
           "  - name: payments\n"
           "    columns:\n"
           "      - {name: id, type: integer, primary_key: true}\n";
}

// A realistic change: a new column, a dropped index, a changed default, a new table referring across.
std::string second_models(const std::string& other) {
    auto models = first_models(other);
    const std::string indexed = "default: \"'open'\", index: true}";
    models.replace(models.find(indexed), indexed.size(), "default: \"'draft'\"}");
    const std::string payments_key = "references: " + other + ".invoices.id}\n";
    models.insert(models.find(payments_key) + payments_key.size(),
                  "      - {name: paid_at, type: datetime}\n");
    models +=
        "  - name: refunds\n"
        "    schema: " +
        other +
        "\n"
        "    columns:\n"
        "      - {name: id, type: integer, primary_key: true}\n"
        "      - {name: payment_id, type: integer, references: " +
        other +
        ".payments.id}\n"
        "      - {name: approver_id, type: integer, references: users.id}\n";
    return models;
}

std::string generate(const Project& project, const std::string& message) {
    const auto result = project.run({"revision", "--autogenerate", "-m", message});
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    return project.read(e2e::generated_path(result).lexically_relative(project.dir()));
}

void tables_of_another_schema(Backend backend) {
    Project project(backend);
    project.init();
    const OtherSchema other(project);
    // A pattern, as include_tables takes.
    project.write("migrator.yaml", project.read("migrator.yaml") +
                                       "\nmodels: models.yaml\ninclude_schemas: ['" +
                                       other.name().substr(0, other.name().size() - 3) + "*']\n");
    project.write("models.yaml", first_models(other.name()));

    const auto first = generate(project, "billing");
    INFO(first);
    CHECK(contains(first, "CREATE TABLE " + other.qualified("invoices") + " ("));
    CHECK(contains(first, "CREATE TABLE " + other.quoted("payments") + " ("));
    CHECK(contains(first, "REFERENCES " + other.qualified("invoices") + " (" + other.quoted("id") + ")"));
    CHECK(contains(first, "DROP TABLE " + other.qualified("payments")));
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    require_clean_check(project, "after the first migration");

    // The key refers to the default schema's users: deleting one there deletes its invoices here.
    const auto invoices = backend == Backend::Mysql ? "`" + other.name() + "`.invoices" : "billing.invoices";
    project.execute("INSERT INTO users (id) VALUES (1)");
    project.execute("INSERT INTO " + invoices + " (id, user_id) VALUES (10, 1)");
    CHECK(project.query("SELECT status FROM " + invoices) == Rows{"open"});
    project.execute("DELETE FROM users WHERE id = 1");
    CHECK(project.query("SELECT count(*) FROM " + invoices) == Rows{"0"});

    // What the model does not hold in that schema is named, not dropped, and check is not clean.
    project.execute("CREATE VIEW " + invoices.substr(0, invoices.find('.')) +
                    ".open_invoices AS SELECT id FROM " + invoices);
    // The attribute probes look at the included schema too.
    if (backend == Backend::Postgresql)
        project.execute("ALTER TABLE billing.invoices ENABLE ROW LEVEL SECURITY");
    const auto with_view = project.run({"check"});
    INFO(with_view.out << with_view.err);
    CHECK(with_view.exit_code == 1);
    CHECK(contains(with_view.out, "1 view (" + other.name() + ".open_invoices)"));
    if (backend == Backend::Postgresql) {
        CHECK(contains(with_view.out, "1 row-level security table (billing.invoices)"));
        project.execute("ALTER TABLE billing.invoices DISABLE ROW LEVEL SECURITY");
    }
    project.execute("DROP VIEW " + invoices.substr(0, invoices.find('.')) + ".open_invoices");

    const Rows before = other.catalog();
    project.write("models.yaml", second_models(other.name()));
    const auto pending = project.run({"check"});
    INFO(pending.out << pending.err);
    CHECK(pending.exit_code == 1);
    CHECK(contains(pending.out, "drop index ix_invoices_status on " + other.name() + ".invoices"));
    CHECK(contains(pending.out,
                   "alter column " + other.name() + ".invoices.status (default 'open' -> 'draft')"));
    CHECK(contains(pending.out, "add column " + other.name() + ".payments.paid_at"));
    CHECK(contains(pending.out, "create table " + other.name() + ".refunds"));
    generate(project, "refunds");
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    require_clean_check(project, "after the second migration");
    CHECK(other.catalog() != before);

    // Its downgrade takes the schema back exactly.
    REQUIRE(project.run({"downgrade", "-1"}).exit_code == 0);
    CHECK(other.catalog() == before);
    project.write("models.yaml", first_models(other.name()));
    require_clean_check(project, "after the downgrade");

    REQUIRE(project.run({"downgrade", "base"}).exit_code == 0);
    CHECK(other.catalog().empty());
}

// A model table in a schema include_schemas does not name, or one the database lacks, is refused by name;
// so is the setting with a desired-state file.
void refused_schemas(Backend backend) {
    Project project(backend);
    project.init();
    const OtherSchema other(project);
    const auto config = project.read("migrator.yaml") + "\nmodels: models.yaml\n";
    project.write("models.yaml", first_models(other.name()));
    project.write("migrator.yaml", config);
    const auto unnamed = project.run({"check"});
    CHECK(unnamed.exit_code == 2);
    CHECK(lines(unnamed.err) ==
          Rows{"error: models.yaml: table " + other.name() + ".invoices is in schema '" + other.name() +
               "', which include_schemas in migrator.yaml does not name"});

    project.write("migrator.yaml", config + "include_schemas: ['*']\n");
    project.write("models.yaml", first_models("nowhere"));
    const auto missing = project.run({"check"});
    CHECK(missing.exit_code == 2);
    CHECK(lines(missing.err) ==
          Rows{"error: models.yaml: table nowhere.invoices: schema 'nowhere' does not exist in the database; "
               "create it in a migration of its own first (CREATE SCHEMA), then autogenerate"});

    project.write("migrator.yaml",
                  project.read("migrator.yaml")
                      .replace(project.read("migrator.yaml").find("models.yaml"), 11, "schema.sql"));
    project.write("schema.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n");
    const auto desired = project.run({"revision", "--autogenerate", "-m", "x"});
    CHECK(desired.exit_code == 2);
    CHECK(
        lines(desired.err) ==
        Rows{"error: migrator.yaml: include_schemas needs a .yaml model file: a desired-state file is loaded "
             "into one scratch schema and describes that schema only"});
    CHECK(project.run({"current"}).out.empty());
}

// version_table_schema in an included schema: the version table there is migrator's, never a model table.
void version_table_in_included_schema(Backend backend) {
    Project project(backend);
    project.init();
    const OtherSchema other(project);
    project.write("migrator.yaml", project.read("migrator.yaml") + "\nversion_table_schema: " + other.name() +
                                       "\nmodels: models.yaml\ninclude_schemas: ['" + other.name() + "']\n");
    project.write("models.yaml",
                  "tables:\n  - name: invoices\n    schema: " + other.name() +
                      "\n    columns:\n      - {name: id, type: integer, primary_key: true}\n");
    const auto script = generate(project, "invoices");
    INFO(script);
    CHECK_FALSE(contains(script, "migrator_version"));
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    require_clean_check(project, "with the version table in the included schema");
    CHECK_FALSE(other.catalog().empty());
}

void sqlite_refuses_include_schemas(Backend backend) {
    Project project(backend);
    project.init();
    project.write("migrator.yaml",
                  project.read("migrator.yaml") + "\nmodels: models.yaml\ninclude_schemas: [billing]\n");
    project.write("models.yaml",
                  "tables:\n  - name: users\n    columns:\n      - {name: id, type: integer}\n");
    const auto check = project.run({"check"});
    CHECK(check.exit_code == 2);
    CHECK(
        lines(check.err) ==
        Rows{
            "error: migrator.yaml: include_schemas: SQLite has no schemas besides main; remove the setting"});
}

const bool registered = e2e::register_backend_cases({
    e2e::make_server_case<tables_of_another_schema>(
        "include_schemas: the tables of another schema are compared and generated, with keys across schemas",
        "[autogenerate][schemas]"),
    e2e::make_server_case<refused_schemas>(
        "include_schemas: a table in a schema not named or missing, or a desired-state file, is refused",
        "[autogenerate][schemas]"),
    e2e::make_server_case<version_table_in_included_schema>(
        "include_schemas: the version table in an included version_table_schema is not a model table",
        "[autogenerate][schemas]"),
    {"include_schemas is refused on SQLite", "[autogenerate][schemas]",
     &e2e::on_backend<Backend::Sqlite, sqlite_refuses_include_schemas>, nullptr, nullptr},
});

}  // namespace
