#include "migrator/runtime/lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>
#include <cerrno>
#include <cstring>
#include <thread>

#include "migrator/util/error.hpp"

namespace migrator::runtime {

namespace {

Error locked_error(std::chrono::seconds timeout) {
    return Error(fmt::format("the database is locked by another migrator (waited {} s)", timeout.count()),
                 ErrorKind::Lock);
}

class NoLock final : public MigrationLock {};

// PostgreSQL: a session-level advisory lock, released by pg_advisory_unlock or when the session ends.
class PostgresqlLock final : public MigrationLock {
public:
    PostgresqlLock(db::Connection& connection, std::int64_t key, std::chrono::seconds timeout)
        : connection_(connection), key_(key) {
        const auto previous = connection.query_column("SELECT current_setting('lock_timeout')");
        const std::string restore = previous.empty() || !previous[0] ? "0" : *previous[0];
        // lock_timeout 0 would mean "forever"; 1 ms is as good as not waiting.
        const auto milliseconds = std::max<std::int64_t>(1, std::chrono::milliseconds(timeout).count());
        set_lock_timeout(std::to_string(milliseconds));
        try {
            connection.query_column(
                fmt::format("SELECT COUNT(*) FROM (SELECT pg_advisory_lock({})) AS locked", key));
        } catch (const db::DatabaseError& error) {
            set_lock_timeout(restore);
            // SQLSTATE 55P03 lock_not_available: "canceling statement due to lock timeout".
            if (std::strstr(error.what(), "lock timeout") != nullptr) throw locked_error(timeout);
            throw;
        }
        set_lock_timeout(restore);
    }

    ~PostgresqlLock() override {
        try {
            connection_.query_column(
                fmt::format("SELECT CASE WHEN pg_advisory_unlock({}) THEN 1 ELSE 0 END", key_));
        } catch (const std::exception&) {
            // The session ending releases it anyway.
        }
    }

private:
    // The value read back from the server is bound, not spliced into a literal.
    void set_lock_timeout(const std::string& value) {
        connection_.query_bound("SELECT set_config('lock_timeout', ?, false)", {value});
    }

    db::Connection& connection_;
    std::int64_t key_;
};

// MySQL/MariaDB: a named user lock, released by RELEASE_LOCK or when the connection ends.
class MysqlLock final : public MigrationLock {
public:
    MysqlLock(db::Connection& connection, std::string name, std::chrono::seconds timeout)
        : connection_(connection), name_(std::move(name)) {
        const auto got =
            connection.query_bound(fmt::format("SELECT GET_LOCK(?, {})", timeout.count()), {name_});
        if (got.empty() || got[0].empty() || !got[0][0])
            throw Error(fmt::format("GET_LOCK('{}') failed", name_));
        if (*got[0][0] != "1") throw locked_error(timeout);
    }

    ~MysqlLock() override {
        try {
            connection_.query_bound("SELECT RELEASE_LOCK(?)", {name_});
        } catch (const std::exception&) {
            // The connection ending releases it anyway.
        }
    }

private:
    db::Connection& connection_;
    std::string name_;
};

// SQLite: flock on the database file. It is separate from SQLite's own fcntl locks, and the kernel
// drops it when the process dies.
class SqliteFileLock final : public MigrationLock {
public:
    SqliteFileLock(const std::string& path, std::chrono::seconds timeout) {
        fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ < 0) throw Error(fmt::format("cannot open {} to lock it: {}", path, std::strerror(errno)));
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
            if (errno != EWOULDBLOCK && errno != EINTR) {
                const std::string reason = std::strerror(errno);
                ::close(fd_);
                throw Error(fmt::format("cannot lock {}: {}", path, reason));
            }
            if (std::chrono::steady_clock::now() >= deadline) {
                ::close(fd_);
                throw locked_error(timeout);
            }
            // flock has no timeout of its own.
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }

    ~SqliteFileLock() override {
        ::flock(fd_, LOCK_UN);
        ::close(fd_);
    }

private:
    int fd_ = -1;
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

std::unique_ptr<MigrationLock> acquire_migration_lock(db::Connection& connection,
                                                      const config::DatabaseUrl& url, std::string_view name,
                                                      std::chrono::seconds timeout) {
    switch (url.dialect) {
        case dialect::DialectKind::Postgresql:
            return std::make_unique<PostgresqlLock>(connection, lock_key(name), timeout);
        case dialect::DialectKind::Mysql: {
            // GET_LOCK names are server-wide, where PostgreSQL's advisory locks are per database: an
            // unqualified version table is scoped by the URL's database, so that two databases on one
            // server never wait for each other.
            const std::string scoped = name.find('.') == std::string_view::npos
                                           ? fmt::format("`{}`.{}", url.database, name)
                                           : std::string(name);
            return std::make_unique<MysqlLock>(connection, mysql_lock_name(scoped), timeout);
        }
        case dialect::DialectKind::Sqlite:
            if (url.database.empty() || url.database == ":memory:") return std::make_unique<NoLock>();
            return std::make_unique<SqliteFileLock>(url.database, timeout);
    }
    return std::make_unique<NoLock>();
}

}  // namespace migrator::runtime
