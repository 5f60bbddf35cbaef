// kill -9 in the middle of `upgrade head`, again and again along a long chain: after every kill the
// version table names exactly the migrations whose tables exist, and the next `upgrade head` finishes.
// The kill points come from a seeded generator; the seed is printed, and MIGRATOR_CRASH_SEED repeats a run.
//
// On MySQL/MariaDB DDL commits implicitly (docs/mysql.md), so a kill between a migration's CREATE TABLE
// and its version row leaves that one table ahead of the version table; agreement there means the tables
// are the applied migrations' plus at most the next one's, and the scripts are written to run again
// (IF NOT EXISTS, REPLACE), as docs/mysql.md asks.
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "backend_cases.hpp"
#include "e2e_support.hpp"

using e2e::Backend;
using e2e::Project;
using Rows = std::vector<std::string>;

extern char** environ;

namespace {

constexpr int chain_length = 150;
constexpr int kills = 8;
constexpr int most_steps_before_kill = 25;
constexpr int rows_per_migration = 20;

std::string revision_id(int index) {
    return fmt::format("{:012x}", 0xc4a500000000U + static_cast<unsigned>(index));
}

std::string table_name(int index) {
    return fmt::format("t_{:03d}", index);
}

// Some work per migration: a table, rows, an update. On MySQL each statement can run again.
std::string upgrade_sql(Backend backend, int index) {
    const bool mysql = backend == Backend::Mysql;
    std::string values;
    for (int row = 1; row <= rows_per_migration; ++row) {
        values += fmt::format("{}({}, 'row {}')", row == 1 ? "" : ", ", row, row);
    }
    return fmt::format(
        "CREATE TABLE {0}{1} (id INTEGER PRIMARY KEY, v VARCHAR(40));\n"
        "{2} INTO {1} (id, v) VALUES {3};\n"
        "UPDATE {1} SET v = 'updated' WHERE id > {4};",
        mysql ? "IF NOT EXISTS " : "", table_name(index), mysql ? "REPLACE" : "INSERT", values,
        rows_per_migration / 2);
}

// The seed from MIGRATOR_CRASH_SEED, or a fresh one; printed either way so a failure can be repeated.
unsigned seed_for(Backend backend) {
    const char* fixed = std::getenv("MIGRATOR_CRASH_SEED");
    const unsigned seed =
        fixed != nullptr ? static_cast<unsigned>(std::strtoul(fixed, nullptr, 10)) : std::random_device{}();
    std::cout << "crash consistency on " << e2e::backend_name(backend) << ": MIGRATOR_CRASH_SEED=" << seed
              << "\n";
    return seed;
}

// `migrator upgrade head` with its stderr on a pipe, killed with SIGKILL once it has announced
// `steps` migrations (or left alone if it finishes first). Returns whether the kill was sent.
bool upgrade_and_kill_after(const Project& project, int steps) {
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addchdir_np(&actions, project.dir().c_str());
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
    std::string binary = MIGRATOR_BINARY;
    std::string upgrade = "upgrade";
    std::string head = "head";
    char* argv[] = {binary.data(), upgrade.data(), head.data(), nullptr};
    // As Project::run: nothing from the outer environment may change the database it connects to.
    std::vector<char*> env;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        const std::string_view item(*entry);
        if (!item.starts_with("DATABASE_URL=") && !item.starts_with("MIGRATOR_CONFIG="))
            env.push_back(*entry);
    }
    env.push_back(nullptr);
    pid_t pid = 0;
    const int spawn_error = posix_spawn(&pid, argv[0], &actions, nullptr, argv, env.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    REQUIRE(spawn_error == 0);

    // Blocking reads: progress is the "Running upgrade" lines, so no timing is guessed.
    std::string err;
    int announced = 0;
    bool killed = false;
    char buffer[4096];
    while (!killed) {
        const ssize_t got = ::read(pipe_fds[0], buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        err.append(buffer, static_cast<std::size_t>(got));
        announced = 0;
        for (auto at = err.find("Running upgrade"); at != std::string::npos;
             at = err.find("Running upgrade", at + 1)) {
            ++announced;
        }
        if (announced >= steps) killed = ::kill(pid, SIGKILL) == 0;
    }
    ::close(pipe_fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) REQUIRE(errno == EINTR);
    INFO(err);
    if (killed) {
        CHECK((WIFSIGNALED(status) ? WTERMSIG(status) == SIGKILL : WEXITSTATUS(status) == 0));
    } else {
        CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    }
    return killed && WIFSIGNALED(status);
}

// How many migrations the version table says are applied (a chain has one head at most). A kill
// during the first migration may leave no version table: it is created in that migration's transaction.
int applied_count(const Project& project) {
    const Rows tables = project.tables();
    if (std::find(tables.begin(), tables.end(), "migrator_version") == tables.end()) return 0;
    const Rows versions = project.versions();
    REQUIRE(versions.size() <= 1);
    if (versions.empty()) return 0;
    for (int index = 1; index <= chain_length; ++index) {
        if (revision_id(index) == versions.front()) return index;
    }
    FAIL("the version table names an unknown revision " << versions.front());
    return -1;
}

Rows chain_tables(const Project& project) {
    Rows out;
    for (const auto& table : project.tables()) {
        if (table.starts_with("t_")) out.push_back(table);
    }
    return out;
}

Rows first_tables(int count) {
    Rows out;
    for (int index = 1; index <= count; ++index) out.push_back(table_name(index));
    return out;
}

// The version table, `current`, `history` and the schema agree after a kill. migrator looks first: a
// SQLite file killed mid-transaction keeps a hot journal, which only a writable connection rolls back
// (the test's own reader is read-only).
void check_agreement(const Project& project) {
    const auto current = project.run({"current"});
    CHECK(current.exit_code == 0);
    const auto history = project.run({"history", "--indicate-current"});
    CHECK(history.exit_code == 0);
    Rows marked;
    for (const auto& line : e2e::lines(history.out)) {
        if (line.find("(current)") != std::string::npos) marked.push_back(line);
    }

    const int applied = applied_count(project);
    const Rows tables = chain_tables(project);
    INFO("applied " << applied << ", tables " << tables.size());
    if (project.backend() == Backend::Mysql) {
        CHECK((tables == first_tables(applied) || tables == first_tables(applied + 1)));
    } else {
        CHECK(tables == first_tables(applied));
    }
    INFO(current.out << history.out);
    if (applied == 0) {
        CHECK(marked.empty());
        return;
    }
    const Rows updated =
        project.query(fmt::format("SELECT COUNT(*) FROM {} WHERE v = 'updated'", table_name(applied)));
    CHECK(updated == Rows{std::to_string(rows_per_migration / 2)});
    CHECK(current.out.find(revision_id(applied)) != std::string::npos);
    REQUIRE(marked.size() == 1);
    CHECK(marked.front().find(revision_id(applied)) != std::string::npos);
}

void crash_consistency(Backend backend) {
    Project project(backend);
    project.init();
    if (backend == Backend::Mysql && e2e::mysql_server_is_galera_node()) {
        // A killed run's lock row there is held until its lease passes (30 s by default): a short lease lets
        // the next run take it over in seconds, the path a kill exercises on a cluster.
        auto config = project.read("migrator.yaml");
        const auto at = config.find(project.url());
        REQUIRE(at != std::string::npos);
        project.write("migrator.yaml", config.insert(at + project.url().size(), "?lock_lease=2"));
    }
    for (int index = 1; index <= chain_length; ++index) {
        project.add_script(fmt::format("{:04d}_{}_step", index, revision_id(index)), revision_id(index),
                           index == 1 ? "" : revision_id(index - 1), upgrade_sql(backend, index),
                           fmt::format("DROP TABLE {};", table_name(index)));
    }

    std::mt19937 random(seed_for(backend));
    std::uniform_int_distribution<int> steps_before_kill(1, most_steps_before_kill);
    int killed_midway = 0;
    for (int round = 0; round < kills; ++round) {
        // The first kill lands in the first migration, which also creates the version table.
        const int steps = round == 0 ? 1 : steps_before_kill(random);
        INFO("round " << round << ": kill after " << steps << " announced migrations");
        if (upgrade_and_kill_after(project, steps)) ++killed_midway;
        check_agreement(project);
        if (applied_count(project) == chain_length) break;
    }
    CHECK(killed_midway > 0);

    const auto finish = project.run({"upgrade", "head"});
    INFO(finish.err);
    REQUIRE(finish.exit_code == 0);
    CHECK(project.versions() == Rows{revision_id(chain_length)});
    CHECK(chain_tables(project) == first_tables(chain_length));
}

const bool registered = e2e::register_backend_cases({
    e2e::make_case<crash_consistency>(
        "kill -9 at random points of a long upgrade leaves the version table and schema in agreement",
        "[crash]"),
});

}  // namespace
