// The tutorial, failure, branch, offline and locking suites on every backend: always on SQLite, and on
// PostgreSQL / MariaDB when MIGRATOR_TEST_POSTGRESQL_URL / MIGRATOR_TEST_MYSQL_URL name a server
// (scripts/db-servers.sh). Without them the server cases are not registered at all, unless
// MIGRATOR_REQUIRE_SERVERS=1, which registers one failing case per missing server so that a CI run cannot
// pass without them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>

#include "backend_cases.hpp"
#include "db/locks.hpp"
#include "e2e_support.hpp"

using e2e::Backend;
using e2e::lines;
using e2e::make_case;
using e2e::make_server_case;
using e2e::Project;
using e2e::sorted;
using Rows = std::vector<std::string>;

namespace {

// MySQL commits DDL implicitly, so a failed migration keeps what ran before the failing statement.
bool transactional_ddl(Backend backend) {
    return backend != Backend::Mysql;
}

std::string missing_table_message(Backend backend) {
    switch (backend) {
        case Backend::Sqlite:
            return "no such table: no_such_table";
        case Backend::Postgresql:
            return "relation \"no_such_table\" does not exist";
        case Backend::Mysql:
            return "no_such_table' doesn't exist";
    }
    return "";
}

void tutorial(Backend backend) {
    Project project(backend);
    project.init();
    CHECK(std::filesystem::is_directory(project.dir() / "migrations/versions"));
    CHECK(std::filesystem::exists(project.dir() / "migrations/script.sql.tmpl"));
    CHECK(project.read("migrator.yaml").find(project.url()) != std::string::npos);

    const auto users = e2e::new_revision(
        project, {"-m", "create users table"},
        "CREATE TABLE users (id INTEGER PRIMARY KEY, username VARCHAR(50) UNIQUE);", "DROP TABLE users;");
    const auto first_upgrade = project.run({"upgrade", "head"});
    REQUIRE(first_upgrade.exit_code == 0);
    CHECK(first_upgrade.err.find("Running upgrade  -> " + users + ", create users table") !=
          std::string::npos);
    CHECK(project.tables() == Rows{"migrator_version", "users"});
    CHECK(project.versions() == Rows{users});

    const auto email = e2e::new_revision(project, {"-m", "add email column to users"},
                                         "ALTER TABLE users ADD COLUMN email VARCHAR(100);",
                                         "ALTER TABLE users DROP COLUMN email;");
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    CHECK(project.versions() == Rows{email});
    CHECK(project.columns("users") == Rows{"id", "username", "email"});
    CHECK(lines(project.run({"current"}).out) == Rows{email + " (head)"});

    const auto history = project.run({"history"});
    REQUIRE(history.exit_code == 0);
    CHECK(lines(history.out) == Rows{users + " -> " + email + " (head), add email column to users",
                                     "<base> -> " + users + ", create users table"});

    const auto downgrade = project.run({"downgrade", "-1"});
    REQUIRE(downgrade.exit_code == 0);
    CHECK(downgrade.err.find("Running downgrade " + email + " -> " + users) != std::string::npos);
    CHECK(project.versions() == Rows{users});
    CHECK(project.columns("users") == Rows{"id", "username"});
    CHECK(lines(project.run({"current"}).out) == Rows{users});

    REQUIRE(project.run({"downgrade", "base"}).exit_code == 0);
    CHECK(project.tables() == Rows{"migrator_version"});
    CHECK(project.versions().empty());
}

void example_project(Backend backend) {
    Project project(backend);
    const std::filesystem::path example = MIGRATOR_SOURCE_DIR "/migrations";
    std::filesystem::copy(example, project.dir() / "migrations", std::filesystem::copy_options::recursive);
    project.write("migrator.yaml", "script_location: migrations\ndatabase:\n  url: " + project.url() + "\n");
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    CHECK(project.columns("users") == Rows{"id", "username", "email"});
    REQUIRE(project.run({"current", "--check-heads"}).exit_code == 0);
    REQUIRE(project.run({"downgrade", "base"}).exit_code == 0);
    CHECK(project.tables() == Rows{"migrator_version"});
}

void write_three_migrations(const Project& project) {
    project.add_script("0001_aaaaaaaaaaa1_one", "aaaaaaaaaaa1", "", "CREATE TABLE one (id INTEGER);",
                       "DROP TABLE one;");
    project.add_script(
        "0002_aaaaaaaaaaa2_two", "aaaaaaaaaaa2", "aaaaaaaaaaa1",
        "CREATE TABLE two (id INTEGER);\nINSERT INTO two VALUES (1);\nINSERT INTO no_such_table VALUES (1);",
        "DROP TABLE two;");
    project.add_script("0003_aaaaaaaaaaa3_three", "aaaaaaaaaaa3", "aaaaaaaaaaa2",
                       "CREATE TABLE three (id INTEGER);", "DROP TABLE three;");
}

void failure_rolls_back_one_migration(Backend backend) {
    Project project(backend);
    project.init();
    write_three_migrations(project);

    const auto result = project.run({"upgrade", "head"});
    CHECK(result.exit_code == 2);
    const auto error_lines = lines(result.err);
    REQUIRE(!error_lines.empty());
    const auto& error = error_lines.back();
    CHECK(error.rfind("error: ", 0) == 0);
    CHECK(error.find("0002_aaaaaaaaaaa2_two.sql") != std::string::npos);
    CHECK(error.find("line 8") != std::string::npos);
    CHECK(error.find("INSERT INTO no_such_table") != std::string::npos);
    CHECK(error.find(missing_table_message(backend)) != std::string::npos);

    CHECK(project.versions() == Rows{"aaaaaaaaaaa1"});
    if (transactional_ddl(backend)) {
        CHECK(project.tables() == Rows{"migrator_version", "one"});
    } else {
        // CREATE TABLE committed, and the INSERT after it ran in autocommit mode.
        CHECK(project.tables() == Rows{"migrator_version", "one", "two"});
        CHECK(project.query("SELECT COUNT(*) FROM two") == Rows{"1"});
    }
}

// The driver's own words (SOCI's "sqlite3_statement_backend::prepare: ", "Cannot execute query.") never
// reach the user; the database's do.
void expect_database_text_only(const std::string& err, const std::string& database_text) {
    INFO(err);
    CHECK(err.find(database_text) != std::string::npos);
    for (const auto* driver :
         {"_backend", "soci", "SOCI", "::", "Cannot execute query", "Cannot prepare statement"})
        CHECK(err.find(driver) == std::string::npos);
}

void failing_statements_show_the_database_text_without_driver_prefixes(Backend backend) {
    Project project(backend);
    project.init();
    // A migration's statement, run by the connection itself.
    e2e::new_revision(project, {"-m", "broken"}, "INSERT INTO no_such_table VALUES (1);", "");
    const auto upgrade = project.run({"upgrade", "head"});
    CHECK(upgrade.exit_code == 2);
    expect_database_text_only(upgrade.err, missing_table_message(backend));

    // A query whose rows the driver reads: a version table without its column.
    project.execute("DROP TABLE IF EXISTS migrator_version");
    project.execute("CREATE TABLE migrator_version (other INTEGER)");
    const auto current = project.run({"current"});
    CHECK(current.exit_code == 2);
    expect_database_text_only(current.err, "version_num");
}

void failure_without_transaction_per_migration(Backend backend) {
    Project project(backend);
    project.init();
    project.write("migrator.yaml",
                  "script_location: migrations\ntransaction_per_migration: false\ndatabase:\n  url: " +
                      project.url() + "\n");
    write_three_migrations(project);

    CHECK(project.run({"upgrade", "head"}).exit_code == 2);
    if (transactional_ddl(backend)) {
        CHECK(project.tables().empty());
    } else {
        CHECK(project.tables() == Rows{"migrator_version", "one", "two"});
        CHECK(project.versions() == Rows{"aaaaaaaaaaa1"});
    }
}

void failure_then_fix_and_continue(Backend backend) {
    Project project(backend);
    project.init();
    write_three_migrations(project);
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 2);

    project.add_script("0002_aaaaaaaaaaa2_two", "aaaaaaaaaaa2", "aaaaaaaaaaa1",
                       "CREATE TABLE IF NOT EXISTS two (id INTEGER);\nINSERT INTO two VALUES (1);",
                       "DROP TABLE two;");
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    CHECK(project.versions() == Rows{"aaaaaaaaaaa3"});
    CHECK(project.query("SELECT COUNT(*) FROM two") == Rows{transactional_ddl(backend) ? "1" : "2"});
}

// Long enough that the second runner starts while the first one holds the lock.
std::string slow_statement(Backend backend) {
    switch (backend) {
        case Backend::Sqlite:
            return "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) "
                   "SELECT COUNT(*) FROM c;";
        case Backend::Postgresql:
            return "SELECT pg_sleep(0.5);";
        case Backend::Mysql:
            return "SELECT SLEEP(0.5);";
    }
    return "";
}

void concurrent_upgrades(Backend backend) {
    Project project(backend);
    project.init();
    project.add_script(
        "0001_aaaaaaaaaaa1_one", "aaaaaaaaaaa1", "",
        "CREATE TABLE counter (n INTEGER);\nINSERT INTO counter VALUES (1);\n" + slow_statement(backend),
        "DROP TABLE counter;");
    project.add_script("0002_aaaaaaaaaaa2_two", "aaaaaaaaaaa2", "aaaaaaaaaaa1",
                       "INSERT INTO counter VALUES (2);", "DELETE FROM counter WHERE n = 2;");
    constexpr std::size_t runners = 8;
    const std::vector<std::vector<std::string>> commands(runners, {"upgrade", "head"});
    const auto results = project.run_concurrently(commands);
    REQUIRE(results.size() == runners);
    int ran_first = 0;
    int ran_second = 0;
    for (const auto& result : results) {
        CHECK(result.exit_code == 0);
        if (result.err.find("Running upgrade  -> aaaaaaaaaaa1") != std::string::npos) ++ran_first;
        if (result.err.find("Running upgrade aaaaaaaaaaa1 -> aaaaaaaaaaa2") != std::string::npos)
            ++ran_second;
    }
    // Every later runner read the heads under the lock, after the first one committed.
    CHECK(ran_first == 1);
    CHECK(ran_second == 1);
    CHECK(project.query("SELECT n FROM counter ORDER BY n") == Rows{"1", "2"});
    CHECK(project.versions() == Rows{"aaaaaaaaaaa2"});
}

void branches_merge_and_stamp(Backend backend) {
    Project project(backend);
    project.init();
    const auto base = e2e::new_revision(project, {"-m", "base", "--rev-id", "c0000000000a"},
                                        "CREATE TABLE base (id INTEGER);", "DROP TABLE base;");
    const auto left = e2e::new_revision(project, {"-m", "left", "--rev-id", "c0000000000b"},
                                        "CREATE TABLE lefty (id INTEGER);", "DROP TABLE lefty;");
    const auto right =
        e2e::new_revision(project, {"-m", "right", "--head", base, "--splice", "--rev-id", "c0000000000c"},
                          "CREATE TABLE righty (id INTEGER);", "DROP TABLE righty;");
    REQUIRE(project.run({"upgrade", "heads"}).exit_code == 0);
    CHECK(sorted(project.versions()) == Rows{left, right});
    REQUIRE(project.run({"merge", "-m", "join", "heads", "--rev-id", "c0000000000d"}).exit_code == 0);
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    CHECK(project.versions() == Rows{"c0000000000d"});
    REQUIRE(project.run({"downgrade", left}).exit_code == 0);
    CHECK(sorted(project.versions()) == Rows{left, right});
    REQUIRE(project.run({"downgrade", right + "@-1"}).exit_code == 0);
    CHECK(project.versions() == Rows{left});
    CHECK(sorted(project.tables()) == Rows{"base", "lefty", "migrator_version"});
    REQUIRE(project.run({"stamp", "c0000000000d"}).exit_code == 0);
    CHECK(project.versions() == Rows{"c0000000000d"});
    REQUIRE(project.run({"stamp", "base"}).exit_code == 0);
    CHECK(project.versions().empty());
    CHECK(sorted(project.tables()) == Rows{"base", "lefty", "migrator_version"});
}

void offline_sql_in_the_dialect(Backend backend) {
    Project project(backend);
    project.init();
    e2e::new_revision(project, {"-m", "users", "--rev-id", "f0000000000a"},
                      "CREATE TABLE users (id INTEGER);", "DROP TABLE users;");
    const auto result = project.run({"upgrade", "head", "--sql"});
    REQUIRE(result.exit_code == 0);
    const bool mysql = backend == Backend::Mysql;
    CHECK(result.out.find(mysql ? "START TRANSACTION;" : "BEGIN;") != std::string::npos);
    const std::string table = mysql ? "`migrator_version`" : "\"migrator_version\"";
    CHECK(result.out.find("CREATE TABLE " + table) != std::string::npos);
    CHECK(result.out.find("INSERT INTO " + table + " (version_num) VALUES ('f0000000000a');") !=
          std::string::npos);
    // Offline means no connection: the database stays empty (on SQLite, is not even created).
    if (backend == Backend::Sqlite) {
        CHECK_FALSE(std::filesystem::exists(project.dir() / "app.db"));
    } else {
        CHECK(project.tables().empty());
    }
}

// The URL with one part replaced, to point a server case at a wrong password, host or port.
std::string replace_between(const std::string& url, const std::string& after, char until,
                            const std::string& with) {
    const auto start = url.find(after, url.find("://") + 3) + after.size();
    const auto end = url.find(until, start);
    return url.substr(0, start) + with + url.substr(end);
}

std::string password_of(const std::string& url) {
    const auto start = url.find(':', url.find("://") + 3) + 1;
    return url.substr(start, url.find('@') - start);
}

void expect_connect_error(const e2e::RunResult& result, const std::string& what, const std::string& secret) {
    INFO("stderr: " << result.err);
    CHECK(result.exit_code == 2);
    const auto error_lines = lines(result.err);
    REQUIRE(error_lines.size() == 1);
    CHECK(error_lines.front().rfind("error: cannot connect to ", 0) == 0);
    CHECK(error_lines.front().find(what) != std::string::npos);
    CHECK(result.err.find(secret) == std::string::npos);
}

void wrong_password(Backend backend) {
    Project project(backend);
    project.init();
    const auto bad = replace_between(project.url(), ":", '@', "Wrong-Pass-77");
    // --wait does not wait out a wrong password: no "(waited ...)" and one attempt only.
    const auto result = project.run({"--url", bad, "--wait", "--wait-timeout", "30", "current"});
    expect_connect_error(result, "authentication failed for user 'migrator'", "Wrong-Pass-77");
    CHECK(result.err.find("waited") == std::string::npos);
}

void unknown_host(Backend backend) {
    Project project(backend);
    project.init();
    const auto bad = replace_between(project.url(), "@", ':', "no-such-host.invalid");
    expect_connect_error(project.run({"--url", bad, "current"}), "unknown host", password_of(project.url()));
}

void connection_refused(Backend backend) {
    Project project(backend);
    project.init();
    const auto bad = replace_between(project.url(), "127.0.0.1:", '/', "1");
    expect_connect_error(project.run({"--url", bad, "current"}), "connection refused",
                         password_of(project.url()));
}

void password_never_shown(Backend backend) {
    Project project(backend);
    project.init();
    const auto password = password_of(project.url());
    REQUIRE(password.size() >= 8);
    e2e::new_revision(project, {"-m", "users"}, "CREATE TABLE users (id INTEGER);", "DROP TABLE users;");
    e2e::new_revision(project, {"-m", "broken"}, "INSERT INTO no_such_table VALUES (1);", "SELECT 1;");
    for (const auto& args :
         std::vector<std::vector<std::string>>{{"--debug", "upgrade", "head"},
                                               {"current", "--verbose"},
                                               {"history", "--verbose", "--indicate-current"},
                                               {"upgrade", "head", "--sql"},
                                               {"--debug", "downgrade", "base"}}) {
        const auto result = project.run(args);
        INFO(args.front() << " " << args[1]);
        CHECK(result.out.find(password) == std::string::npos);
        CHECK(result.err.find(password) == std::string::npos);
    }
    CHECK(project.run({"current", "--verbose"}).out.find(":***@") != std::string::npos);
}

// Each backend's statement that must run outside a transaction block (SQLite and PostgreSQL refuse them
// inside one), so success proves the section really ran outside.
void non_transactional_section(Backend backend) {
    Project project(backend);
    project.init();
    project.add_script("0001_b00000000001_t", "b00000000001", "", "CREATE TABLE t (id INTEGER);",
                       "DROP TABLE t;");
    const std::string upgrade = backend == Backend::Postgresql ? "CREATE INDEX CONCURRENTLY t_id ON t (id);"
                                : backend == Backend::Sqlite   ? "VACUUM;"
                                                               : "CREATE INDEX t_id ON t (id);";
    const std::string downgrade = backend == Backend::Postgresql ? "DROP INDEX CONCURRENTLY t_id;"
                                  : backend == Backend::Sqlite   ? "VACUUM;"
                                                                 : "DROP INDEX t_id ON t;";
    project.write("migrations/versions/0002_b00000000002_index.sql",
                  "-- message: index\n-- revision: b00000000002\n-- down_revision: b00000000001\n\n"
                  "-- migrate:upgrade transaction=false\n" +
                      upgrade + "\n\n-- migrate:downgrade transaction=false\n" + downgrade + "\n");
    const auto up = project.run({"upgrade", "head"});
    INFO(up.err);
    REQUIRE(up.exit_code == 0);
    CHECK(project.versions() == Rows{"b00000000002"});
    REQUIRE(project.run({"downgrade", "-1"}).exit_code == 0);
    CHECK(project.versions() == Rows{"b00000000001"});
}

// PostgreSQL keeps the version table in the configured schema, qualified in every statement.
void version_table_in_a_schema(Backend backend) {
    Project project(backend);
    project.init();
    project.execute("CREATE SCHEMA audit");
    project.write("migrator.yaml",
                  "script_location: migrations\nversion_table_schema: audit\ndatabase:\n  url: " +
                      project.url() + "\n");
    project.add_script("0001_b00000000003_t", "b00000000003", "", "CREATE TABLE t (id INTEGER);",
                       "DROP TABLE t;");
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    CHECK(project.query("SELECT version_num FROM audit.migrator_version") == Rows{"b00000000003"});
    CHECK(project.tables() == Rows{"t"});
    CHECK(lines(project.run({"current"}).out) == Rows{"b00000000003 (head)"});
    const auto sql = project.run({"upgrade", "head", "--sql"});
    CHECK(sql.out.find("CREATE TABLE \"audit\".\"migrator_version\"") != std::string::npos);
}

// Another runner holds the lock in its own session (the database client, taking the very lock
// migrator takes); migrator, run from inside that session, must give up after --lock-timeout.
void lock_timeout_on_server(Backend backend) {
    Project project(backend);
    project.init();
    project.add_script("0001_b00000000004_one", "b00000000004", "", "CREATE TABLE one (id INTEGER);",
                       "DROP TABLE one;");
    const bool postgresql = backend == Backend::Postgresql;
    const std::string version_table = postgresql ? "\"migrator_version\"" : "`migrator_version`";
    // No ';' in the shell command: the MariaDB client would cut it there. The exit code is written
    // only when migrator fails, which is what must happen.
    const std::string lock_name = migrator::db::mysql_lock_name(
        "`" + project.url().substr(project.url().rfind('/') + 1) + "`." + version_table);
    // On a Galera cluster (scripts/db-servers.sh start-galera) the lock is a lease row that another
    // migrator holds until it writes the holder back empty (docs/galera.md).
    const bool galera = !postgresql && project.query("SHOW VARIABLES LIKE 'wsrep_on'") == Rows{"wsrep_on|ON"};
    const std::string take_lock =
        postgresql ? "SELECT pg_advisory_lock(" + std::to_string(migrator::db::lock_key(version_table)) + ")"
        : galera ? "CREATE TABLE IF NOT EXISTS migrator_lock (name VARCHAR(64) NOT NULL PRIMARY KEY, holder "
                   "VARCHAR(255) NOT NULL, beat BIGINT NOT NULL) ENGINE=InnoDB; INSERT INTO migrator_lock "
                   "VALUES ('" +
                       lock_name + "', 'another migrator', 1);"
                 // GET_LOCK names are server-wide: migrator scopes an unqualified version table by its
                 // database.
                 : "SELECT GET_LOCK('" + lock_name + "', 10);";
    std::vector<std::string> session{
        take_lock, std::string("\\! ") + MIGRATOR_BINARY +
                       " --lock-timeout 1 upgrade head > locked.out 2> locked.err || echo $? > locked.code"};
    if (galera) session.push_back("UPDATE migrator_lock SET holder = '' WHERE name = '" + lock_name + "';");
    project.run_in_session(session);
    CHECK(project.read("locked.code") == "2\n");
    CHECK(lines(project.read("locked.err")).back() ==
          "error: the database is locked by another migrator (waited 1 s)");
    CHECK(project.tables().empty());
    // The lock went with the other session (on Galera, the session wrote the row back free).
    REQUIRE(project.run({"--lock-timeout", "0", "upgrade", "head"}).exit_code == 0);
    CHECK(project.versions() == Rows{"b00000000004"});
}

template <Backend B>
void server_required() {
    FAIL("MIGRATOR_REQUIRE_SERVERS=1 but " << e2e::server_url_variable(B)
                                           << " is not set; run scripts/db-servers.sh start and "
                                              "eval \"$(scripts/db-servers.sh env)\"");
}

bool servers_required() {
    const char* value = std::getenv("MIGRATOR_REQUIRE_SERVERS");
    return value != nullptr && std::string(value) == "1";
}

const bool registered = [] {
    e2e::register_backend_cases({
        make_case<tutorial>("the tutorial works as written in the README", "[tutorial]"),
        make_case<example_project>("the example project in migrations/ upgrades and downgrades cleanly",
                                   "[tutorial]"),
        make_case<failure_rolls_back_one_migration>(
            "a failing statement rolls back its migration and keeps the earlier ones", "[failure]"),
        make_case<failing_statements_show_the_database_text_without_driver_prefixes>(
            "a failing statement shows the database's text without driver prefixes", "[failure]"),
        make_case<failure_without_transaction_per_migration>(
            "with transaction_per_migration false a failure leaves only what the database cannot roll back",
            "[failure]"),
        make_case<concurrent_upgrades>("eight concurrent upgrades run each migration exactly once", "[lock]"),
        make_case<failure_then_fix_and_continue>(
            "after fixing the script, upgrade continues from where it stopped", "[failure]"),
        make_case<branches_merge_and_stamp>("two heads, their merge, an unmerge and stamps", "[branches]"),
        make_case<offline_sql_in_the_dialect>(
            "offline SQL is written in the URL's dialect without connecting", "[offline]"),
        make_case<non_transactional_section>("a transaction=false section runs outside any transaction",
                                             "[transactions]"),
        make_server_case<lock_timeout_on_server>(
            "upgrade gives up when another session holds the lock past --lock-timeout", "[lock]"),
        make_server_case<wrong_password>("a wrong password is its own error and is never retried or shown",
                                         "[connect]"),
        make_server_case<unknown_host>("an unknown host is its own error", "[connect]"),
        make_server_case<connection_refused>("a refused connection is its own error", "[connect]"),
        make_server_case<password_never_shown>("the password appears in no output, logs, --verbose or --sql",
                                               "[connect]"),
    });
    if (e2e::server_url(Backend::Postgresql)) {
        e2e::register_case(&e2e::on_backend<Backend::Postgresql, version_table_in_a_schema>,
                           Backend::Postgresql, "version_table_schema puts the version table in that schema",
                           "[dialect]");
    }
    const std::pair<Backend, void (*)()> servers[] = {
        {Backend::Postgresql, &server_required<Backend::Postgresql>},
        {Backend::Mysql, &server_required<Backend::Mysql>}};
    for (const auto& [backend, required] : servers) {
        if (!e2e::server_url(backend) && servers_required()) {
            e2e::register_case(required, backend, "the test server is configured", "[required]");
        }
    }
    return true;
}();

}  // namespace
