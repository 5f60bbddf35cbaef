// SIGINT and SIGTERM during a long statement, on every backend: the step is rolled back, the lock
// released, one "interrupted:" line names where the database is, and the exit code is 128 + signal.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "../unit/schema_builders.hpp"
#include "backend_cases.hpp"
#include "e2e_support.hpp"

using e2e::Backend;
using e2e::lines;
using e2e::Project;
using Rows = std::vector<std::string>;

extern char** environ;

namespace {

// A statement that runs far longer than the test: it only ends when interrupted.
std::string long_statement(Backend backend) {
    switch (backend) {
        case Backend::Sqlite:
            return "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000000)\n"
                   "SELECT count(*) FROM c;";
        case Backend::Postgresql:
            return "SELECT pg_sleep(600);";
        case Backend::Mysql:
            return "SELECT SLEEP(600);";
    }
    return {};
}

// migrator running with its stderr on a pipe, so that the test can wait for a line.
class RunningMigrator {
public:
    // Its stdout goes to `stdout_file` (relative to the project), or nowhere.
    RunningMigrator(const Project& project, const std::vector<std::string>& args,
                    const std::vector<std::string>& extra_env = {}, const std::string& stdout_file = "") {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
        std::vector<std::string> storage{MIGRATOR_BINARY};
        storage.insert(storage.end(), args.begin(), args.end());
        std::vector<char*> argv;
        argv.reserve(storage.size() + 1);
        for (auto& arg : storage) argv.push_back(arg.data());
        argv.push_back(nullptr);
        // As Project::run: no variable that would point migrator at another database.
        std::vector<char*> envp;
        for (char** entry = environ; *entry != nullptr; ++entry) {
            const std::string_view item(*entry);
            if (item.rfind("DATABASE_URL=", 0) != 0 && item.rfind("MIGRATOR_CONFIG=", 0) != 0)
                envp.push_back(*entry);
        }
        std::vector<std::string> extra = extra_env;
        for (auto& item : extra) envp.push_back(item.data());
        envp.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addchdir_np(&actions, project.dir().c_str());
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        const auto out =
            stdout_file.empty() ? std::string("/dev/null") : (project.dir() / stdout_file).string();
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0644);
        posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
        const int error = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
        posix_spawn_file_actions_destroy(&actions);
        ::close(fds[1]);
        err_fd_ = fds[0];
        if (error != 0) throw std::runtime_error("cannot start migrator");
    }
    ~RunningMigrator() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        ::close(err_fd_);
    }
    RunningMigrator(const RunningMigrator&) = delete;
    RunningMigrator& operator=(const RunningMigrator&) = delete;

    // Reads stderr until a line contains `text` (false when stderr ends first).
    bool wait_for_line(const std::string& text) {
        for (;;) {
            for (auto end = err_.find('\n', scanned_); end != std::string::npos;
                 end = err_.find('\n', scanned_)) {
                const bool found = err_.substr(scanned_, end - scanned_).find(text) != std::string::npos;
                scanned_ = end + 1;
                if (found) return true;
            }
            if (!read_some()) return false;
        }
    }

    void send(int signal_number) const { ::kill(pid_, signal_number); }

    // Waits for the exit; returns the exit code and everything it wrote on stderr.
    e2e::RunResult finish() {
        while (read_some()) {
        }
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = 0;
        e2e::RunResult result;
        result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
        result.err = err_;
        return result;
    }

private:
    bool read_some() {
        char buffer[4096];
        const auto got = ::read(err_fd_, buffer, sizeof buffer);
        if (got <= 0) return false;
        err_.append(buffer, static_cast<std::size_t>(got));
        return true;
    }

    pid_t pid_ = 0;
    int err_fd_ = -1;
    std::string err_;
    std::size_t scanned_ = 0;
};

// Looks until `ready` holds, each look a query or a stat rather than a timed guess; the 60 s deadline only
// keeps a broken run from hanging the suite.
template <typename Ready>
bool poll_until(Ready ready) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
        if (ready()) return true;
        std::this_thread::yield();
    }
    return false;
}

// Waits until the step's statements have started: the table it creates first is written (SQLite's rollback
// journal appears), or the server lists the long statement as running.
bool wait_until_running(const Project& project) {
    return poll_until([&project] {
        switch (project.backend()) {
            case Backend::Sqlite:
                return std::filesystem::exists(project.dir() / "app.db-journal");
            case Backend::Postgresql:
                return project.query(
                           "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND state = 'active' AND query LIKE '%pg_sleep(600)%' AND query NOT LIKE "
                           "'%pg_stat_activity%'") == Rows{"1"};
            case Backend::Mysql:
                return project.query(
                           "SELECT count(*) FROM information_schema.processlist WHERE db = DATABASE() AND "
                           "info LIKE '%SLEEP(600)%' AND info NOT LIKE '%processlist%'") == Rows{"1"};
        }
        return false;
    });
}

void interrupted_during_a_long_statement(Backend backend, int signal_number) {
    Project project(backend);
    project.init();
    project.add_script("0001_aaaaaaaaaaa1_one", "aaaaaaaaaaa1", "", "CREATE TABLE one (id INTEGER);",
                       "DROP TABLE one;");
    project.add_script("0002_bbbbbbbbbbb2_two", "bbbbbbbbbbb2", "aaaaaaaaaaa1",
                       "CREATE TABLE two (id INTEGER);\n" + long_statement(backend), "DROP TABLE two;");

    const auto started = std::chrono::steady_clock::now();
    RunningMigrator migrator(project, {"upgrade", "head"});
    REQUIRE(migrator.wait_for_line("Running upgrade aaaaaaaaaaa1 -> bbbbbbbbbbb2"));
    REQUIRE(wait_until_running(project));
    migrator.send(signal_number);
    const auto result = migrator.finish();
    INFO(result.err);
    // The statement alone would run for minutes: it was stopped, not waited for.
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(120));
    CHECK(result.exit_code == 128 + signal_number);
    const auto last = lines(result.err).back();
    CHECK(last.rfind("interrupted: the database is at aaaaaaaaaaa1", 0) == 0);
    CHECK(project.versions() == Rows{"aaaaaaaaaaa1"});
    if (backend == Backend::Mysql) {
        // DDL commits itself on MySQL: the table stays, and the message says which statements may have.
        CHECK(last.find("migration 0002_bbbbbbbbbbb2_two.sql (bbbbbbbbbbb2) may have been left applied up to "
                        "line ") != std::string::npos);
        CHECK(project.tables() == Rows{"migrator_version", "one", "two"});
    } else {
        CHECK(last == "interrupted: the database is at aaaaaaaaaaa1");
        CHECK(project.tables() == Rows{"migrator_version", "one"});
    }

    // The lock is free and the version table consistent: a second run finishes the job.
    project.add_script("0002_bbbbbbbbbbb2_two", "bbbbbbbbbbb2", "aaaaaaaaaaa1",
                       "CREATE TABLE IF NOT EXISTS two (id INTEGER);", "DROP TABLE two;");
    const auto again = project.run({"--lock-timeout", "0", "upgrade", "head"});
    INFO(again.err);
    CHECK(again.exit_code == 0);
    CHECK(project.versions() == Rows{"bbbbbbbbbbb2"});
}

void sigint_during_a_long_statement(Backend backend) {
    interrupted_during_a_long_statement(backend, SIGINT);
}

void sigterm_during_a_long_statement(Backend backend) {
    interrupted_during_a_long_statement(backend, SIGTERM);
}

// A SQLite scratch file, or a server's database, whose long statement runs.
bool wait_until_scratch_runs(const Project& project, const std::filesystem::path& tmp) {
    return poll_until([&project, &tmp] {
        switch (project.backend()) {
            case Backend::Sqlite:
                for (const auto& entry : std::filesystem::directory_iterator(tmp))
                    if (std::filesystem::exists(entry.path() / "scratch.db-journal")) return true;
                return false;
            case Backend::Postgresql:
                return project.query(
                           "SELECT count(*) FROM pg_stat_activity WHERE datname LIKE 'migrator\\_test\\_%' "
                           "AND state = 'active' AND query LIKE '%pg_sleep(600)%' AND query NOT LIKE "
                           "'%pg_stat_activity%'") == Rows{"1"};
            case Backend::Mysql:
                return project.query(
                           "SELECT count(*) FROM information_schema.processlist WHERE db LIKE "
                           "'migrator\\_test\\_%' AND info LIKE '%SLEEP(600)%' AND info NOT LIKE "
                           "'%processlist%'") == Rows{"1"};
        }
        return false;
    });
}

// `migrator test` stopped by SIGINT in the middle of a migration still removes its scratch database.
void test_command_interrupted(Backend backend) {
    Project project(backend);
    project.init();
    const auto tmp = project.dir() / "tmp";
    std::filesystem::create_directories(tmp);
    project.add_script("0001_aaaaaaaaaaa1_one", "aaaaaaaaaaa1", "", "CREATE TABLE one (id INTEGER);",
                       "DROP TABLE one;");
    project.add_script("0002_bbbbbbbbbbb2_two", "bbbbbbbbbbb2", "aaaaaaaaaaa1",
                       "CREATE TABLE two (id INTEGER);\n" + long_statement(backend), "DROP TABLE two;");
    std::vector<std::string> args{"test"};
    if (backend != Backend::Sqlite) args.insert(args.end(), {"--url", project.url()});
    RunningMigrator migrator(project, args, {"TMPDIR=" + tmp.string()});
    REQUIRE(migrator.wait_for_line("Testing bbbbbbbbbbb2"));
    REQUIRE(wait_until_scratch_runs(project, tmp));
    migrator.send(SIGINT);
    const auto result = migrator.finish();
    INFO(result.err);
    CHECK(result.exit_code == 130);
    CHECK(lines(result.err).back() ==
          "interrupted: migrator test stopped before it finished; nothing outside its scratch database "
          "changed");
    CHECK(std::filesystem::is_empty(tmp));
    if (backend != Backend::Sqlite) {
        const auto at = result.err.find("scratch database migrator_test_");
        REQUIRE(at != std::string::npos);
        const auto name = result.err.substr(at + 17, 26);
        CHECK(result.err.find("scratch database " + name + " dropped") != std::string::npos);
        CHECK(project
                  .query(backend == Backend::Postgresql
                             ? "SELECT datname FROM pg_database WHERE datname = '" + name + "'"
                             : "SELECT schema_name FROM information_schema.schemata WHERE schema_name = '" +
                                   name + "'")
                  .empty());
        CHECK(project.tables().empty());
    }
}

// A cancel that reaches the database while no statement runs is dropped by all three (sqlite3_interrupt,
// PQcancel, KILL QUERY), so the connection keeps it: the next statement is stopped (SQLite) or not sent
// (the servers), at once, until the request is cleared for the rollback that follows.
void interrupt_with_nothing_running(Backend backend) {
    Project project(backend);
    const auto connection = test::open_database(
        backend == Backend::Sqlite ? "sqlite:///" + (project.dir() / "app.db").string() : project.url());
    connection->interrupt();
    std::string failure = "(it was not stopped)";
    try {
        connection->execute(long_statement(backend));
    } catch (const migrator::db::DatabaseError& error) {
        failure = error.what();
    }
    CHECK(failure ==
          (backend == Backend::Sqlite ? "interrupted" : "interrupted before the statement started"));
    connection->clear_interrupt();
    connection->execute("CREATE TABLE after_the_stop (id INTEGER)");
    CHECK(connection->query_column("SELECT count(*) FROM after_the_stop") ==
          std::vector<std::optional<std::string>>{"0"});
}

[[maybe_unused]] const bool registered = e2e::register_backend_cases({
    e2e::make_case<test_command_interrupted>(
        "SIGINT during migrator test stops it, drops its scratch database and exits 130", "[signals][test]"),
    e2e::make_case<sigint_during_a_long_statement>(
        "SIGINT during a long statement rolls the step back and exits 130", "[signals]"),
    e2e::make_case<sigterm_during_a_long_statement>(
        "SIGTERM during a long statement rolls the step back and exits 143", "[signals]"),
    e2e::make_case<interrupt_with_nothing_running>(
        "an interrupt with no statement running stops the next one, until it is cleared", "[signals]"),
});

// A fleet target's first step has committed and its second step's statement has begun writing (SQLite's
// rollback journal is there again).
bool wait_until_second_step_runs(const Project& project, const std::string& db) {
    bool first_committed = false;
    return poll_until([&] {
        if (first_committed) return std::filesystem::exists(project.dir() / (db + "-journal"));
        try {
            first_committed =
                project.query("SELECT version_num FROM migrator_version", db) == Rows{"aaaaaaaaaaa1"};
        } catch (const std::runtime_error&) {
            // Neither the file nor the version table is there yet.
        }
        return false;
    });
}

}  // namespace

TEST_CASE("a signal while no step runs ends migrator at once with exit 128 + signal", "[e2e][signals]") {
    Project project;
    project.init();
    // Nothing listens on port 1: --wait retries, and says so with --debug, until the signal.
    RunningMigrator migrator(project, {"--debug", "--url", "postgresql://app@127.0.0.1:1/app", "--wait",
                                       "--wait-timeout", "600", "upgrade", "head"});
    REQUIRE(migrator.wait_for_line("waiting for the database"));
    migrator.send(SIGINT);
    const auto result = migrator.finish();
    INFO(result.err);
    CHECK(result.exit_code == 130);
    CHECK(lines(result.err).back() == "interrupted: no migration step was running");
}

// A fleet stopped by SIGINT while its first target runs a long statement (-j 1): that target's step is rolled
// back, the second never starts, and the last line on stderr says so, in text and in JSON alike; in JSON,
// stdout holds the fleet's one document with each target's state.
TEST_CASE("SIGINT during a fleet run stops the running target, starts no other, and says so in text and JSON",
          "[e2e][signals][fleet]") {
    for (const bool json_output : {false, true}) {
        INFO((json_output ? "--format json" : "text"));
        Project project;
        project.init();
        project.write("migrator.yaml", project.read("migrator.yaml") +
                                           "targets:\n  one: sqlite:///one.db\n  two: sqlite:///two.db\n");
        project.add_script("0001_aaaaaaaaaaa1_one", "aaaaaaaaaaa1", "", "CREATE TABLE one (id INTEGER);",
                           "DROP TABLE one;");
        // One statement that writes first (the journal appears) and then runs for as long as it is let: the
        // signal reaches it while it runs, not between two statements.
        project.add_script("0002_bbbbbbbbbbb2_two", "bbbbbbbbbbb2", "aaaaaaaaaaa1",
                           "CREATE TABLE two AS " + long_statement(Backend::Sqlite), "DROP TABLE two;");
        std::vector<std::string> args{"upgrade", "head", "--all-targets", "-j", "1"};
        if (json_output) args.insert(args.end(), {"--format", "json"});
        RunningMigrator migrator(project, args, {}, "stdout.txt");
        REQUIRE(wait_until_second_step_runs(project, "one.db"));
        migrator.send(SIGINT);
        const auto result = migrator.finish();
        INFO(result.err);
        CHECK(result.exit_code == 130);
        CHECK(lines(result.err).back() ==
              "interrupted: the targets that were running stopped between statements and the others did not "
              "start; each target's version table says where it is");
        CHECK(result.err.find("one: failed: interrupted: the database is at aaaaaaaaaaa1") !=
              std::string::npos);
        CHECK(result.err.find("after the command had finished") == std::string::npos);
        CHECK(project.query("SELECT version_num FROM migrator_version", "one.db") == Rows{"aaaaaaaaaaa1"});
        CHECK_FALSE(std::filesystem::exists(project.dir() / "two.db"));
        const auto out = project.read("stdout.txt");
        if (json_output) {
            const auto document = nlohmann::json::parse(out);  // one document, nothing after it
            REQUIRE(document["targets"].size() == 2);
            CHECK(document["targets"][0]["status"] == "failed");
            CHECK(document["targets"][0]["error"]["kind"] == "interrupted");
            CHECK(document["targets"][1]["status"] == "not_run");
        } else {
            CHECK(out.empty());  // an upgrade prints no result in text; the diagnostics are on stderr
        }
    }
}
