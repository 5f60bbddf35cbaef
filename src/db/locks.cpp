#include "migrator/db/locks.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

#include "migrator/util/error.hpp"

namespace migrator::db {

namespace {

class NoLock final : public Lock {};

// A session-level advisory lock, released by pg_advisory_unlock or when the session ends.
class PostgresqlLock final : public Lock {
public:
    PostgresqlLock(Connection& connection, std::int64_t key) : connection_(connection), key_(key) {}

    ~PostgresqlLock() override {
        try {
            connection_.query_column(
                fmt::format("SELECT CASE WHEN pg_advisory_unlock({}) THEN 1 ELSE 0 END", key_));
        } catch (const std::exception&) {
            // The session ending releases it anyway.
        }
    }

    PostgresqlLock(const PostgresqlLock&) = delete;
    PostgresqlLock& operator=(const PostgresqlLock&) = delete;

private:
    Connection& connection_;
    std::int64_t key_;
};

// The value read back from the server is bound, not spliced into a literal.
void set_lock_timeout(Connection& connection, const std::string& value) {
    connection.query_bound("SELECT set_config('lock_timeout', ?, false)", {value});
}

// A named user lock, released by RELEASE_LOCK or when the connection ends.
class MysqlLock final : public Lock {
public:
    MysqlLock(Connection& connection, std::string name) : connection_(connection), name_(std::move(name)) {}

    ~MysqlLock() override {
        try {
            connection_.query_bound("SELECT RELEASE_LOCK(?)", {name_});
        } catch (const std::exception&) {
            // The connection ending releases it anyway.
        }
    }

    MysqlLock(const MysqlLock&) = delete;
    MysqlLock& operator=(const MysqlLock&) = delete;

private:
    Connection& connection_;
    std::string name_;
};

// Separate from SQLite's own fcntl locks; the kernel drops it when the process dies.
class FileLock final : public Lock {
public:
    explicit FileLock(int fd) : fd_(fd) {}

    ~FileLock() override {
        ::flock(fd_, LOCK_UN);
        ::close(fd_);
    }

    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

private:
    int fd_;
};

}  // namespace

std::int64_t lock_key(std::string_view name) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (const char c : name) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    return static_cast<std::int64_t>(hash);
}

std::string mysql_lock_name(std::string_view name) {
    return fmt::format("migrator_{:016x}", static_cast<std::uint64_t>(lock_key(name)));
}

std::unique_ptr<Lock> postgresql_advisory_lock(Connection& connection, std::string_view name,
                                               std::chrono::seconds timeout) {
    const auto key = lock_key(name);
    const auto previous = connection.query_column("SELECT current_setting('lock_timeout')");
    const std::string restore = previous.empty() || !previous[0] ? "0" : *previous[0];
    // lock_timeout 0 would mean "forever"; 1 ms is as good as not waiting.
    const auto milliseconds = std::max<std::int64_t>(1, std::chrono::milliseconds(timeout).count());
    set_lock_timeout(connection, std::to_string(milliseconds));
    try {
        connection.query_rows(
            fmt::format("SELECT COUNT(*) FROM (SELECT pg_advisory_lock({})) AS locked", key));
    } catch (const LockNotAvailable&) {
        set_lock_timeout(connection, restore);
        return nullptr;
    } catch (const DatabaseError&) {
        set_lock_timeout(connection, restore);
        throw;
    }
    set_lock_timeout(connection, restore);
    return std::make_unique<PostgresqlLock>(connection, key);
}

std::unique_ptr<Lock> mysql_user_lock(Connection& connection, std::string_view database,
                                      std::string_view name, std::chrono::seconds timeout) {
    // GET_LOCK names are server-wide, where PostgreSQL's advisory locks are per database: an unqualified
    // version table is scoped by the URL's database, so that two databases on one server never wait for
    // each other.
    const std::string scoped =
        name.find('.') == std::string_view::npos ? fmt::format("`{}`.{}", database, name) : std::string(name);
    std::string lock_name = mysql_lock_name(scoped);
    const auto got =
        connection.query_bound(fmt::format("SELECT GET_LOCK(?, {})", timeout.count()), {lock_name});
    if (got.empty() || got[0].empty() || !got[0][0])
        throw Error(fmt::format("GET_LOCK('{}') failed", lock_name));
    if (*got[0][0] != "1") return nullptr;
    return std::make_unique<MysqlLock>(connection, std::move(lock_name));
}

std::unique_ptr<Lock> file_lock(const std::string& path, std::chrono::seconds timeout) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) throw Error(fmt::format("cannot open {} to lock it: {}", path, std::strerror(errno)));
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            const std::string reason = std::strerror(errno);
            ::close(fd);
            throw Error(fmt::format("cannot lock {}: {}", path, reason));
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            ::close(fd);
            return nullptr;
        }
        // flock has no timeout of its own.
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::make_unique<FileLock>(fd);
}

std::unique_ptr<Lock> no_lock() {
    return std::make_unique<NoLock>();
}

}  // namespace migrator::db
