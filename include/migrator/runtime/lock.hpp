#pragma once
// One migrator at a time per database: upgrade, downgrade and stamp hold this lock from reading
// the current heads until they finish. Every kind of lock dies with the process or its connection,
// so a crashed runner never leaves a stale lock behind.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "migrator/config/database_url.hpp"
#include "migrator/db/connection.hpp"

namespace migrator::runtime {

/// A held migration lock; destroying it releases the lock.
class MigrationLock {
public:
    virtual ~MigrationLock() = default;
    MigrationLock() = default;
    MigrationLock(const MigrationLock&) = delete;
    MigrationLock& operator=(const MigrationLock&) = delete;
};

/// A stable 64-bit FNV-1a hash of the lock's name, usable as a PostgreSQL advisory lock key.
std::int64_t lock_key(std::string_view name);

/// The name MySQL's GET_LOCK takes for a lock (at most 64 characters).
std::string mysql_lock_name(std::string_view name);

/// Takes the lock named after the version table (`name` is its qualified name): pg_advisory_lock on
/// PostgreSQL, GET_LOCK on MySQL, flock on a SQLite file. Throws Error "the database is locked by
/// another migrator (waited S s)" when another runner still holds it after `timeout`.
std::unique_ptr<MigrationLock> acquire_migration_lock(db::Connection& connection,
                                                      const config::DatabaseUrl& url, std::string_view name,
                                                      std::chrono::seconds timeout);

}  // namespace migrator::runtime
