// One migrator at a time (--lock-timeout) and waiting for the database (--wait), on SQLite files;
// backends_test.cpp runs eight concurrent upgrades, and a lock timeout, on every backend.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include "e2e_support.hpp"

using e2e::lines;
using e2e::Project;
using Rows = std::vector<std::string>;

namespace {

// Holds the same flock migrator takes on a SQLite file, as another runner would.
class HeldFileLock {
public:
    explicit HeldFileLock(const std::filesystem::path& path)
        : fd_(::open(path.c_str(), O_RDWR | O_CREAT, 0644)) {
        if (fd_ < 0 || ::flock(fd_, LOCK_EX | LOCK_NB) != 0)
            throw std::runtime_error("cannot lock " + path.string());
    }
    ~HeldFileLock() { ::close(fd_); }
    HeldFileLock(const HeldFileLock&) = delete;
    HeldFileLock& operator=(const HeldFileLock&) = delete;

private:
    int fd_;
};

}  // namespace

TEST_CASE("upgrade gives up when another migrator holds the lock past --lock-timeout", "[e2e][lock]") {
    Project project;
    project.init();
    project.add_script("0001_aaaaaaaaaaa1_one", "aaaaaaaaaaa1", "", "CREATE TABLE one (id INTEGER);",
                       "DROP TABLE one;");
    {
        const HeldFileLock other_runner(project.dir() / "app.db");
        for (const auto& command : {Rows{"--lock-timeout", "0", "upgrade", "head"},
                                    Rows{"--lock-timeout", "0", "downgrade", "base"},
                                    Rows{"--lock-timeout", "0", "stamp", "head"}}) {
            const auto result = project.run(command);
            CHECK(result.exit_code == 2);
            CHECK(lines(result.err).back() ==
                  "error: the database is locked by another migrator (waited 0 s)");
        }
        CHECK(project.tables().empty());
        // Reading needs no lock.
        CHECK(project.run({"current"}).exit_code == 0);
    }
    REQUIRE(project.run({"--lock-timeout", "0", "upgrade", "head"}).exit_code == 0);
    CHECK(project.versions() == Rows{"aaaaaaaaaaa1"});
}

TEST_CASE("the --lock-timeout value must be a number of seconds", "[e2e][lock]") {
    Project project;
    project.init();
    CHECK(project.run({"--lock-timeout", "soon", "upgrade", "head"}).exit_code == 64);
    CHECK(project.run({"--lock-timeout", "-1", "upgrade", "head"}).exit_code == 64);
}

TEST_CASE("connecting with --wait gives up after --wait-timeout and says how long it waited", "[e2e][wait]") {
    Project project;
    project.init();
    const auto result = project.run(
        {"--wait", "--wait-timeout", "0", "--url", "sqlite:///no/such/dir/app.db", "upgrade", "head"});
    CHECK(result.exit_code == 2);
    const auto error = lines(result.err).back();
    CHECK(error.rfind("error: cannot connect to sqlite:///no/such/dir/app.db", 0) == 0);
    CHECK(error.find("(waited 0 s)") != std::string::npos);
}

TEST_CASE("connecting with --wait retries connection failures only, not a bad setting", "[e2e][wait]") {
    Project project;
    project.init();
    const auto result = project.run(
        {"--wait", "--wait-timeout", "2", "--url", "sqlite:///app.db?bogus=1", "upgrade", "head"});
    CHECK(result.exit_code == 2);
    CHECK(lines(result.err).back() == "error: unsupported SQLite URL parameter 'bogus'");
    CHECK_FALSE(std::filesystem::exists(project.dir() / "app.db"));
}

TEST_CASE("connecting with --wait succeeds at once to a database that is up", "[e2e][wait]") {
    Project project;
    project.init();
    REQUIRE(project.run({"ensure_version"}).exit_code == 0);  // read commands never create the database
    const auto result = project.run({"--wait", "--wait-timeout", "5", "current"});
    CHECK(result.exit_code == 0);
    CHECK(result.err.find("error") == std::string::npos);
}
