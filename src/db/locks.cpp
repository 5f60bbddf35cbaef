#include "db/locks.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <random>
#include <thread>

#include "util/error.hpp"

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

// Galera reports a write that lost certification to a concurrent one on another node as a deadlock
// (ER_LOCK_DEADLOCK); like a deadlock, it is retried.
bool lost_certification(const DatabaseError& error) {
    const std::string_view message = error.what();
    return message.find("Deadlock") != std::string_view::npos ||
           message.find("deadlock") != std::string_view::npos;
}

// Identifies this process's claim in the lock row, readable in the table when a lock seems stuck.
std::string holder_id() {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    std::random_device random;
    const auto nonce = (static_cast<std::uint64_t>(random()) << 32U) | random();
    return fmt::format("{}:{}:{:016x}", host, ::getpid(), nonce);
}

std::int64_t parsed_beat(const std::optional<std::string>& text) {
    try {
        return text ? std::stoll(*text) : 0;
    } catch (const std::exception&) {
        throw DatabaseError(fmt::format("the lock row holds a heartbeat that is not a number: '{}'", *text));
    }
}

class GaleraLock final : public Lock {
public:
    GaleraLock(std::unique_ptr<Connection> connection, std::string table, std::string name,
               std::string holder, std::chrono::milliseconds lease)
        : connection_(std::move(connection)),
          table_(std::move(table)),
          name_(std::move(name)),
          holder_(std::move(holder)),
          lease_(lease),
          heartbeat_([this] { beat_until_stopped(); }) {}

    ~GaleraLock() override {
        {
            const std::lock_guard guard(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        heartbeat_.join();
        // A release that keeps losing certification is left to the lease.
        for (int attempt = 0; attempt < 5; ++attempt) {
            try {
                connection_->execute_bound(
                    fmt::format("UPDATE {} SET holder = '', beat = beat + 1 WHERE name = ? AND holder = ?",
                                table_),
                    {name_, holder_});
                return;
            } catch (const DatabaseError& error) {
                if (!lost_certification(error)) return;
            } catch (const std::exception&) {
                return;
            }
        }
    }

    GaleraLock(const GaleraLock&) = delete;
    GaleraLock& operator=(const GaleraLock&) = delete;

    // A beat of its own, so that a takeover is seen at once rather than at the next heartbeat.
    void check_held() override {
        for (int attempt = 0;; ++attempt) {
            try {
                if (beat() == 0) lost_ = true;
                break;
            } catch (const DatabaseError& error) {
                if (!lost_certification(error) || attempt == 4) {
                    throw LockLost(fmt::format(
                        "could not confirm that this migrator still holds the Galera lock: {}; stopped "
                        "before running more (docs/galera.md)",
                        error.message()));
                }
            }
        }
        if (lost_) {
            throw LockLost(fmt::format(
                "another migrator took over the Galera lock after this one's heartbeat stalled for the lease "
                "({} s); stopped before running more: raise the URL's lock_lease (docs/galera.md)",
                std::chrono::duration_cast<std::chrono::seconds>(lease_).count()));
        }
    }

private:
    // The rows it matched: 0 once another holder owns the row.
    std::optional<std::int64_t> beat() {
        const std::lock_guard guard(connection_mutex_);
        return connection_->execute_bound(
            fmt::format("UPDATE {} SET beat = beat + 1 WHERE name = ? AND holder = ?", table_),
            {name_, holder_});
    }

    // Failures are retried at the next beat: the lease outlasts three missed beats.
    void beat_until_stopped() {
        std::unique_lock guard(mutex_);
        while (!wake_.wait_for(guard, lease_ / 4, [this] { return stopping_; })) {
            guard.unlock();
            try {
                if (beat() == 0) lost_ = true;
            } catch (const std::exception&) {
            }
            guard.lock();
        }
    }

    std::unique_ptr<Connection> connection_;
    std::mutex connection_mutex_;  // the heartbeat and check_held() share the connection
    std::string table_;
    std::string name_;
    std::string holder_;
    std::chrono::milliseconds lease_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::atomic<bool> lost_ = false;  // set by either thread once the row names another holder
    std::thread heartbeat_;           // last: it starts once the members it uses exist
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

bool is_galera_node(Connection& connection) {
    // SHOW, not @@wsrep_on: MySQL servers without wsrep have no such variable and answer no row.
    const auto rows = connection.query_rows("SHOW VARIABLES LIKE 'wsrep_on'");
    return !rows.empty() && rows[0].size() > 1 && rows[0][1] && *rows[0][1] == "ON";
}

std::unique_ptr<Lock> galera_lease_lock(std::unique_ptr<Connection> lock_connection,
                                        std::string_view database, std::string_view name,
                                        std::chrono::seconds timeout, std::chrono::milliseconds lease) {
    using clock = std::chrono::steady_clock;
    auto& connection = *lock_connection;
    const std::string scoped =
        name.find('.') == std::string_view::npos ? fmt::format("`{}`.{}", database, name) : std::string(name);
    std::string key = mysql_lock_name(scoped);
    std::string table = fmt::format("`{}`.`{}`", database, galera_lock_table);
    std::string holder = holder_id();
    // Every read waits until this node has applied what the cluster committed before it, so a lock row
    // read on one node is never older than a write made on another.
    connection.execute("SET SESSION wsrep_sync_wait = 1");
    connection.execute(
        fmt::format("CREATE TABLE IF NOT EXISTS {} (name VARCHAR(64) NOT NULL PRIMARY KEY, "
                    "holder VARCHAR(255) NOT NULL, beat BIGINT NOT NULL) ENGINE=InnoDB",
                    table));
    const auto deadline = clock::now() + timeout;
    const auto poll = std::clamp<std::chrono::milliseconds>(lease / 10, std::chrono::milliseconds(20),
                                                            std::chrono::milliseconds(250));
    // The holder and heartbeat last read, and for how long they have not changed: the lease is measured on
    // this process's clock, so the nodes' clocks never matter. Only the time between reads counts: a read
    // the cluster blocks (as during a DDL) blocked the holder's heartbeat as well.
    std::optional<std::pair<std::string, std::int64_t>> seen;
    clock::duration silent{0};
    auto last_read_ended = clock::now();
    while (true) {
        const auto read_started = clock::now();
        try {
            const auto rows = connection.query_bound(
                fmt::format("SELECT holder, beat FROM {} WHERE name = ?", table), {key});
            bool taken = false;
            if (rows.empty()) {
                taken = connection.execute_bound(
                            fmt::format("INSERT IGNORE INTO {} (name, holder, beat) VALUES (?, ?, 1)", table),
                            {key, holder}) == 1;
            } else {
                const std::string current = rows[0].empty() || !rows[0][0] ? std::string() : *rows[0][0];
                const auto beat = parsed_beat(rows[0].size() > 1 ? rows[0][1] : std::nullopt);
                const std::pair<std::string, std::int64_t> state{current, beat};
                if (seen == state) {
                    silent += read_started - last_read_ended;
                } else {
                    seen = state;
                    silent = clock::duration{0};
                }
                last_read_ended = clock::now();
                // Free, or its holder has not beaten for a whole lease.
                if (current.empty() || silent >= lease) {
                    taken = connection.execute_bound(
                                fmt::format("UPDATE {} SET holder = ?, beat = beat + 1 WHERE name = ? AND "
                                            "holder = ? AND beat = ?",
                                            table),
                                {holder, key, current, std::to_string(beat)}) == 1;
                }
            }
            if (taken) {
                return std::make_unique<GaleraLock>(std::move(lock_connection), std::move(table),
                                                    std::move(key), std::move(holder), lease);
            }
        } catch (const DatabaseError& error) {
            if (!lost_certification(error)) throw;
        }
        if (clock::now() >= deadline) return nullptr;
        // Another node's write shows up only in a later read; there is nothing to wait on.
        std::this_thread::sleep_for(poll);
    }
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
