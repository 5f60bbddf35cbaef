// Checkpoints on every backend: `squash` writes the schema at a revision, a fresh database reaches the
// same schema through it as through the scripts, and everything else keeps replaying the scripts.
#include <catch2/catch.hpp>

#include <algorithm>

#include "../unit/schema_builders.hpp"
#include "autogenerate/inspector.hpp"
#include "backend_cases.hpp"
#include "dialect/dialect.hpp"
#include "runtime/checkpoint_image.hpp"

using e2e::Backend;
using e2e::contains;
using e2e::Project;
using Rows = std::vector<std::string>;

namespace {

const std::string r1 = "000000000001";
const std::string r2 = "000000000002";
const std::string r3 = "000000000003";
const std::string r4 = "000000000004";

const char* const users_sql =
    "CREATE TABLE users (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL, "
    "status VARCHAR(20) DEFAULT 'new');";
const char* const posts_sql =
    "CREATE TABLE posts (id INTEGER NOT NULL PRIMARY KEY, user_id INTEGER NOT NULL, title VARCHAR(100), "
    "CONSTRAINT fk_posts_user FOREIGN KEY (user_id) REFERENCES users (id));\n"
    "CREATE INDEX ix_posts_title ON posts (title);";
const char* const email_sql =
    "ALTER TABLE users ADD COLUMN email VARCHAR(100);\nCREATE UNIQUE INDEX ux_users_email ON users (email);";
const char* const tags_sql = "CREATE TABLE tags (id INTEGER NOT NULL PRIMARY KEY, label VARCHAR(30));";

// r1 -> r2 -> r3 -> r4; `second` replaces r2's upgrade.
void add_scripts(const Project& project, const std::string& second = posts_sql) {
    project.add_script("0001_users", r1, "", users_sql, "DROP TABLE users;");
    project.add_script("0002_posts", r2, r1, second, "DROP TABLE posts;");
    project.add_script("0003_email", r3, r2, email_sql, "SELECT 1;");
    project.add_script("0004_tags", r4, r3, tags_sql, "DROP TABLE tags;");
}

std::string checkpoint_file(Backend backend, const std::string& revision) {
    return "migrations/checkpoints/" + revision + "_" + e2e::backend_name(backend) + ".sql";
}

migrator::schema::Schema inspect(const Project& project) {
    const auto url = project.backend() == Backend::Sqlite ? "sqlite:///" + (project.dir() / "app.db").string()
                                                          : project.url();
    const auto connection = test::open_database(url);
    const auto kind = project.backend() == Backend::Postgresql ? migrator::dialect::DialectKind::Postgresql
                      : project.backend() == Backend::Mysql    ? migrator::dialect::DialectKind::Mysql
                                                               : migrator::dialect::DialectKind::Sqlite;
    return migrator::autogenerate::inspect_schema(*connection, migrator::dialect::dialect_for(kind), "",
                                                  "migrator_version",
                                                  {{}, {"migrator_history", "migrator_lock"}});
}

// No scratch database is left on the server (a SQLite scratch file is private to the process).
/// This project's scratch databases (named after its database): other cases squash on the same server at
/// once.
Rows scratch_databases(const Project& project) {
    const auto pattern = "'" + project.database().substr(0, 20) + "%migrator_checkpoint%'";
    if (project.backend() == Backend::Postgresql)
        return project.query("SELECT datname FROM pg_database WHERE datname LIKE " + pattern);
    if (project.backend() == Backend::Mysql) {
        return project.query("SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE " +
                             pattern);
    }
    return {};
}

void checkpoint_equals_replay(Backend backend) {
    Project through(backend);
    through.init();
    add_scripts(through);
    const auto squashed = through.run({"squash", r3, "-m", "first three"});
    INFO(squashed.err);
    REQUIRE(squashed.exit_code == 0);
    CHECK(contains(squashed.out, checkpoint_file(backend, r3)));
    CHECK(scratch_databases(through).empty());
    const auto text = through.read(checkpoint_file(backend, r3));
    CHECK(text.rfind("-- checkpoint: " + r3 +
                         "\n-- message: first three\n-- dialect: " + e2e::backend_name(backend) + "\n",
                     0) == 0);
    // The graph is unchanged: the checkpoint is no revision.
    CHECK(e2e::lines(through.run({"heads"}).out) == Rows{r4 + " (head)"});

    const auto upgraded = through.run({"upgrade", "head"});
    INFO(upgraded.err);
    REQUIRE(upgraded.exit_code == 0);
    CHECK(contains(upgraded.err, "checkpoint: running"));
    CHECK_FALSE(contains(upgraded.err, "-> " + r1));
    CHECK_FALSE(contains(upgraded.err, "-> " + r3));
    CHECK(contains(upgraded.err, r3 + " -> " + r4));
    CHECK(through.versions() == Rows{r4});

    Project replayed(backend);
    replayed.init();
    add_scripts(replayed);
    replayed.write(checkpoint_file(backend, r3), text);
    const auto full = replayed.run({"upgrade", "head", "--no-checkpoint"});
    INFO(full.err);
    REQUIRE(full.exit_code == 0);
    CHECK_FALSE(contains(full.err, "checkpoint:"));
    CHECK(contains(full.err, "-> " + r1));
    CHECK(replayed.versions() == Rows{r4});

    const auto via_checkpoint = inspect(through);
    CHECK(via_checkpoint.tables.size() == 3);
    CHECK(via_checkpoint == inspect(replayed));

    // The models are the scripts' DDL: check is clean on the database reached through the checkpoint.
    through.write("models.sql",
                  std::string(users_sql) + "\n" + posts_sql + "\n" + email_sql + "\n" + tags_sql);
    through.write("migrator.yaml", through.read("migrator.yaml") + "\nmodels: models.sql\n");
    const auto check = through.run({"check"});
    INFO(check.out);
    CHECK(check.exit_code == 0);

    // Downgrades run the scripts as usual.
    REQUIRE(through.run({"downgrade", r2}).exit_code == 0);
    CHECK(through.versions() == Rows{r2});
}

void existing_database_ignores_checkpoint(Backend backend) {
    Project project(backend);
    project.init();
    add_scripts(project);
    REQUIRE(project.run({"squash", r3, "-m", "x"}).exit_code == 0);
    // A target before the checkpoint replays the scripts.
    const auto early = project.run({"upgrade", r2});
    REQUIRE(early.exit_code == 0);
    CHECK_FALSE(contains(early.err, "checkpoint:"));
    CHECK(project.versions() == Rows{r2});
    // The database has a version table now: the rest replays too.
    const auto rest = project.run({"upgrade", "head"});
    REQUIRE(rest.exit_code == 0);
    CHECK_FALSE(contains(rest.err, "checkpoint:"));
    CHECK(contains(rest.err, r2 + " -> " + r3));
    CHECK(project.versions() == Rows{r4});
    // So does a database downgraded to base, whose version table is empty.
    REQUIRE(project.run({"downgrade", "base"}).exit_code == 0);
    const auto again = project.run({"upgrade", "head"});
    REQUIRE(again.exit_code == 0);
    CHECK_FALSE(contains(again.err, "checkpoint:"));
    CHECK(project.versions() == Rows{r4});
}

void data_changes_refused_unless_schema_only(Backend backend) {
    Project project(backend);
    project.init();
    add_scripts(project, std::string(posts_sql) + "\nINSERT INTO users (id, name) VALUES (1, 'ann');");
    const auto refused = project.run({"squash", r3, "-m", "x"});
    CHECK(refused.exit_code == 2);
    CHECK(contains(refused.err, "error: squash: 1 statement(s)"));
    CHECK(contains(refused.err, "0002_posts.sql:8: INSERT"));
    CHECK(contains(refused.err, "--schema-only"));
    CHECK_FALSE(std::filesystem::exists(project.dir() / checkpoint_file(backend, r3)));
    CHECK(scratch_databases(project).empty());

    const auto forced = project.run({"squash", r3, "-m", "x", "--schema-only"});
    INFO(forced.err);
    REQUIRE(forced.exit_code == 0);
    CHECK(contains(project.read(checkpoint_file(backend, r3)),
                   "-- not carried (--schema-only): versions/0002_posts.sql:8: INSERT"));
    const auto upgraded = project.run({"upgrade", r3});
    REQUIRE(upgraded.exit_code == 0);
    CHECK(contains(upgraded.err, "info: done: the database is now at " + r3));
    CHECK_FALSE(contains(upgraded.err, "nothing to do"));
    CHECK(project.versions() == Rows{r3});
    // The documented limit: the row is not there.
    CHECK(project.query("SELECT COUNT(*) FROM users") == Rows{"0"});

    // A second squash of the same revision does not overwrite the first.
    const auto again = project.run({"squash", r3, "-m", "x", "--schema-only"});
    CHECK(again.exit_code == 2);
    CHECK(contains(again.err, "already exists"));
}

void unsupported_objects_refused(Backend backend) {
    Project project(backend);
    project.init();
    const auto unread = e2e::unread_object(backend);
    add_scripts(project, std::string(posts_sql) + "\n" + unread.sql);
    const auto refused = project.run({"squash", r3, "-m", "x"});
    CHECK(refused.exit_code == 2);
    CHECK(contains(refused.err, "cannot carry: " + unread.kind + " " + unread.name));
    CHECK_FALSE(std::filesystem::exists(project.dir() / checkpoint_file(backend, r3)));
    CHECK(scratch_databases(project).empty());
}

void failing_checkpoint_names_line(Backend backend) {
    Project project(backend);
    project.init();
    add_scripts(project);
    REQUIRE(project.run({"squash", r3, "-m", "x"}).exit_code == 0);
    auto text = project.read(checkpoint_file(backend, r3));
    text += "CREATE TABLE broken (;\n";
    project.write(checkpoint_file(backend, r3), text);
    const auto failed = project.run({"upgrade", "head"});
    CHECK(failed.exit_code == 2);
    const auto line = std::count(text.begin(), text.end(), '\n');
    CHECK(contains(failed.err, checkpoint_file(backend, r3) + ":" + std::to_string(line) + ":"));
    CHECK(contains(failed.err, "--no-checkpoint"));
    // No revision recorded: the version table comes after the checkpoint's statements, in its transaction.
    const auto tables = project.tables();
    CHECK(std::find(tables.begin(), tables.end(), "migrator_version") == tables.end());
    if (backend != Backend::Mysql) CHECK(tables.empty());
}

std::filesystem::path image_of(const Project& project, const std::string& revision) {
    const auto script = project.dir() / checkpoint_file(Backend::Sqlite, revision);
    return migrator::runtime::checkpoint_image_path(script,
                                                    project.read(checkpoint_file(Backend::Sqlite, revision)));
}

// The catalog as SQLite stores it: the exact CREATE statements, whichever way they got there.
Rows catalog(const Project& project) {
    return project.query(
        "SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master ORDER BY name");
}

// SQLite: squash also stores the database the checkpoint gives; a fresh database copies it in, and the
// result is the one running the script gives.
void image_stands_for_script(Backend backend) {
    Project project(backend);
    project.init();
    add_scripts(project);
    const auto squashed = project.run({"squash", r3, "-m", "first three"});
    INFO(squashed.err);
    REQUIRE(squashed.exit_code == 0);
    const auto image = image_of(project, r3);
    REQUIRE(std::filesystem::exists(image));
    CHECK(contains(squashed.err, "wrote the database image " + image.string()));

    const auto upgraded = project.run({"upgrade", "head"});
    INFO(upgraded.err);
    REQUIRE(upgraded.exit_code == 0);
    CHECK(contains(upgraded.err, "checkpoint: copied the database image"));
    CHECK(contains(upgraded.err, r3 + " -> " + r4));
    CHECK(project.versions() == Rows{r4});
    CHECK(project.query("PRAGMA integrity_check") == Rows{"ok"});
    const auto through_image = catalog(project);

    // The same project without the image runs the script: the same catalog, statement for statement.
    Project scripted(backend);
    scripted.init();
    add_scripts(scripted);
    scripted.write(checkpoint_file(backend, r3), project.read(checkpoint_file(backend, r3)));
    const auto ran = scripted.run({"upgrade", "head"});
    INFO(ran.err);
    REQUIRE(ran.exit_code == 0);
    CHECK_FALSE(contains(ran.err, "copied the database image"));
    CHECK(scripted.versions() == Rows{r4});
    CHECK(through_image == catalog(scripted));
    CHECK(inspect(project) == inspect(scripted));

    project.write("models.sql",
                  std::string(users_sql) + "\n" + posts_sql + "\n" + email_sql + "\n" + tags_sql);
    project.write("migrator.yaml", project.read("migrator.yaml") + "\nmodels: models.sql\n");
    const auto check = project.run({"check"});
    INFO(check.out);
    CHECK(check.exit_code == 0);
}

// An edited script is never shadowed by the image of its earlier text; nor is a database that already
// holds something replaced, nor a version table of another name.
void image_used_only_when_it_fits(Backend backend) {
    Project project(backend);
    project.init();
    add_scripts(project);
    REQUIRE(project.run({"squash", r3, "-m", "x"}).exit_code == 0);
    const auto image = image_of(project, r3);
    REQUIRE(std::filesystem::exists(image));

    // A table behind migrator's back: the image would wipe it out.
    project.execute("CREATE TABLE kept (id INTEGER)");
    const auto occupied = project.run({"upgrade", r3});
    INFO(occupied.err);
    REQUIRE(occupied.exit_code == 0);
    CHECK(contains(occupied.err, "not using the database image " + image.string() +
                                     ": the database already holds tables or other objects"));
    CHECK(project.tables() == Rows{"kept", "migrator_version", "posts", "users"});
    std::filesystem::remove(project.dir() / "app.db");

    const auto original = project.read(checkpoint_file(backend, r3));
    project.write(checkpoint_file(backend, r3), original + "CREATE TABLE added_by_hand (id INTEGER);\n");
    const auto edited = project.run({"upgrade", r3});
    INFO(edited.err);
    REQUIRE(edited.exit_code == 0);
    CHECK(contains(edited.err, "the database image " + image.string() + " was made from another text"));
    CHECK_FALSE(contains(edited.err, "copied the database image"));
    CHECK(project.tables() == Rows{"added_by_hand", "migrator_version", "posts", "users"});
    std::filesystem::remove(project.dir() / "app.db");

    project.write(checkpoint_file(backend, r3), original);
    project.write("migrator.yaml", project.read("migrator.yaml") + "\nversion_table: other_version\n");
    const auto renamed = project.run({"upgrade", r3});
    INFO(renamed.err);
    REQUIRE(renamed.exit_code == 0);
    CHECK(contains(renamed.err, "it has no version table other_version"));
    CHECK(project.versions("other_version") == Rows{r3});
    CHECK(project.tables() == Rows{"other_version", "posts", "users"});
}

const bool registered = e2e::register_backend_cases({
    {"squash stores a database image that a fresh database copies in, as running the script would",
     "[checkpoint]", &e2e::on_backend<Backend::Sqlite, image_stands_for_script>, nullptr, nullptr},
    {"the database image is used only for the script's own text, an empty database and its version table",
     "[checkpoint]", &e2e::on_backend<Backend::Sqlite, image_used_only_when_it_fits>, nullptr, nullptr},
    e2e::make_case<checkpoint_equals_replay>(
        "a fresh database reaches through a checkpoint the schema a full replay gives, and check is clean",
        "[checkpoint]"),
    e2e::make_case<existing_database_ignores_checkpoint>(
        "a database with a version table, or a target before the checkpoint, replays the scripts",
        "[checkpoint]"),
    e2e::make_case<data_changes_refused_unless_schema_only>(
        "squash lists the statements that change data and refuses them unless --schema-only", "[checkpoint]"),
    e2e::make_case<unsupported_objects_refused>("squash refuses a schema with an attribute it cannot carry",
                                                "[checkpoint]"),
    e2e::make_case<failing_checkpoint_names_line>(
        "a failing checkpoint statement names the file and line and records nothing", "[checkpoint]"),
});

}  // namespace
