#pragma once
// The database as the runtime sees it. Each backend implements it in its own file (db/connect.hpp opens
// one); the drivers stay behind it so that unit tests can fake it.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace migrator::db {

/// A statement the database refused; the message is the driver's, never a password. An Error like any
/// other (exit code 2), so one catch handles both; catch it alone only to treat a database failure apart.
class DatabaseError : public Error {
public:
    explicit DatabaseError(const std::string& message) : Error(message, ErrorKind::Database) {}
    explicit DatabaseError(const char* message) : DatabaseError(std::string(message)) {}
};

/// The migration lock is no longer this process's: nothing more may run or commit under it.
class LockLost : public Error {
public:
    explicit LockLost(const std::string& message) : Error(message, ErrorKind::Lock) {}
};

/// A lock held on the database; destroying it releases it. The database also drops it when the
/// connection or the process ends, so a crashed holder leaves nothing stale behind.
class Lock {
public:
    virtual ~Lock() = default;
    Lock() = default;
    Lock(const Lock&) = delete;
    Lock& operator=(const Lock&) = delete;

    /// Throws LockLost when the lock has passed to another migrator: a lease (Galera) taken over while
    /// this process stalled. A session lock cannot be lost while its connection lives.
    virtual void check_held() {}
};

/// A live (or offline, printing) connection.
class Connection {
public:
    virtual ~Connection() = default;
    Connection() = default;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    /// Runs one statement; throws DatabaseError on failure.
    virtual void execute(std::string_view sql) = 0;

    /// Runs a query and returns the first column of every row as text (NULL as nullopt).
    virtual std::vector<std::optional<std::string>> query_column(std::string_view sql) = 0;

    /// Runs a query and returns every row with each column as text (NULL as nullopt); throws
    /// DatabaseError on failure, and on connections that cannot read (offline).
    virtual std::vector<std::vector<std::optional<std::string>>> query_rows(std::string_view sql);

    /// Runs an INSERT/UPDATE/DELETE and returns the rows it matched, or nullopt when unknown (offline).
    virtual std::optional<std::int64_t> execute_update(std::string_view sql) {
        execute(sql);
        return std::nullopt;
    }

    /// Parameters bound to `?` placeholders in order, never spliced into the SQL text (NULL as nullopt).
    using Parameters = std::vector<std::optional<std::string>>;

    /// Runs a query whose `?` placeholders are bound to params; rows as query_rows returns them.
    virtual std::vector<std::vector<std::optional<std::string>>> query_bound(std::string_view sql,
                                                                             const Parameters& params);

    /// Runs a statement whose `?` placeholders are bound to params; returns the rows it matched when known.
    virtual std::optional<std::int64_t> execute_bound(std::string_view sql, const Parameters& params);

    /// Annotates the output: printing connections write `-- text`, live ones ignore it.
    virtual void comment(std::string_view /*text*/) {}

    /// Called from another thread (the signal watcher) to stop the statement running on this connection,
    /// which then throws DatabaseError (or returns early). The request stays until clear_interrupt(): a
    /// statement that starts after it is stopped or refused too. A no-op by default.
    virtual void interrupt() {}

    /// Lets statements run again after interrupt(), for the rollback and the reads that follow a stop.
    virtual void clear_interrupt() {}

    /// Replaces this whole database with a copy of the SQLite database file `image`, in one transaction
    /// of its own (none may be open). Only SQLite connections can; the others throw DatabaseError.
    virtual void restore_image(const std::string& image);

    /// Takes the exclusive lock `name` (a qualified table name) for this connection's database, waiting up to
    /// `timeout`; returns nullptr when another holder still has it then. Throws DatabaseError on other
    /// failures, and on connections that cannot lock (offline).
    virtual std::unique_ptr<Lock> lock(std::string_view name, std::chrono::seconds timeout);
};

}  // namespace migrator::db
