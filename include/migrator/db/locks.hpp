#pragma once
// The locks behind Connection::lock, one kind per backend: PostgreSQL's advisory lock and MySQL's GET_LOCK
// are taken with SQL on the connection itself (so unit tests can script them), SQLite's is flock on the file.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "migrator/db/connection.hpp"

namespace migrator::db {

/// PostgreSQL refused a lock within its lock_timeout (SQLSTATE 55P03, lock_not_available).
class LockNotAvailable : public DatabaseError {
public:
    using DatabaseError::DatabaseError;
};

/// A stable 64-bit FNV-1a hash of the lock's name, usable as a PostgreSQL advisory lock key.
std::int64_t lock_key(std::string_view name);

/// The name MySQL's GET_LOCK takes for a lock (at most 64 characters).
std::string mysql_lock_name(std::string_view name);

/// pg_advisory_lock under a lock_timeout of `timeout`, released by pg_advisory_unlock; nullptr when the
/// server answers LockNotAvailable. `connection` must outlive the lock.
std::unique_ptr<Lock> postgresql_advisory_lock(Connection& connection, std::string_view name,
                                               std::chrono::seconds timeout);

/// GET_LOCK, released by RELEASE_LOCK; nullptr when it returns 0. The name is scoped by `database`
/// unless it is qualified. `connection` must outlive the lock.
std::unique_ptr<Lock> mysql_user_lock(Connection& connection, std::string_view database,
                                      std::string_view name, std::chrono::seconds timeout);

/// flock on the file at `path`, retried until `timeout`; nullptr when another holder keeps it.
std::unique_ptr<Lock> file_lock(const std::string& path, std::chrono::seconds timeout);

/// A lock that holds nothing, for a database no other process can open (SQLite in memory).
std::unique_ptr<Lock> no_lock();

}  // namespace migrator::db
