// revision --autogenerate and check on every backend: the seed's example, a round trip over a corpus of
// model changes (autogenerate, upgrade, check is clean, downgrade, the database equals the previous models),
// the desired-state SQL form, table filters, and bad models.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "backend_cases.hpp"
#include "e2e_support.hpp"
#include "util/ascii.hpp"

using e2e::Backend;
using e2e::lines;
using e2e::make_case;
using e2e::Project;
using e2e::require_clean_check;
using Rows = std::vector<std::string>;

namespace {

namespace fs = std::filesystem;

void use_models(const Project& project, const std::string& models_file) {
    project.write("migrator.yaml", project.read("migrator.yaml") + "\nmodels: " + models_file + "\n");
}

// The scripts only: the header cache's directory may sit beside them.
std::size_t script_count(const Project& project) {
    const auto versions = project.dir() / "migrations/versions";
    return static_cast<std::size_t>(
        std::count_if(fs::directory_iterator(versions), fs::directory_iterator(),
                      [](const auto& entry) { return entry.path().extension() == ".sql"; }));
}

// Autogenerates one step and returns the script's text.
// Points migrator.yaml's models at `to` instead of `from`.
void switch_models(const Project& project, const std::string& from, const std::string& to) {
    auto config = project.read("migrator.yaml");
    const std::string models = "models: " + from;
    config.replace(config.find(models), models.size(), "models: " + to);
    project.write("migrator.yaml", config);
}

std::string autogenerate(const Project& project, const std::string& message) {
    const auto result = project.run({"revision", "--autogenerate", "-m", message});
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    return project.read(e2e::generated_path(result).lexically_relative(project.dir()));
}

// The upgrade section of a script (between the markers).
std::string upgrade_section(const std::string& script) {
    const auto start = script.find("-- migrate:upgrade");
    const auto end = script.find("-- migrate:downgrade");
    return script.substr(start, end - start);
}

std::string downgrade_section(const std::string& script) {
    return script.substr(script.find("-- migrate:downgrade"));
}

bool contains(const std::string& text, const std::string& part) {
    return migrator::util::to_lower(text).find(migrator::util::to_lower(part)) != std::string::npos;
}

// The seed's walkthrough: a users table in the models, autogenerate, upgrade; then an email column.
void seed_example(Backend backend) {
    Project project(backend);
    project.init();
    use_models(project, "models.yaml");
    project.write("models.yaml", R"yaml(tables:
  - name: users
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: username, type: string(50), nullable: false, unique: true}
)yaml");
    const auto first = autogenerate(project, "create users table");
    CHECK(contains(upgrade_section(first), "CREATE TABLE"));
    CHECK(contains(downgrade_section(first), "DROP TABLE"));
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    CHECK(project.columns("users") == Rows{"id", "username"});
    require_clean_check(project, "after the first upgrade");

    project.write("models.yaml", R"yaml(tables:
  - name: users
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: username, type: string(50), nullable: false, unique: true}
      - {name: email, type: string(100)}
)yaml");
    const auto pending = project.run({"check"});
    CHECK(pending.exit_code == 1);
    CHECK(lines(pending.out) == Rows{"New upgrade operations detected:", "  add column users.email"});

    const auto second = autogenerate(project, "add email column to users");
    CHECK(contains(upgrade_section(second), "ADD COLUMN"));
    CHECK(contains(upgrade_section(second), "email"));
    CHECK(contains(downgrade_section(second), "DROP COLUMN"));
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    CHECK(project.columns("users") == Rows{"id", "username", "email"});
    require_clean_check(project, "after adding email");

    const auto scripts = script_count(project);
    const auto nothing = project.run({"revision", "--autogenerate", "-m", "nothing"});
    CHECK(nothing.exit_code == 0);
    CHECK(lines(nothing.out) == Rows{"no changes detected"});
    CHECK(script_count(project) == scripts);

    REQUIRE(project.run({"downgrade", "-1"}).exit_code == 0);
    CHECK(project.columns("users") == Rows{"id", "username"});
}

// The first models of the corpus: every portable type, every column attribute, a unique, an index and a
// foreign key to a table listed after it.
const char* const corpus_start = R"yaml(tables:
  - name: users
    comment: People who sign in
    columns:
      - {name: id, type: integer, primary_key: true, autoincrement: true}
      - {name: org_id, type: integer, nullable: false}
      - {name: username, type: string(50), nullable: false}
      - {name: karma, type: bigint, nullable: false, default: "0"}
      - {name: level, type: smallint}
      - {name: active, type: boolean, nullable: false, default: "TRUE"}
      - {name: bio, type: text, comment: Free text}
      - {name: balance, type: "numeric(10, 2)"}
      - {name: ratio, type: float}
      - {name: score, type: double}
      - {name: born_on, type: date}
      - {name: wakes_at, type: time}
      - {name: created_at, type: timestamp, nullable: false, default: CURRENT_TIMESTAMP}
      - {name: settings, type: json}
      - {name: avatar, type: blob}
      - {name: token, type: uuid}
      - {name: status, type: string(20), nullable: false, default: "'active'"}
    unique: [{columns: [username]}]
    indexes:
      - {columns: [org_id, created_at]}
    foreign_keys: [{columns: [org_id], references: {table: orgs, columns: [id]}, on_delete: cascade}]
  - name: orgs
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: name, type: string(100), nullable: false}
)yaml";

// One step of the corpus: text replacements applied to the previous step's models.
struct CorpusStep {
    std::string message;
    std::vector<std::pair<std::string, std::string>> edits;  // {old, new}; old must be present
};

const std::vector<CorpusStep>& corpus_steps() {
    static const std::vector<CorpusStep> steps{
        {"users and orgs, every type, listed before the table they reference", {}},
        {"add email with a unique index and a check, and a raw per-dialect type",
         {{"      - {name: status, type: string(20), nullable: false, default: \"'active'\"}\n",
           "      - {name: status, type: string(20), nullable: false, default: \"'active'\"}\n"
           "      - {name: email, type: string(255)}\n"
           "      - {name: search, type: text, postgresql_type: tsvector, mysql_type: mediumtext}\n"},
          {"      - {columns: [org_id, created_at]}\n",
           "      - {columns: [org_id, created_at]}\n      - {name: ix_users_email, columns: [email], "
           "unique: true}\n"},
          {"on_delete: cascade}]\n",
           "on_delete: cascade}]\n    checks: [{name: ck_users_karma, expression: karma >= 0}]\n"}}},
        {"alter columns: widen, make NOT NULL with a default, new comments",
         {{"comment: People who sign in", "comment: Everyone who can sign in"},
          {"type: string(50), nullable: false}", "type: string(80), nullable: false}"},
          {"{name: level, type: smallint}", "{name: level, type: smallint, nullable: false, default: \"1\"}"},
          {"comment: Free text", "comment: About the user"},
          {"numeric(10, 2)", "numeric(12, 2)"},
          {"default: \"'active'\"", "default: \"'pending'\""}}},
        {"constraints: drop the check and an index, change the FK, add a two-column unique",
         {{"    checks: [{name: ck_users_karma, expression: karma >= 0}]\n", ""},
          {"      - {columns: [org_id, created_at]}\n", ""},
          {"on_delete: cascade}]", "on_delete: restrict}]"},
          {"    unique: [{columns: [username]}]\n",
           "    unique:\n      - {columns: [username]}\n      - {name: uq_users_org_email, columns: [org_id, "
           "email]}\n"}}},
        {"drop a column, add a table with a composite primary key",
         {{"      - {name: ratio, type: float}\n", ""},
          {"      - {name: name, type: string(100), nullable: false}\n",
           "      - {name: name, type: string(100), nullable: false}\n"
           "  - name: memberships\n"
           "    comment: Who belongs where\n"
           "    columns:\n"
           "      - {name: user_id, type: integer}\n"
           "      - {name: org_id, type: integer}\n"
           "      - {name: role, type: string(20), nullable: false, default: \"'member'\"}\n"
           "    primary_key: [user_id, org_id]\n"
           "    foreign_keys:\n"
           "      - {columns: [user_id], references: {table: users, columns: [id]}, on_delete: cascade}\n"
           "      - {columns: [org_id], references: {table: orgs, columns: [id]}, on_delete: cascade, "
           "on_update: cascade}\n"}}},
    };
    return steps;
}

// Each step's message and whole model file.
const std::vector<std::pair<std::string, std::string>>& corpus() {
    static const auto models = [] {
        std::vector<std::pair<std::string, std::string>> result;
        std::string text = corpus_start;
        for (const auto& step : corpus_steps()) {
            for (const auto& [old_text, new_text] : step.edits) {
                const auto at = text.find(old_text);
                if (at == std::string::npos) throw std::logic_error("corpus edit not found: " + old_text);
                text.replace(at, old_text.size(), new_text);
            }
            result.emplace_back(step.message, text);
        }
        return result;
    }();
    return models;
}

// Seeds rows that every later shape of the tables can hold.
void insert_rows(const Project& project) {
    project.execute("INSERT INTO orgs (id, name) VALUES (1, 'acme')");
    project.execute(
        "INSERT INTO users (org_id, username, karma, level, created_at, status) VALUES "
        "(1, 'ada', 3, 2, CURRENT_TIMESTAMP, 'active'), (1, 'bob', 5, 2, CURRENT_TIMESTAMP, 'active')");
}

Rows usernames(const Project& project) {
    return project.query("SELECT username FROM users ORDER BY username");
}

void round_trip_corpus(Backend backend) {
    Project project(backend);
    project.init();
    use_models(project, "models.yaml");
    std::string previous = "tables: []\n";
    for (std::size_t i = 0; i < corpus().size(); ++i) {
        const auto& [message, models] = corpus()[i];
        INFO("step " << i + 1 << ": " << message);
        project.write("models.yaml", models);
        const auto script = autogenerate(project, message);
        INFO(script);
        const auto upgrade = project.run({"upgrade", "head"});
        INFO(upgrade.err);
        REQUIRE(upgrade.exit_code == 0);
        if (i == 0) insert_rows(project);
        require_clean_check(project, "after the upgrade");
        CHECK(usernames(project) == Rows{"ada", "bob"});

        REQUIRE(project.run({"downgrade", "-1"}).exit_code == 0);
        project.write("models.yaml", previous);
        require_clean_check(project, "of the previous models after the downgrade");
        if (i > 0) CHECK(usernames(project) == Rows{"ada", "bob"});

        project.write("models.yaml", models);
        REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
        if (i == 0) insert_rows(project);
        previous = models;
    }
    // Walking the whole corpus back leaves only the version table.
    REQUIRE(project.run({"downgrade", "base"}).exit_code == 0);
    CHECK(project.tables() == Rows{"migrator_version"});
}

// SQLite rebuilds the table for a NOT NULL change; rows, indexes and foreign keys come through.
void recreate_keeps_rows_indexes_and_foreign_keys(Backend backend) {
    Project project(backend);
    project.init();
    use_models(project, "models.yaml");
    const std::string before = R"yaml(tables:
  - name: teams
    columns:
      - {name: id, type: integer, primary_key: true}
  - name: players
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: team_id, type: integer}
      - {name: nick, type: string(30)}
    indexes: [{name: ix_players_nick, columns: [nick]}]
    foreign_keys: [{columns: [team_id], references: {table: teams, columns: [id]}}]
)yaml";
    std::string after = before;
    after.replace(after.find("{name: nick, type: string(30)}"), 30,
                  "{name: nick, type: string(30), nullable: false, default: \"'anon'\"}");
    project.write("models.yaml", before);
    autogenerate(project, "players");
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    project.execute("INSERT INTO teams (id) VALUES (7)");
    project.execute("INSERT INTO players (id, team_id, nick) VALUES (1, 7, 'zed'), (2, 7, 'amy')");

    project.write("models.yaml", after);
    const auto script = autogenerate(project, "nick is required");
    if (backend == Backend::Sqlite) CHECK(contains(upgrade_section(script), "_migrator_tmp_players"));
    CHECK(contains(upgrade_section(script), "-- review: fails if players.nick holds NULLs"));
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    require_clean_check(project, "after the rebuild");
    CHECK(project.query("SELECT id, team_id, nick FROM players ORDER BY id") == Rows{"1|7|zed", "2|7|amy"});

    REQUIRE(project.run({"downgrade", "-1"}).exit_code == 0);
    project.write("models.yaml", before);
    require_clean_check(project, "after rebuilding back");
    CHECK(project.query("SELECT id, team_id, nick FROM players ORDER BY id") == Rows{"1|7|zed", "2|7|amy"});
}

// docs/models.md's complete example must stay true on every backend.
void documented_example(Backend backend) {
    std::ifstream in(fs::path(MIGRATOR_SOURCE_DIR) / "docs/models.md");
    const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto start = doc.find("```yaml\n");
    REQUIRE(start != std::string::npos);
    const auto end = doc.find("```", start + 8);
    Project project(backend);
    project.init();
    use_models(project, "models.yaml");
    project.write("models.yaml", doc.substr(start + 8, end - start - 8));
    autogenerate(project, "the documented example");
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    CHECK(project.tables() == Rows{"migrator_version", "orgs", "posts", "users"});
    require_clean_check(project, "of the documented example");
    REQUIRE(project.run({"downgrade", "base"}).exit_code == 0);
    CHECK(project.tables() == Rows{"migrator_version"});
}

void desired_state_sql(Backend backend) {
    Project project(backend);
    project.init();
    use_models(project, "schema.sql");
    const std::string schema = R"sql(-- The schema we want, kept by hand.
CREATE TABLE authors (
    id INTEGER NOT NULL PRIMARY KEY,
    name VARCHAR(100) NOT NULL
);
CREATE TABLE books (
    id INTEGER NOT NULL PRIMARY KEY,
    author_id INTEGER NOT NULL,
    title VARCHAR(200) NOT NULL,
    CONSTRAINT fk_books_author FOREIGN KEY (author_id) REFERENCES authors (id)
);
CREATE INDEX ix_books_title ON books (title);
)sql";
    project.write("schema.sql", schema);
    autogenerate(project, "authors and books");
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    CHECK(project.tables() == Rows{"authors", "books", "migrator_version"});
    require_clean_check(project, "against the SQL file");

    project.write("schema.sql", schema + "ALTER TABLE books ADD COLUMN isbn VARCHAR(13);\n");
    const auto script = autogenerate(project, "isbn");
    CHECK(contains(upgrade_section(script), "isbn"));
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    CHECK(project.columns("books") == Rows{"id", "author_id", "title", "isbn"});
    require_clean_check(project, "after adding isbn");

    REQUIRE(project.run({"downgrade", "-1"}).exit_code == 0);
    project.write("schema.sql", schema);
    require_clean_check(project, "after the downgrade");

    // The scratch schema or database is gone.
    if (backend == Backend::Postgresql) {
        CHECK(project
                  .query("SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE "
                         "'migrator_scratch%'")
                  .empty());
    } else if (backend == Backend::Mysql) {
        CHECK(project
                  .query("SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE "
                         "'migrator\\_scratch%'")
                  .empty());
    }

    // A statement the scratch database refuses names the file and line.
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    project.write("schema.sql", schema + "CREATE TABLE broken (id NO_SUCH_TYPE_AT_ALL (;\n");
    const auto broken = project.run({"check"});
    CHECK(broken.exit_code == 2);
    CHECK(lines(broken.err).size() == 1);
    CHECK(broken.err.rfind("error: ", 0) == 0);
    CHECK(broken.err.find("schema.sql:13:") != std::string::npos);
}

void check_reports_drift_and_autogenerate_needs_the_parent(Backend backend) {
    Project project(backend);
    project.init();
    use_models(project, "models.yaml");
    project.write("models.yaml", R"yaml(tables:
  - name: notes
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: body, type: text}
)yaml");
    // The database is still at base: check compares the models with it as it is, and says so.
    autogenerate(project, "notes");
    const auto early = project.run({"check"});
    CHECK(early.exit_code == 1);
    CHECK(lines(early.out) == Rows{"New upgrade operations detected:", "  create table notes"});
    CHECK(early.err.find("not at the head") != std::string::npos);
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);

    // autogenerate, unlike check, needs the database at the new script's parent.
    project.write("models.yaml", project.read("models.yaml") + "      - {name: title, type: string(80)}\n");
    REQUIRE(project.run({"downgrade", "base"}).exit_code == 0);
    const auto behind = project.run({"revision", "--autogenerate", "-m", "title"});
    CHECK(behind.exit_code == 2);
    CHECK(lines(behind.err).size() == 1);
    CHECK(behind.err.find("not up to date") != std::string::npos);
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    const auto title = autogenerate(project, "title");
    CHECK(contains(upgrade_section(title), "title"));
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);

    // Drift behind migrator's back: a table the models do not have.
    project.execute("CREATE TABLE scratchpad (id INTEGER)");
    const auto drift = project.run({"check", "--format", "json"});
    CHECK(drift.exit_code == 1);
    const auto json = nlohmann::json::parse(drift.out);
    CHECK(json["up_to_date"] == false);
    REQUIRE(json["operations"].size() == 1);
    CHECK(json["operations"][0]["kind"] == "drop_table");
    CHECK(json["operations"][0]["table"] == "scratchpad");

    // exclude_tables leaves it alone, as Alembic's include_object would.
    project.write("migrator.yaml", project.read("migrator.yaml") + "exclude_tables: ['scratch*']\n");
    const auto filtered = project.run({"check", "--format", "json"});
    CHECK(filtered.exit_code == 0);
    CHECK(nlohmann::json::parse(filtered.out)["up_to_date"] == true);
}

void bad_models_name_file_and_line(Backend backend) {
    Project project(backend);
    project.init();
    use_models(project, "models.yaml");
    const std::vector<std::pair<std::string, std::string>> cases{
        {"tables:\n  - name: t\n    columns:\n      - {name: id, type: integr}\n", "models.yaml:4:"},
        {"tables:\n  - name: t\n    columns:\n      - {name: id, type: integer}\n      - {name: id, type: "
         "text}\n",
         "models.yaml:5:"},
        {"tables:\n  - name: t\n    columns:\n      - {name: a_id, type: integer}\n    foreign_keys:\n"
         "      - {columns: [a_id], references: {table: nowhere, columns: [id]}}\n",
         "models.yaml:6:"},
        {"tables:\n  - name: t\n    columns: [\n", "models.yaml:"},
    };
    for (const auto& [yaml, where] : cases) {
        INFO(yaml);
        project.write("models.yaml", yaml);
        const auto result = project.run({"revision", "--autogenerate", "-m", "bad"});
        CHECK(result.exit_code == 2);
        CHECK(lines(result.err).size() == 1);
        CHECK(result.err.rfind("error: " + where, 0) == 0);
        CHECK(script_count(project) == 0);
    }
    // Autogenerate compares with a missing SQLite file as with an empty database, and creates no file.
    CHECK((project.backend() == Backend::Sqlite ? !std::filesystem::exists(project.dir() / "app.db")
                                                : project.tables().empty()));
}

// Issue 18: a users table declared in YAML and then as SQL is the same table. On SQLite the SQL's
// INTEGER PRIMARY KEY is the rowid alias, never NULL though it says no NOT NULL.
void integer_primary_key_yaml_equals_sql(Backend backend) {
    Project project(backend);
    project.init();
    const auto config = project.read("migrator.yaml");
    use_models(project, "models.yaml");
    project.write("models.yaml", R"yaml(tables:
  - name: users
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: name, type: text}
)yaml");
    autogenerate(project, "users");
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    project.write("migrator.yaml", config);
    use_models(project, "schema.sql");
    project.write("schema.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n");
    require_clean_check(project, "of the same table as SQL");
}

// Issue 18: MySQL indexes a long varchar by a key prefix; the prefix is read back and written again, or
// the generated CREATE INDEX fails with "Specified key was too long".
void mysql_index_prefix_lengths(Backend backend) {
    Project project(backend);
    project.init();
    use_models(project, "schema.sql");
    project.write("schema.sql", R"sql(CREATE TABLE items (
    id INT NOT NULL PRIMARY KEY,
    key_ VARCHAR(1000) NOT NULL,
    kind VARCHAR(20) NOT NULL,
    KEY items_1 (key_(191), kind)
) DEFAULT CHARSET=utf8mb4;
)sql");
    const auto script = autogenerate(project, "items");
    CHECK(contains(upgrade_section(script), "(`key_`(191), `kind`)"));
    const auto upgrade = project.run({"upgrade", "head"});
    INFO(upgrade.err);
    REQUIRE(upgrade.exit_code == 0);
    CHECK(project.query("SELECT SUB_PART FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() "
                        "AND INDEX_NAME = 'items_1' ORDER BY SEQ_IN_INDEX") == Rows{"191", "NULL"});
    // The index matches, and so does the table's character set (the server's default is latin1).
    require_clean_check(project, "after the upgrade");
    CHECK(
        project.query("SELECT TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                      "AND TABLE_NAME = 'items'") == Rows{"utf8mb4_general_ci"});
}

// Issue 18: a desired-state file written for the mysql client, with DELIMITER around a trigger.
// A desired-state file must not change the live database, whatever it says. On PostgreSQL it runs in one
// transaction that is rolled back: a statement that names another schema (as pg_dump writes `public.t`) is
// refused at its line and undone; transaction statements (which would commit that work), MySQL's USE and
// SQLite's ATTACH are refused by name; pg_dump's setval is data, skipped with a warning.
void desired_state_cannot_reach_the_live_database(Backend backend) {
    Project project(backend);
    project.init();
    use_models(project, "schema.sql");
    const auto refused = [&project](const std::string& schema) {
        project.write("schema.sql", schema);
        const auto result = project.run({"check"});
        INFO(result.out << result.err);
        CHECK(result.exit_code == 2);
        return lines(result.err).empty() ? std::string() : lines(result.err).back();
    };
    const std::string start = "CREATE TABLE kept (id integer PRIMARY KEY);\n";
    switch (backend) {
        case Backend::Postgresql: {
            project.execute("CREATE SEQUENCE live_counter");
            project.execute("SELECT setval('live_counter', 7)");
            CHECK(
                refused(start + "CREATE TABLE public.escaped (id integer);\n") ==
                "error: schema.sql:2: the statement changed public.escaped outside the scratch schema that a "
                "desired-state file runs in; write its names without a schema (nothing was changed: the "
                "file's transaction is rolled back)");
            CHECK(refused(start + "SELECT pg_catalog.set_config('search_path', 'public', false);\n"
                                  "CREATE TABLE escaped (id integer);\n")
                      .starts_with("error: schema.sql:3: the statement changed public.escaped outside"));
            CHECK(refused(start + "COMMIT;\nCREATE TABLE public.escaped (id integer);\n") ==
                  "error: schema.sql:2: COMMIT would end the transaction that keeps the file off the live "
                  "database; remove it from the desired-state file");
            project.write("schema.sql",
                          start + "SELECT pg_catalog.setval('public.live_counter', 100, true);\n");
            const auto check = project.run({"check"});
            INFO(check.out << check.err);
            CHECK(
                contains(check.err,
                         "warning: schema.sql:2: setval skipped: a desired-state file describes the schema, "
                         "not data"));
            CHECK(contains(check.out, "create table kept"));
            CHECK(
                project.query("SELECT to_regclass('public.escaped') IS NULL, last_value FROM live_counter") ==
                Rows{"t|7"});
            CHECK(project.query("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'migrator_scratch%'") ==
                  Rows{"0"});
            break;
        }
        case Backend::Mysql:
            CHECK(
                refused(start + "# the client's comment\nUSE mysql;\nCREATE TABLE escaped (id integer);\n") ==
                "error: schema.sql:3: USE would leave the scratch database for another one; remove it from "
                "the desired-state file");
            CHECK(project.query(
                      "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_NAME = 'escaped'") ==
                  Rows{"0"});
            break;
        case Backend::Sqlite:
            CHECK(
                refused(start + "ATTACH 'other.db' AS other;\nCREATE TABLE other.escaped (id integer);\n") ==
                "error: schema.sql:2: ATTACH would reach a database file outside the scratch database; "
                "remove it from the desired-state file");
            CHECK_FALSE(std::filesystem::exists(project.dir() / "other.db"));
            break;
    }
}

void mysql_desired_state_with_delimiter(Backend backend) {
    Project project(backend);
    project.init();
    use_models(project, "schema.sql");
    project.write("schema.sql", R"sql(CREATE TABLE counters (id INT NOT NULL PRIMARY KEY, hits INT NOT NULL);
DELIMITER $$
CREATE TRIGGER counters_bi BEFORE INSERT ON counters FOR EACH ROW
BEGIN
    SET NEW.hits = 0;
END$$
DELIMITER ;
CREATE TABLE visits (id INT NOT NULL PRIMARY KEY);
)sql");
    const auto result = project.run({"revision", "--autogenerate", "-m", "counters"});
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    const auto script = project.read(e2e::generated_path(result).lexically_relative(project.dir()));
    CHECK(contains(upgrade_section(script), "CREATE TABLE `counters`"));
    CHECK(contains(upgrade_section(script), "CREATE TABLE `visits`"));
}

// The per-dialect schema of not_compared_is_never_clean: a table, a view and a trigger (and its function),
// which are compared, and an attribute of a table that is not (e2e::unread_object).
std::string schema_with_view_and_trigger(Backend backend) {
    std::string table =
        "CREATE TABLE counters (id INTEGER NOT NULL PRIMARY KEY, hits INTEGER NOT NULL);\n"
        "CREATE VIEW busy_counters AS SELECT id FROM counters WHERE hits > 10;\n" +
        e2e::unread_object(backend).sql + "\n";
    switch (backend) {
        case Backend::Sqlite:
            return table + R"sql(CREATE TRIGGER counters_reset AFTER INSERT ON counters
BEGIN
    UPDATE counters SET hits = 0 WHERE id = NEW.id;
END;
)sql";
        case Backend::Postgresql:
            return table + R"sql(CREATE FUNCTION reset_hits() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.hits := 0;
    RETURN NEW;
END;
$$;
CREATE TRIGGER counters_reset BEFORE INSERT ON counters FOR EACH ROW EXECUTE FUNCTION reset_hits();
)sql";
        case Backend::Mysql:
            return table + R"sql(DELIMITER //
CREATE TRIGGER counters_reset BEFORE INSERT ON counters FOR EACH ROW
BEGIN
    SET NEW.hits = 0;
END//
DELIMITER ;
)sql";
    }
    return table;
}

// Issue 18: objects the comparison does not cover are counted and named, and check is then not clean.
void not_compared_is_never_clean(Backend backend) {
    Project project(backend);
    project.init();
    use_models(project, "schema.sql");
    project.write("schema.sql", schema_with_view_and_trigger(backend));
    // The view, trigger and function are compared (autogenerate_kinds_test.cpp); the table's attribute is
    // not.
    const auto unread = e2e::unread_object(backend);
    const std::string expected = "not compared: 1 " + unread.kind + " (" + unread.name + ")";
    const auto generated = project.run({"revision", "--autogenerate", "-m", "counters"});
    INFO(generated.out << generated.err);
    REQUIRE(generated.exit_code == 0);
    const auto listed = lines(generated.out);
    CHECK(std::find(listed.begin(), listed.end(), expected) != listed.end());
    const auto script = project.read(e2e::generated_path(generated).lexically_relative(project.dir()));
    CHECK(contains(upgrade_section(script), "-- review: not compared, write these by hand: "));
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);

    const auto check = project.run({"check"});
    INFO(check.out << check.err);
    CHECK(check.exit_code == 1);
    CHECK(lines(check.out) == Rows{"No new upgrade operations detected in the objects compared.", expected});
    const auto json_check = project.run({"check", "--format", "json"});
    CHECK(json_check.exit_code == 1);
    const auto json = nlohmann::json::parse(json_check.out);
    CHECK(json["up_to_date"] == false);
    CHECK(json["operations"].empty());
    REQUIRE(json["not_compared"].size() == 1U);
    CHECK(json["not_compared"].back() == nlohmann::json{{"kind", unread.kind}, {"name", unread.name}});

    // Excluded by its table's name, as tables are, it no longer counts.
    project.write("migrator.yaml", project.read("migrator.yaml") + "exclude_tables: ['doubled']\n");
    const auto excluded = project.run({"check"});
    CHECK(excluded.exit_code == 0);
    CHECK(lines(excluded.out) == Rows{"No new upgrade operations detected."});
}

// The per-dialect schema of unread_attributes_are_named: tables whose constraint sort order, partitioning and
// the like the schema model does not hold, and the "not compared" line check prints for it (a column
// collation, a statistics target on PostgreSQL, a display width and table options on MySQL are compared, so
// not in it).
std::pair<std::string, std::string> schema_with_unread_attributes(Backend backend) {
    switch (backend) {
        case Backend::Sqlite:
            return {
                "CREATE TABLE names (id INTEGER PRIMARY KEY, name TEXT COLLATE NOCASE, rank INTEGER,\n"
                "    UNIQUE (rank DESC));\n"
                "CREATE TABLE codes (code TEXT PRIMARY KEY, label TEXT) WITHOUT ROWID;\n"
                "CREATE TABLE counts (id INTEGER PRIMARY KEY, n INTEGER) STRICT;\n",
                "not compared: 1 index sort order (names.sqlite_autoindex_names_1)"};
        case Backend::Postgresql:
            return {
                "CREATE TABLE names (id integer PRIMARY KEY, name text COLLATE \"C\", rank integer);\n"
                "ALTER TABLE names ALTER COLUMN rank SET STATISTICS 500;\n"
                "CREATE TABLE tags (id integer, CONSTRAINT tags_pkey PRIMARY KEY (id) DEFERRABLE,\n"
                "    name_id integer REFERENCES names (id) DEFERRABLE INITIALLY DEFERRED);\n"
                "CREATE TABLE events (id integer, at date NOT NULL) PARTITION BY RANGE (at);\n"
                "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO "
                "('2027-01-01');\n"
                "CREATE TABLE audit_base (id integer);\n"
                "CREATE TABLE audit_names (name text) INHERITS (audit_base);\n"
                "CREATE UNLOGGED TABLE scratch (id integer) WITH (fillfactor = 70);\n"
                "ALTER TABLE names ENABLE ROW LEVEL SECURITY;\n"
                "CREATE POLICY names_read ON names USING (true);\n"
                "CREATE RULE names_kept AS ON DELETE TO names DO INSTEAD NOTHING;\n",
                "not compared: 1 deferrable constraint (tags.tags_pkey), 1 inheriting table (audit_names), 1 "
                "partitioned table (events), 1 policy (names.names_read), 1 row-level security table "
                "(names), 1 "
                "rule (names.names_kept), 1 storage parameter (scratch.fillfactor), 1 unlogged table "
                "(scratch)"};
        case Backend::Mysql:
            return {
                "CREATE TABLE names (id INT NOT NULL, PRIMARY KEY (id DESC),\n"
                "    name VARCHAR(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin, rank_value INT(5))\n"
                "    DEFAULT CHARSET=ascii COLLATE=ascii_bin ROW_FORMAT=DYNAMIC;\n"
                "CREATE TABLE logs (id INT NOT NULL, PRIMARY KEY (id)) PARTITION BY HASH (id) PARTITIONS 2;\n"
                "CREATE TABLE secrets (id INT NOT NULL PRIMARY KEY, token VARCHAR(40) INVISIBLE);\n"
                "CREATE TABLE history (id INT NOT NULL PRIMARY KEY, note VARCHAR(20)) WITH SYSTEM "
                "VERSIONING;\n",
                "not compared: 1 index sort order (names.PRIMARY), 1 invisible column (secrets.token), 1 "
                "partitioned table (logs), 1 system-versioned table (history)"};
    }
    return {};
}

// Issue 18: attributes and kinds of table the schema model does not hold (a constraint's sort order,
// deferrable constraints, partitioning, inheritance, UNLOGGED, storage parameters, row-level security and
// policies, rules, invisible columns, system versioning) are named as not compared too, so a schema that
// differs only in them never looks clean; those it holds (collations, statistics targets, display widths,
// table options, SQLite's WITHOUT ROWID and STRICT) are not named.
void unread_attributes_are_named(Backend backend) {
    Project project(backend);
    project.init();
    use_models(project, "schema.sql");
    const auto [schema, expected] = schema_with_unread_attributes(backend);
    project.write("schema.sql", schema);
    const auto generated = project.run({"revision", "--autogenerate", "-m", "names"});
    INFO(generated.out << generated.err);
    REQUIRE(generated.exit_code == 0);
    const auto listed = lines(generated.out);
    CHECK(std::find(listed.begin(), listed.end(), expected) != listed.end());
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    if (backend == Backend::Mysql) {
        CHECK(project.query(
                  "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
                  "AND COLUMN_NAME = 'rank_value'") == Rows{"int(5)"});
        CHECK(project.query(
                  "SELECT CREATE_OPTIONS FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                  "AND TABLE_NAME = 'names'") == Rows{"row_format=DYNAMIC"});
    }
    if (backend == Backend::Postgresql) {
        CHECK(project.query("SELECT attstattarget FROM pg_attribute WHERE attrelid = 'names'::regclass AND "
                            "attname = 'rank'") == Rows{"500"});
    }
    if (backend == Backend::Sqlite) {
        CHECK(
            project.query("SELECT name, wr, strict FROM pragma_table_list WHERE schema = 'main' AND name IN "
                          "('codes', 'counts') ORDER BY name") == Rows{"codes|1|0", "counts|0|1"});
    }

    const auto check = project.run({"check"});
    INFO(check.out << check.err);
    CHECK(check.exit_code == 1);
    CHECK(lines(check.out) == Rows{"No new upgrade operations detected in the objects compared.", expected});
}

// With the database at `schema` (the desired-state file), `changed` is a change that check lists as
// `operations`; it is generated and upgraded to (check is clean), then downgraded (clean against `schema`
// again). Returns the second script.
std::string change_and_undo(const Project& project, const std::string& schema, const std::string& changed,
                            const std::vector<std::string>& operations) {
    project.write("schema.sql", changed);
    const auto check = project.run({"check"});
    INFO(check.out << check.err);
    CHECK(check.exit_code == 1);
    for (const auto& operation : operations) CHECK(contains(check.out, operation));
    auto script = autogenerate(project, "the change");
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    require_clean_check(project, "after the change");
    REQUIRE(project.run({"downgrade", "-1"}).exit_code == 0);
    project.write("schema.sql", schema);
    require_clean_check(project, "after the downgrade");
    return script;
}

// Issue 18: SQLite's WITHOUT ROWID and STRICT are compared and generated; a change rebuilds the table with
// its rows, there and back.
void sqlite_table_options_round_trip(Backend backend) {
    Project project(backend);
    project.init();
    use_models(project, "schema.sql");
    const std::string schema =
        "CREATE TABLE codes (code TEXT PRIMARY KEY, label TEXT) WITHOUT ROWID;\n"
        "CREATE INDEX codes_label ON codes (label);\n";
    project.write("schema.sql", schema);
    autogenerate(project, "codes");
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    require_clean_check(project, "after the upgrade");
    project.execute("INSERT INTO codes (code, label) VALUES ('a', 'one'), ('b', 'two')");
    const auto options = [&project] {
        return project.query(
            "SELECT wr, strict FROM pragma_table_list WHERE schema = 'main' AND name = 'codes'");
    };
    CHECK(options() == Rows{"1|0"});

    // A plain (rowid) table is a change.
    std::string changed = schema;
    changed.replace(changed.find(" WITHOUT ROWID"), 14, "");
    project.write("schema.sql", changed);
    const auto check = project.run({"check"});
    INFO(check.out << check.err);
    CHECK(check.exit_code == 1);
    CHECK(contains(check.out, "alter options of table codes (WITHOUT ROWID -> default)"));

    changed = schema;
    changed.replace(changed.find("WITHOUT ROWID"), 13, "WITHOUT ROWID, STRICT");
    const auto second = change_and_undo(
        project, schema, changed, {"alter options of table codes (WITHOUT ROWID -> WITHOUT ROWID, STRICT)"});
    CHECK(contains(upgrade_section(second), ") WITHOUT ROWID, STRICT"));
    CHECK(options() == Rows{"1|0"});
    CHECK(project.query("SELECT code, label FROM codes ORDER BY code") == Rows{"a|one", "b|two"});
    CHECK(project.query("SELECT count(*) FROM sqlite_master WHERE name = 'codes_label'") == Rows{"1"});
}

// The per-dialect schema of index_orders_and_classes_round_trip: indexes with descending columns, and
// on PostgreSQL an operator class, NULLS FIRST and an index collation; on SQLite an index COLLATE.
std::string schema_with_ordered_indexes(Backend backend) {
    switch (backend) {
        case Backend::Sqlite:
            return "CREATE TABLE names (id INTEGER PRIMARY KEY, name TEXT, rank INTEGER);\n"
                   "CREATE INDEX names_rank ON names (rank DESC, name);\n"
                   "CREATE INDEX names_name ON names (name COLLATE NOCASE);\n";
        case Backend::Postgresql:
            return "CREATE TABLE names (id integer PRIMARY KEY, name text, rank integer);\n"
                   "CREATE INDEX names_rank ON names (rank DESC, name);\n"
                   "CREATE INDEX names_prefix ON names (name text_pattern_ops);\n"
                   "CREATE INDEX names_first ON names (rank NULLS FIRST);\n"
                   "CREATE INDEX names_name ON names (name COLLATE \"C\");\n";
        case Backend::Mysql:
            return "CREATE TABLE names (id INT NOT NULL PRIMARY KEY, name VARCHAR(50), rank_value INT,\n"
                   "    KEY names_rank (rank_value DESC, name));\n";
    }
    return {};
}

// Issue 18: an index's sort order (and on PostgreSQL its operator class, NULLS FIRST and collation; on
// SQLite its own COLLATE) is read, generated and compared: check is clean after the upgrade, and an
// index turned ascending is a change, made and undone.
void index_orders_and_classes_round_trip(Backend backend) {
    Project project(backend);
    project.init();
    use_models(project, "schema.sql");
    const auto schema = schema_with_ordered_indexes(backend);
    project.write("schema.sql", schema);
    const auto first = upgrade_section(autogenerate(project, "names"));
    CHECK(contains(first, " DESC, "));
    if (backend == Backend::Postgresql) {
        CHECK(contains(first, "(name text_pattern_ops)"));
        CHECK(contains(first, "(rank NULLS FIRST)"));
        CHECK(contains(first, "(name COLLATE \"C\")"));
    }
    if (backend == Backend::Sqlite) CHECK(contains(first, "(name COLLATE NOCASE)"));
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    require_clean_check(project, "after the upgrade");

    auto ascending = schema;
    ascending.replace(ascending.find(" DESC,"), 5, "");
    const auto second = change_and_undo(
        project, schema, ascending, {"drop index names_rank on names", "create index names_rank on names"});
    CHECK_FALSE(contains(upgrade_section(second), " DESC"));
    CHECK(contains(downgrade_section(second), " DESC, "));
}

// Issue 18: a column's collation is read, generated and compared: the database gets it, check is clean,
// and another collation is a change, made and undone.
void collations_round_trip(Backend backend) {
    Project project(backend);
    project.init();
    use_models(project, "schema.sql");
    struct Spelling {
        std::string schema;     // the desired-state file
        std::string generated;  // in the first script
        std::string old_text;   // replaced in the file by new_text
        std::string new_text;
        std::string change;  // as check lists it
        std::string new_generated;
    };
    const Spelling spelling = [&]() -> Spelling {
        switch (backend) {
            case Backend::Sqlite:
                return {"CREATE TABLE names (id INTEGER PRIMARY KEY, name TEXT COLLATE nocase);\n",
                        "\"name\" TEXT COLLATE \"NOCASE\"",
                        "nocase",
                        "RTRIM",
                        "alter column names.name (collation NOCASE -> RTRIM)",
                        "COLLATE \"RTRIM\""};
            case Backend::Postgresql:
                return {"CREATE TABLE names (id integer PRIMARY KEY, name text COLLATE \"C\");\n",
                        "\"name\" TEXT COLLATE \"C\"",
                        "\"C\"",
                        "\"POSIX\"",
                        "alter column names.name (collation C -> POSIX)",
                        "COLLATE \"POSIX\""};
            case Backend::Mysql:
                // A column in another character set than its table's, which is not the server's default.
                return {
                    "CREATE TABLE names (id INT NOT NULL PRIMARY KEY,\n"
                    "    name VARCHAR(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin)\n"
                    "    DEFAULT CHARSET=ascii COLLATE=ascii_bin;\n",
                    "`name` VARCHAR(50) COLLATE utf8mb4_bin",
                    "COLLATE=ascii_bin",
                    "COLLATE=ascii_general_ci",
                    "alter collation of table names (ascii_bin -> ascii_general_ci)",
                    "DEFAULT COLLATE = ascii_general_ci"};
        }
        return {};
    }();
    project.write("schema.sql", spelling.schema);
    const auto first = upgrade_section(autogenerate(project, "names"));
    CHECK(contains(first, spelling.generated));
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    require_clean_check(project, "after the upgrade");
    switch (backend) {
        case Backend::Sqlite:
            project.execute("INSERT INTO names (name) VALUES ('a'), ('A')");
            CHECK(project.query("SELECT count(*) FROM names WHERE name = 'a'") == Rows{"2"});
            break;
        case Backend::Postgresql:
            CHECK(project.query("SELECT collation_name FROM information_schema.columns WHERE table_name = "
                                "'names' AND column_name = 'name'") == Rows{"C"});
            break;
        case Backend::Mysql:
            CHECK(project.query("SELECT CONCAT(t.TABLE_COLLATION, ' ', c.COLLATION_NAME) FROM "
                                "information_schema.TABLES t JOIN information_schema.COLUMNS c USING "
                                "(TABLE_SCHEMA, TABLE_NAME) WHERE t.TABLE_SCHEMA = DATABASE() AND "
                                "t.TABLE_NAME = 'names' AND c.COLUMN_NAME = 'name'") ==
                  Rows{"ascii_bin utf8mb4_bin"});
            break;
    }

    auto changed = spelling.schema;
    changed.replace(changed.find(spelling.old_text), spelling.old_text.size(), spelling.new_text);
    const auto second = change_and_undo(project, spelling.schema, changed, {spelling.change});
    CHECK(contains(upgrade_section(second), spelling.new_generated));
    CHECK_FALSE(contains(downgrade_section(second), spelling.new_generated));
    if (backend == Backend::Sqlite)
        CHECK(project.query("SELECT count(*) FROM names WHERE name = 'a'") == Rows{"2"});

    // A model file declares the column's collation with `collation:`; on MySQL the table's, which it does not
    // name, is the database's.
    const std::string name_column = backend == Backend::Sqlite ? "{name: name, type: text, collation: nocase}"
                                    : backend == Backend::Postgresql
                                        ? "{name: name, type: text, collation: C}"
                                        : "{name: name, type: string(50), collation: utf8mb4_bin}";
    project.write("models.yaml",
                  "tables:\n  - name: names\n    columns:\n"
                  "      - {name: id, type: integer, nullable: false, primary_key: true}\n"
                  "      - " +
                      name_column + "\n");
    switch_models(project, "schema.sql", "models.yaml");
    require_clean_check(project, "against the model file");
}

// Issue 18: a sequence no column owns (PostgreSQL's, MariaDB's), used by a column's default, is created
// before the table, compared (an option changed is ALTER SEQUENCE), and dropped after it; a model file names
// it as not compared.
void sequences_round_trip(Backend backend) {
    Project project(backend);
    project.init();
    use_models(project, "schema.sql");
    const bool mariadb = backend == Backend::Mysql;
    const std::string schema =
        // NOCACHE: a Galera cluster refuses a cached sequence.
        mariadb ? "CREATE SEQUENCE invoice_numbers INCREMENT BY 10 START WITH 1000 NOCACHE;\n"
                  "CREATE TABLE invoices (id BIGINT NOT NULL DEFAULT nextval(invoice_numbers) PRIMARY KEY,\n"
                  "    note TEXT);\n"
                : "CREATE SEQUENCE invoice_numbers INCREMENT BY 10 START WITH 1000;\n"
                  "CREATE TABLE invoices (id integer DEFAULT nextval('invoice_numbers'::regclass) NOT NULL "
                  "PRIMARY "
                  "KEY,\n"
                  "    note text);\n";
    project.write("schema.sql", schema);
    const auto first = upgrade_section(autogenerate(project, "invoices"));
    const auto created =
        first.find(mariadb ? "CREATE SEQUENCE `invoice_numbers` INCREMENT BY 10"
                           : "CREATE SEQUENCE \"invoice_numbers\" AS bigint INCREMENT BY 10");
    CHECK(created != std::string::npos);
    CHECK(created < first.find(mariadb ? "CREATE TABLE `invoices`" : "CREATE TABLE \"invoices\""));
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    require_clean_check(project, "after the upgrade");
    project.execute("INSERT INTO invoices (note) VALUES ('a'), ('b')");
    CHECK(project.query("SELECT id FROM invoices ORDER BY id") == Rows{"1000", "1010"});

    auto changed = schema;
    changed.replace(changed.find("INCREMENT BY 10"), 15, "INCREMENT BY 5 CYCLE MAXVALUE 5000");
    const auto second = change_and_undo(project, schema, changed, {"alter sequence invoice_numbers"});
    CHECK(contains(upgrade_section(second), "INCREMENT BY 5 MINVALUE 1 MAXVALUE 5000"));
    CHECK(contains(downgrade_section(second), "INCREMENT BY 10 "));

    REQUIRE(project.run({"downgrade", "base"}).exit_code == 0);
    CHECK(project.query(
              mariadb
                  ? "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                    "AND TABLE_NAME = 'invoice_numbers'"
                  : "SELECT count(*) FROM pg_class WHERE relkind = 'S' AND relname = 'invoice_numbers'") ==
          Rows{"0"});

    // A model file declares no sequences: the database's is named, not dropped.
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    project.write("models.yaml",
                  mariadb ? "tables:\n  - name: invoices\n    columns:\n"
                            "      - {name: id, type: bigint, nullable: false, primary_key: true,\n"
                            "         default: \"nextval(`invoice_numbers`)\"}\n"
                            "      - {name: note, type: text}\n"
                          : "tables:\n  - name: invoices\n    columns:\n"
                            "      - {name: id, type: integer, nullable: false, primary_key: true,\n"
                            "         default: \"nextval('invoice_numbers'::regclass)\"}\n"
                            "      - {name: note, type: text}\n");
    switch_models(project, "schema.sql", "models.yaml");
    const auto check = project.run({"check"});
    INFO(check.out << check.err);
    CHECK(check.exit_code == 1);
    CHECK(lines(check.out) == Rows{"No new upgrade operations detected in the objects compared.",
                                   "not compared: 1 sequence (invoice_numbers)"});
}

// Issue 18: generated columns are read, generated and compared on every backend (STORED, and VIRTUAL where
// the database has it). A changed expression is made again (SQLite: the table rebuilt) with the index on the
// column, and undone; the rows keep their values. A model file names them as not compared.
void generated_columns_round_trip(Backend backend) {
    Project project(backend);
    project.init();
    use_models(project, "schema.sql");
    std::string schema =
        "CREATE TABLE doubled (id INTEGER NOT NULL PRIMARY KEY, a INTEGER,\n"
        "    b INTEGER GENERATED ALWAYS AS (a * 2) STORED";
    if (backend != Backend::Postgresql) schema += ",\n    c INTEGER GENERATED ALWAYS AS (a + 1) VIRTUAL";
    schema += ");\nCREATE INDEX doubled_b ON doubled (b);\n";
    project.write("schema.sql", schema);
    const auto first = upgrade_section(autogenerate(project, "doubled"));
    const std::string a = backend == Backend::Mysql ? "`a`" : "a";
    CHECK(contains(first, "GENERATED ALWAYS AS (" + a + " * 2) STORED"));
    if (backend != Backend::Postgresql) CHECK(contains(first, "GENERATED ALWAYS AS (" + a + " + 1) VIRTUAL"));
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    require_clean_check(project, "after the upgrade");
    project.execute("INSERT INTO doubled (id, a) VALUES (1, 3)");
    CHECK(project.query("SELECT b FROM doubled") == Rows{"6"});

    auto changed = schema;
    changed.replace(changed.find("a * 2"), 5, "a * 3");
    const std::vector<std::string> listed =
        backend == Backend::Sqlite ? std::vector<std::string>{"alter column doubled.b"}
                                   : std::vector<std::string>{"drop column doubled.b", "add column doubled.b",
                                                              "create index doubled_b on doubled"};
    const auto second = change_and_undo(project, schema, changed, listed);
    CHECK(contains(upgrade_section(second), "GENERATED ALWAYS AS (" + a + " * 3) STORED"));
    CHECK(contains(downgrade_section(second), "GENERATED ALWAYS AS (" + a + " * 2) STORED"));
    CHECK(project.query("SELECT a, b FROM doubled") == Rows{"3|6"});

    // A model file declares none: the database's are named, and left alone.
    project.execute(backend == Backend::Mysql ? "DROP INDEX doubled_b ON doubled" : "DROP INDEX doubled_b");
    project.write("models.yaml",
                  "tables:\n  - name: doubled\n    columns:\n"
                  "      - {name: id, type: integer, nullable: false, primary_key: true}\n"
                  "      - {name: a, type: integer}\n");
    switch_models(project, "schema.sql", "models.yaml");
    const auto check = project.run({"check"});
    INFO(check.out << check.err);
    CHECK(check.exit_code == 1);
    CHECK(lines(check.out) == Rows{"No new upgrade operations detected in the objects compared.",
                                   backend == Backend::Postgresql
                                       ? "not compared: 1 generated column (doubled.b)"
                                       : "not compared: 2 generated columns (doubled.b, doubled.c)"});
}

// Issue 18: a PostgreSQL enum type is created before its table; a label added is ALTER TYPE ... ADD VALUE,
// with the view over its column made again around it; the downgrade makes the type again without the
// label, converting a column with a default and an array column, and the rows keep their values. A table
// already has the name `mood_old` (and so does its row type), so the old type is set aside as `mood_old2`.
void postgresql_enum_types_round_trip(Backend backend) {
    Project project(backend);
    project.init();
    use_models(project, "schema.sql");
    const std::string schema =
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\n"
        "CREATE TABLE people (id integer PRIMARY KEY, feeling mood DEFAULT 'ok' NOT NULL, history mood[]);\n"
        "CREATE VIEW happy_people AS SELECT id FROM people WHERE feeling = 'happy';\n"
        "CREATE TABLE mood_old (id integer PRIMARY KEY);\n";
    project.write("schema.sql", schema);
    const auto first = upgrade_section(autogenerate(project, "people"));
    const auto created = first.find("CREATE TYPE \"mood\" AS ENUM ('sad', 'ok', 'happy')");
    CHECK(created != std::string::npos);
    CHECK(created < first.find("CREATE TABLE \"people\""));
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    require_clean_check(project, "after the upgrade");
    project.execute("INSERT INTO people (id, feeling, history) VALUES (1, 'sad', '{sad,happy}')");
    project.execute("INSERT INTO people (id) VALUES (2)");

    auto changed = schema;
    changed.replace(changed.find("'sad', 'ok'"), 11, "'sad', 'meh', 'ok'");
    const auto second = change_and_undo(project, schema, changed, {"alter enum type mood (add 'meh')"});
    CHECK(contains(upgrade_section(second), "ALTER TYPE \"mood\" ADD VALUE 'meh' AFTER 'sad'"));
    CHECK(contains(downgrade_section(second), "ALTER TYPE \"mood\" RENAME TO \"mood_old2\""));
    CHECK(project.query("SELECT enum_range(NULL::mood)::text") == Rows{"{sad,ok,happy}"});
    CHECK(project.query("SELECT id, feeling, history FROM people ORDER BY id") ==
          Rows{"1|sad|{sad,happy}", "2|ok|NULL"});
    CHECK(project.query("SELECT count(*) FROM happy_people") == Rows{"0"});

    REQUIRE(project.run({"downgrade", "base"}).exit_code == 0);
    CHECK(project.query("SELECT count(*) FROM pg_type WHERE typname IN ('mood', 'mood_old', 'mood_old2')") ==
          Rows{"0"});
}

// Issue 18: deferrable constraints are read, generated and compared: PostgreSQL's foreign keys and UNIQUE
// constraints, SQLite's foreign keys INITIALLY DEFERRED (DEFERRABLE alone changes nothing there). A foreign
// key made immediate again is a change (SQLite rebuilds the table), made and undone.
void deferrable_constraints(Backend backend) {
    Project project(backend);
    project.init();
    use_models(project, "schema.sql");
    const bool postgresql = backend == Backend::Postgresql;
    const std::string schema =
        std::string(
            "CREATE TABLE parents (id integer PRIMARY KEY);\n"
            "CREATE TABLE children (id integer PRIMARY KEY, code text,\n") +
        (postgresql ? "    CONSTRAINT children_code UNIQUE (code) DEFERRABLE,\n" : "") +
        "    CONSTRAINT children_parent FOREIGN KEY (id) REFERENCES parents (id) DEFERRABLE INITIALLY "
        "DEFERRED);\n";
    project.write("schema.sql", schema);
    const auto first = upgrade_section(autogenerate(project, "family"));
    if (postgresql) CHECK(contains(first, "UNIQUE (\"code\") DEFERRABLE"));
    CHECK(contains(first, "REFERENCES \"parents\" (\"id\") DEFERRABLE INITIALLY DEFERRED"));
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    require_clean_check(project, "after the upgrade");
    const auto deferred = [&] {
        return postgresql ? project.query(
                                "SELECT condeferrable::text || ' ' || condeferred::text FROM "
                                "pg_constraint WHERE conname = 'children_parent'") == Rows{"true true"}
                          : project.query(
                                "SELECT count(*) FROM sqlite_master WHERE name = 'children' AND sql "
                                "LIKE '%INITIALLY DEFERRED%'") == Rows{"1"};
    };
    CHECK(deferred());

    auto immediate = schema;
    immediate.replace(immediate.find(" DEFERRABLE INITIALLY DEFERRED"), 30, "");
    const auto second = change_and_undo(
        project, schema, immediate, {"drop foreign key children_parent", "add foreign key children_parent"});
    CHECK_FALSE(contains(upgrade_section(second), "INITIALLY DEFERRED"));
    CHECK(contains(downgrade_section(second), "DEFERRABLE INITIALLY DEFERRED"));
    CHECK(deferred());
}

// Issue 18: a pg_dump-style desired-state file loads as psql would: COPY rows are skipped with a
// warning, and a meta-command is refused by name with its line.
void postgresql_desired_state_as_psql(Backend backend) {
    Project project(backend);
    project.init();
    use_models(project, "schema.sql");
    const std::string schema = R"sql(CREATE TABLE roles (id integer NOT NULL PRIMARY KEY, name text);
COPY roles (id, name) FROM stdin;
1	admin
2	guest; not a statement
\.
CREATE TABLE grants (id integer NOT NULL PRIMARY KEY);
)sql";
    project.write("schema.sql", schema);
    const auto generated = project.run({"revision", "--autogenerate", "-m", "roles"});
    INFO(generated.out << generated.err);
    REQUIRE(generated.exit_code == 0);
    CHECK(contains(generated.err, "warning: schema.sql:2: COPY ... FROM stdin skipped"));
    const auto script = project.read(e2e::generated_path(generated).lexically_relative(project.dir()));
    CHECK(contains(upgrade_section(script), "CREATE TABLE \"grants\""));
    CHECK_FALSE(contains(script, "guest"));

    project.write("schema.sql", schema + "\\connect other\nCREATE TABLE later (id integer);\n");
    const auto refused = project.run({"check"});
    CHECK(refused.exit_code == 2);
    REQUIRE(lines(refused.err).size() == 2);
    CHECK(
        lines(refused.err)[1] ==
        "error: schema.sql:7: psql meta-command \\connect is not SQL; remove it from the desired-state file");
}

const bool registered = e2e::register_backend_cases({
    make_case<seed_example>("the seed's autogenerate example: users, then an email column", "[autogenerate]"),
    make_case<round_trip_corpus>("autogenerate round trip over the corpus: upgrade, check is clean, "
                                 "downgrade equals the previous models",
                                 "[autogenerate]"),
    make_case<recreate_keeps_rows_indexes_and_foreign_keys>(
        "a NOT NULL change keeps rows, indexes and foreign keys (SQLite rebuilds the table)",
        "[autogenerate]"),
    make_case<documented_example>("the complete example of docs/models.md autogenerates and checks clean",
                                  "[autogenerate][docs]"),
    make_case<desired_state_sql>("a desired-state SQL file works as the models", "[autogenerate]"),
    make_case<check_reports_drift_and_autogenerate_needs_the_parent>(
        "check reports drift as JSON and honours exclude_tables, autogenerate refuses a database behind",
        "[autogenerate][check]"),
    make_case<bad_models_name_file_and_line>("bad models get one error line with the file and line",
                                             "[autogenerate]"),
    make_case<integer_primary_key_yaml_equals_sql>(
        "an integer primary key declared in YAML equals INTEGER PRIMARY KEY in SQL", "[autogenerate]"),
    make_case<not_compared_is_never_clean>("an attribute not compared is named and check is not clean",
                                           "[autogenerate][check]"),
    make_case<unread_attributes_are_named>(
        "collations, index sort order and other attributes not compared are named and check is not clean",
        "[autogenerate][check]"),
    make_case<collations_round_trip>("column collations (and MySQL table collations) are compared, generated "
                                     "and undone",
                                     "[autogenerate][check]"),
    make_case<index_orders_and_classes_round_trip>(
        "index sort orders (and operator classes and index collations) are compared, generated and undone",
        "[autogenerate][check]"),
    {"autogenerate reads back and writes MySQL index prefix lengths", "[autogenerate]", nullptr, nullptr,
     &e2e::on_backend<Backend::Mysql, mysql_index_prefix_lengths>},
    {"deferrable constraints (PostgreSQL's, SQLite's foreign keys INITIALLY DEFERRED) are compared, "
     "generated and undone",
     "[autogenerate][check]", &e2e::on_backend<Backend::Sqlite, deferrable_constraints>,
     &e2e::on_backend<Backend::Postgresql, deferrable_constraints>, nullptr},
    {"sequences no column owns are compared, generated and undone", "[autogenerate][check]", nullptr,
     &e2e::on_backend<Backend::Postgresql, sequences_round_trip>,
     &e2e::on_backend<Backend::Mysql, sequences_round_trip>},
    make_case<generated_columns_round_trip>(
        "generated columns are compared, generated and undone, and named against a model file",
        "[autogenerate][check]"),
    {"PostgreSQL enum types are compared, generated and undone, added labels in place",
     "[autogenerate][check]", nullptr,
     &e2e::on_backend<Backend::Postgresql, postgresql_enum_types_round_trip>, nullptr},
    {"SQLite's WITHOUT ROWID and STRICT are compared, generated and undone", "[autogenerate][check]",
     &e2e::on_backend<Backend::Sqlite, sqlite_table_options_round_trip>, nullptr, nullptr},
    {"a PostgreSQL desired-state file skips COPY rows and refuses psql meta-commands", "[autogenerate]",
     nullptr, &e2e::on_backend<Backend::Postgresql, postgresql_desired_state_as_psql>, nullptr},
    make_case<desired_state_cannot_reach_the_live_database>(
        "a desired-state file cannot change the live database: refused at its line, and undone on PostgreSQL",
        "[autogenerate]"),
    {"a MySQL desired-state file with DELIMITER loads", "[autogenerate]", nullptr, nullptr,
     &e2e::on_backend<Backend::Mysql, mysql_desired_state_with_delimiter>},
});

}  // namespace
