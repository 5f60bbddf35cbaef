// Checksums, the history table, verify, status, log and --dry-run on every backend (issue 13).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "backend_cases.hpp"
#include "e2e_support.hpp"

extern char** environ;

using e2e::Backend;
using e2e::contains;
using e2e::lines;
using e2e::make_case;
using e2e::Project;
using Rows = std::vector<std::string>;

namespace {

const std::map<std::string, std::string> ci_actor{{"MIGRATOR_ACTOR", "ci-bot"}};

// Three revisions, the first two applied.
struct Applied {
    std::string first = "a1a1a1a1a1a1";
    std::string second = "b2b2b2b2b2b2";
    std::string third = "c3c3c3c3c3c3";
};

Applied two_applied(const Project& project) {
    Applied ids;
    project.init();
    project.add_script("0001_users", ids.first, "", "CREATE TABLE users (name VARCHAR(50));",
                       "DROP TABLE users;");
    project.add_script("0002_posts", ids.second, ids.first, "CREATE TABLE posts (id INT);",
                       "DROP TABLE posts;");
    const auto upgrade = project.run({"upgrade", "head"}, ci_actor);
    REQUIRE(upgrade.exit_code == 0);
    project.add_script("0003_tags", ids.third, ids.second, "CREATE TABLE tags (id INT);", "DROP TABLE tags;");
    return ids;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

void history_is_written_and_logged(Backend backend) {
    Project project(backend);
    const auto ids = two_applied(project);
    const auto rows = project.query(
        "SELECT revision, direction, outcome, actor, migrator_version FROM migrator_history ORDER BY id");
    CHECK(rows == Rows{ids.first + "|upgrade|success|ci-bot|" MIGRATOR_VERSION,
                       ids.second + "|upgrade|success|ci-bot|" MIGRATOR_VERSION});
    const auto checksums = project.query(
        "SELECT upgrade_checksum, downgrade_checksum, started_at, duration_ms FROM migrator_history ORDER BY "
        "id");
    REQUIRE(checksums.size() == 2);
    CHECK(checksums[0].starts_with("sha256:"));
    CHECK(checksums[0].size() > std::size_t{2} * (7 + 64));
    CHECK(contains(checksums[0], "Z|"));

    REQUIRE(project.run({"downgrade", "-1"}, ci_actor).exit_code == 0);
    const auto log = project.run({"log", "--format", "json"});
    REQUIRE(log.exit_code == 0);
    const auto json = nlohmann::json::parse(log.out);
    REQUIRE(json["log"].size() == 3);
    CHECK(json["log"][0]["direction"] == "downgrade");
    CHECK(json["log"][0]["revision"] == ids.second);
    CHECK(json["log"][2]["revision"] == ids.first);
    CHECK(json["log"][0]["outcome"] == "success");
    CHECK(json["log"][0]["error"].is_null());

    const auto limited = project.run({"log", "-n", "1"});
    REQUIRE(limited.exit_code == 0);
    REQUIRE(lines(limited.out).size() == 1);
    CHECK(contains(limited.out, "downgrade"));
    const auto one_revision = project.run({"log", "-r", ids.first});
    REQUIRE(one_revision.exit_code == 0);
    CHECK(lines(one_revision.out).size() == 1);
    CHECK(contains(one_revision.out, ids.first));

    REQUIRE(project.run({"stamp", ids.third}).exit_code == 0);
    CHECK(project.query("SELECT revision, direction FROM migrator_history ORDER BY id DESC LIMIT 1") ==
          Rows{ids.third + "|stamp"});
}

void edited_script_is_caught_and_accepted(Backend backend) {
    Project project(backend);
    const auto ids = two_applied(project);
    const std::string first = "migrations/versions/0001_users.sql";
    const std::string original = project.read(first);

    // Line endings and trailing white space do not count.
    std::string cosmetic;
    for (const auto& line : lines(original)) cosmetic += line + "   \r\n";
    project.write(first, cosmetic + "\r\n\r\n");
    const auto clean = project.run({"verify"});
    CHECK(clean.exit_code == 0);
    CHECK(contains(clean.out, "clean: 2 applied revision(s)"));

    project.write(first, replaced(original, "VARCHAR(50)", "VARCHAR(80)"));
    const auto second = "migrations/versions/0002_posts.sql";
    project.write(second, replaced(project.read(second), "posts (id INT)", "posts (id BIGINT)"));
    const auto verify = project.run({"verify"});
    CHECK(verify.exit_code == 1);
    CHECK(contains(verify.out, "edited: "));
    CHECK(contains(verify.out, "0001_users.sql (revision " + ids.first + ")"));
    CHECK(contains(verify.out, "0002_posts.sql (revision " + ids.second + ")"));
    const auto as_json = nlohmann::json::parse(project.run({"verify", "--format", "json"}).out);
    CHECK(as_json["drift"] == true);
    CHECK(as_json["revisions"][0]["state"] == "edited");

    const auto refused = project.run({"upgrade", "head"});
    CHECK(refused.exit_code == 2);
    REQUIRE(lines(refused.err).size() == 1);
    CHECK(contains(refused.err, "error: applied migration scripts changed:"));
    CHECK(contains(refused.err, "0001_users.sql (revision " + ids.first + ") was edited"));
    CHECK(contains(refused.err, "0002_posts.sql (revision " + ids.second + ") was edited"));
    CHECK(contains(refused.err, "migrator verify --accept all"));
    CHECK(project.versions() == Rows{ids.second});
    CHECK(project.tables() == Rows{"migrator_version", "posts", "users"});
    CHECK(project.run({"downgrade", "-1"}).exit_code == 2);
    CHECK(project.versions() == Rows{ids.second});

    const auto status = project.run({"status", "--format", "json"});
    REQUIRE(status.exit_code == 0);
    const auto status_json = nlohmann::json::parse(status.out);
    CHECK(status_json["problems"].size() == 2);
    CHECK(status_json["pending"].size() == 1);
    CHECK(status_json["pending"][0]["revision"] == ids.third);

    const auto accepted = project.run({"verify", "--accept", ids.first}, ci_actor);
    CHECK(accepted.exit_code == 1);  // the second is still edited
    CHECK(contains(accepted.out, "accepted: revision " + ids.first));
    CHECK(project.run({"verify", "--accept", "all"}, ci_actor).exit_code == 0);
    CHECK(project.query("SELECT revision, direction, actor FROM migrator_history WHERE direction = 'accept' "
                        "ORDER BY id") == Rows{ids.first + "|accept|ci-bot", ids.second + "|accept|ci-bot"});

    // A downgrade edit only warns.
    project.write(second, replaced(project.read(second), "DROP TABLE posts;", "DROP TABLE IF EXISTS posts;"));
    const auto upgrade = project.run({"upgrade", "head"});
    CHECK(upgrade.exit_code == 0);
    CHECK(contains(upgrade.err, "warning: the downgrade section of"));
    CHECK(project.versions() == Rows{ids.third});

    // --no-verify and verify: false run regardless.
    project.write(first, original + "\n-- a comment counts\n");
    project.add_script("0004_more", "d4d4d4d4d4d4", ids.third, "CREATE TABLE more (id INT);",
                       "DROP TABLE more;");
    CHECK(project.run({"upgrade", "head"}).exit_code == 2);
    CHECK(project.run({"upgrade", "head", "--no-verify"}).exit_code == 0);
    CHECK(project.versions() == Rows{"d4d4d4d4d4d4"});
    project.write("migrator.yaml", project.read("migrator.yaml") + "verify: false\n");
    CHECK(project.run({"downgrade", "-1"}).exit_code == 0);
}

void deleted_script_is_missing(Backend backend) {
    Project project(backend);
    const auto ids = two_applied(project);
    std::filesystem::remove(project.dir() / "migrations/versions/0003_tags.sql");
    std::filesystem::remove(project.dir() / "migrations/versions/0002_posts.sql");
    const auto verify = project.run({"verify"});
    CHECK(verify.exit_code == 1);
    CHECK(contains(verify.out, "missing: revision " + ids.second + " (script missing)"));
    const auto status = project.run({"status"});
    CHECK(status.exit_code == 0);
    CHECK(contains(status.out, "missing: revision " + ids.second));
    CHECK(contains(status.out, "pending:  unknown"));
    const auto upgrade = project.run({"upgrade", "head"});
    CHECK(upgrade.exit_code == 2);
    CHECK(contains(upgrade.err, ids.second));
    CHECK(project.versions() == Rows{ids.second});
}

void adopted_database_without_history(Backend backend) {
    Project project(backend);
    project.init();
    const std::string first = "a1a1a1a1a1a1";
    project.add_script("0001_users", first, "", "CREATE TABLE users (name VARCHAR(50));",
                       "DROP TABLE users;");
    project.add_script("0002_posts", "b2b2b2b2b2b2", first, "CREATE TABLE posts (id INT);",
                       "DROP TABLE posts;");
    // What Alembic (or an older migrator) leaves: a version table and the schema, no history.
    project.execute("CREATE TABLE migrator_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)");
    project.execute("CREATE TABLE users (name VARCHAR(50))");
    project.execute("INSERT INTO migrator_version (version_num) VALUES ('" + first + "')");

    const auto verify = project.run({"verify"});
    CHECK(verify.exit_code == 0);
    CHECK(contains(verify.out, "no checksum recorded: "));
    CHECK(contains(verify.out, "0001_users.sql (revision " + first + ")"));
    CHECK(project.run({"status"}).exit_code == 0);
    CHECK(project.run({"log"}).out.empty());
    CHECK(project.run({"upgrade", "head", "--dry-run"}).exit_code == 0);
    // Read commands never create the history table.
    CHECK(project.query("SELECT COUNT(*) FROM migrator_version") == Rows{"1"});
    const auto all =
        backend == Backend::Sqlite
            ? project.query("SELECT name FROM sqlite_master WHERE name = 'migrator_history'")
            : project.query(std::string("SELECT table_name FROM information_schema.tables WHERE table_name = "
                                        "'migrator_history' AND table_schema = ") +
                            (backend == Backend::Mysql ? "DATABASE()" : "current_schema()"));
    CHECK(all.empty());

    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    CHECK(project.query("SELECT revision FROM migrator_history") == Rows{"b2b2b2b2b2b2"});
    REQUIRE(project.run({"verify", "--accept", "all"}).exit_code == 0);
    const auto after = project.run({"verify"});
    CHECK(contains(after.out, "0 no checksum recorded"));
}

void failed_step_row(Backend backend) {
    Project project(backend);
    project.init();
    project.add_script("0001_ok", "a1a1a1a1a1a1", "", "CREATE TABLE ok (id INT);", "DROP TABLE ok;");
    project.add_script("0002_bad", "b2b2b2b2b2b2", "a1a1a1a1a1a1",
                       "CREATE TABLE half (id INT);\nINSERT INTO no_such_table VALUES (1);",
                       "DROP TABLE half;");
    const auto upgrade = project.run({"upgrade", "head"});
    REQUIRE(upgrade.exit_code == 2);
    const auto rows = project.query("SELECT revision, outcome FROM migrator_history ORDER BY id");
    if (backend == Backend::Mysql) {
        CHECK(rows == Rows{"a1a1a1a1a1a1|success", "b2b2b2b2b2b2|failed"});
        const auto error = project.query("SELECT error FROM migrator_history WHERE outcome = 'failed'");
        REQUIRE(error.size() == 1);
        CHECK(contains(error[0], "no_such_table"));
    } else {
        CHECK(rows == Rows{"a1a1a1a1a1a1|success"});
    }
    CHECK(project.versions() == Rows{"a1a1a1a1a1a1"});
}

void dry_run_prints_what_runs(Backend backend) {
    Project project(backend);
    const auto ids = two_applied(project);
    project.add_script("0004_more", "d4d4d4d4d4d4", ids.third, "CREATE TABLE more (id INT);",
                       "DROP TABLE more;");
    const auto dry = project.run({"upgrade", "head", "--dry-run"});
    REQUIRE(dry.exit_code == 0);
    CHECK(contains(dry.out, "CREATE TABLE tags (id INT);"));
    CHECK(contains(dry.out, "CREATE TABLE more (id INT);"));
    CHECK_FALSE(contains(dry.out, "CREATE TABLE users"));          // starts where the database is
    CHECK_FALSE(contains(dry.out, "CREATE TABLE IF NOT EXISTS"));  // both tables exist
    CHECK(contains(dry.out, "SET version_num='" + ids.third + "'"));
    const auto history_row =
        "migrator_history" + std::string(backend == Backend::Mysql ? "`" : "\"") + " (revision, direction";
    CHECK(contains(dry.out, history_row));
    // Nothing changed, and no lock was needed.
    CHECK(project.versions() == Rows{ids.second});
    CHECK(project.tables() == Rows{"migrator_version", "posts", "users"});
    CHECK(project.query("SELECT COUNT(*) FROM migrator_history") == Rows{"2"});
    CHECK(project.run({"upgrade", "head", "--dry-run", "--sql"}).exit_code == 64);

    // Running the printed SQL is the upgrade.
    project.execute(dry.out);
    CHECK(project.versions() == Rows{"d4d4d4d4d4d4"});
    CHECK(project.tables() == Rows{"migrator_version", "more", "posts", "tags", "users"});
    CHECK(project.query("SELECT revision, direction FROM migrator_history ORDER BY id") ==
          Rows{ids.first + "|upgrade", ids.second + "|upgrade", ids.third + "|upgrade",
               "d4d4d4d4d4d4|upgrade"});
    CHECK(project.run({"verify"}).exit_code == 0);

    const auto down = project.run({"downgrade", ids.first, "--dry-run"});
    REQUIRE(down.exit_code == 0);
    CHECK(contains(down.out, "DROP TABLE more;"));
    CHECK(contains(down.out, "DROP TABLE posts;"));
    CHECK(project.versions() == Rows{"d4d4d4d4d4d4"});
    project.execute(down.out);
    CHECK(project.versions() == Rows{ids.first});
    CHECK(project.tables() == Rows{"migrator_version", "users"});
    CHECK(lines(project.run({"upgrade", "head"}).err).size() == 4);
}

// Starts `migrator upgrade head` with stderr on a pipe, reads it until the line announcing `revision`,
// then kills the process with SIGKILL.
void kill_when_running(const Project& project, const std::string& revision) {
    int pipe_ends[2];
    REQUIRE(pipe(pipe_ends) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addchdir_np(&actions, project.dir().c_str());
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], STDERR_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_ends[0]);
    std::string binary = MIGRATOR_BINARY;
    std::string command = "upgrade";
    std::string target = "head";
    char* argv[] = {binary.data(), command.data(), target.data(), nullptr};
    // As Project::run does: the URL comes from the project's config, not from the test's environment.
    std::vector<char*> envp;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        const std::string_view item(*entry);
        if (!item.starts_with("DATABASE_URL=") && !item.starts_with("MIGRATOR_CONFIG="))
            envp.push_back(*entry);
    }
    envp.push_back(nullptr);
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, argv[0], &actions, nullptr, argv, envp.data()) == 0);
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_ends[1]);
    std::string seen;
    char buffer[512];
    while (!contains(seen, "-> " + revision)) {
        const auto got = read(pipe_ends[0], buffer, sizeof buffer);
        if (got <= 0) break;
        seen.append(buffer, static_cast<std::size_t>(got));
    }
    REQUIRE(contains(seen, "-> " + revision));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    close(pipe_ends[0]);
    CHECK(WIFSIGNALED(status));
}

void killed_upgrade_agrees(Backend backend) {
    Project project(backend);
    project.init();
    project.add_script("0001_a", "a1a1a1a1a1a1", "", "CREATE TABLE a (id INT);", "DROP TABLE a;");
    project.add_script("0002_b", "b2b2b2b2b2b2", "a1a1a1a1a1a1", "CREATE TABLE b (id INT);", "DROP TABLE b;");
    // A step that runs long enough to be killed in the middle of it.
    const std::string slow =
        backend == Backend::Postgresql
            ? "CREATE TABLE c (id INT);\nSELECT pg_sleep(5);"
            : "CREATE TABLE c (id INT);\nWITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
              "FROM n WHERE x < 1000000000) SELECT COUNT(*) FROM n;";
    project.add_script("0003_c", "c3c3c3c3c3c3", "b2b2b2b2b2b2", slow, "DROP TABLE c;");
    kill_when_running(project, "c3c3c3c3c3c3");
    // Run first: a read-write connection rolls back SQLite's hot journal, which the read-only queries cannot.
    CHECK(project.run({"verify"}).exit_code == 0);
    CHECK(project.versions() == Rows{"b2b2b2b2b2b2"});
    CHECK(project.query("SELECT revision FROM migrator_history ORDER BY id") ==
          Rows{"a1a1a1a1a1a1", "b2b2b2b2b2b2"});
    CHECK(project.tables() == Rows{"a", "b", "migrator_version"});
}

const bool registered = [] {
    e2e::register_backend_cases({
        make_case<history_is_written_and_logged>("each step writes a history row that log shows",
                                                 "[integrity]"),
        make_case<edited_script_is_caught_and_accepted>(
            "verify and upgrade catch an edited applied script until it is accepted", "[integrity]"),
        make_case<deleted_script_is_missing>("a deleted applied script is reported missing", "[integrity]"),
        make_case<adopted_database_without_history>(
            "a database without history counts as no checksum recorded", "[integrity]"),
        make_case<failed_step_row>("a failed step leaves a failed row on MySQL only", "[integrity]"),
        make_case<dry_run_prints_what_runs>("--dry-run prints the SQL the real run executes", "[integrity]"),
    });
    // kill -9: SQLite and PostgreSQL, where the step's changes and its rows commit together.
    constexpr const char* killed = "kill -9 mid-upgrade leaves history and version table agreeing";
    e2e::register_case(&e2e::on_backend<Backend::Sqlite, killed_upgrade_agrees>, Backend::Sqlite, killed,
                       "[integrity]");
    if (e2e::server_url(Backend::Postgresql)) {
        e2e::register_case(&e2e::on_backend<Backend::Postgresql, killed_upgrade_agrees>, Backend::Postgresql,
                           killed, "[integrity]");
    }
    return true;
}();

}  // namespace
