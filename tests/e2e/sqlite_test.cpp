// SQLite against another connection (the busy timeout) and against a full disk.
#include <sqlite3.h>
#include <sys/resource.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <stdexcept>
#include <thread>

#include "e2e_support.hpp"

using e2e::lines;
using e2e::Project;
using Rows = std::vector<std::string>;

namespace {

// Another program's connection holding SQLite's write lock (BEGIN IMMEDIATE) until commit().
class WriteLockHolder {
public:
    explicit WriteLockHolder(const std::filesystem::path& path) {
        if (sqlite3_open(path.c_str(), &handle_) != SQLITE_OK)
            throw std::runtime_error("cannot open " + path.string());
        // The lock is held once this returns: migrator starts only afterwards.
        exec("BEGIN IMMEDIATE");
        exec("CREATE TABLE other_writer (id INTEGER)");
    }
    ~WriteLockHolder() { sqlite3_close(handle_); }
    WriteLockHolder(const WriteLockHolder&) = delete;
    WriteLockHolder& operator=(const WriteLockHolder&) = delete;

    void commit() { exec("COMMIT"); }

private:
    void exec(const char* sql) {
        if (sqlite3_exec(handle_, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
            throw std::runtime_error(std::string(sql) + ": " + sqlite3_errmsg(handle_));
    }

    sqlite3* handle_ = nullptr;
};

void one_migration(const Project& project) {
    project.init();
    project.add_script("0001_aaaaaaaaaaa1_one", "aaaaaaaaaaa1", "", "CREATE TABLE one (id INTEGER);",
                       "DROP TABLE one;");
}

}  // namespace

TEST_CASE("upgrade waits for another connection's write transaction within ?timeout=", "[e2e][sqlite]") {
    Project project;
    one_migration(project);
    WriteLockHolder other(project.dir() / "app.db");
    // The hold time, not a synchronisation: the lock is already held when migrator starts.
    std::thread release([&] {
        std::this_thread::sleep_for(std::chrono::seconds(2));
        other.commit();
    });
    const auto started = std::chrono::steady_clock::now();
    const auto result = project.run({"--url", "sqlite:///app.db?timeout=20", "upgrade", "head"});
    const auto waited = std::chrono::steady_clock::now() - started;
    release.join();
    CHECK(result.exit_code == 0);
    CHECK(result.err.find("locked") == std::string::npos);
    CHECK(waited >= std::chrono::milliseconds(1500));
    CHECK(project.versions() == Rows{"aaaaaaaaaaa1"});
    CHECK(project.tables() == Rows{"migrator_version", "one", "other_writer"});
}

TEST_CASE("upgrade gives up after ?timeout= and says another connection holds the database",
          "[e2e][sqlite]") {
    Project project;
    one_migration(project);
    WriteLockHolder other(project.dir() / "app.db");
    const auto result = project.run({"--url", "sqlite:///app.db?timeout=1", "upgrade", "head"});
    other.commit();
    CHECK(result.exit_code == 2);
    CHECK(lines(result.err).back().find("the database is locked by another connection (waited 1 s") !=
          std::string::npos);
    CHECK(project.tables() == Rows{"other_writer"});
}

TEST_CASE("the SQLite ?timeout= must fit SQLite's busy timeout", "[e2e][sqlite]") {
    Project project;
    project.init();
    const auto result = project.run({"--url", "sqlite:///app.db?timeout=99999999999", "ensure_version"});
    CHECK(result.exit_code == 2);
    CHECK(lines(result.err).back() ==
          "error: SQLite URL parameter timeout must be whole seconds from 0 to 2147483, not '99999999999'");
}

TEST_CASE("a full disk fails the migration with no spurious rollback warning", "[e2e][sqlite]") {
    Project project;
    one_migration(project);
    project.add_script("0002_aaaaaaaaaaa2_big", "aaaaaaaaaaa2", "aaaaaaaaaaa1",
                       "CREATE TABLE big (b BLOB);\n"
                       "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 50)\n"
                       "INSERT INTO big SELECT randomblob(10000) FROM n;",
                       "DROP TABLE big;");
    REQUIRE(project.run({"upgrade", "aaaaaaaaaaa1"}).exit_code == 0);
    // The file-size limit (inherited by migrator) makes the commit's writes fail as a full disk would;
    // SIGXFSZ is ignored so that the write fails instead of killing the process.
    rlimit previous{};
    REQUIRE(getrlimit(RLIMIT_FSIZE, &previous) == 0);
    const auto previous_handler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = previous;
    small.rlim_cur = rlim_t{64} * 1024;
    REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
    const auto result = project.run({"upgrade", "head"});
    setrlimit(RLIMIT_FSIZE, &previous);
    std::signal(SIGXFSZ, previous_handler);
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("migration 0002_aaaaaaaaaaa2_big.sql (aaaaaaaaaaa2) failed") != std::string::npos);
    CHECK(result.err.find("rollback failed") == std::string::npos);
    CHECK(result.err.find("no transaction is active") == std::string::npos);
    CHECK(project.versions() == Rows{"aaaaaaaaaaa1"});
    CHECK(project.tables() == Rows{"migrator_version", "one"});
}
