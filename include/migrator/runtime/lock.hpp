#pragma once
// One migrator at a time per database: upgrade, downgrade and stamp hold this lock from reading
// the current heads until they finish. The connection knows how its database locks (db::Connection::lock);
// this only turns a lock still held by another runner into the error users see.

#include <chrono>
#include <memory>
#include <string_view>

#include "migrator/db/connection.hpp"

namespace migrator::runtime {

/// Takes the lock named after the version table (`name` is its qualified name). Throws Error "the database
/// is locked by another migrator (waited S s)" when another runner still holds it after `timeout`.
std::unique_ptr<db::Lock> acquire_migration_lock(db::Connection& connection, std::string_view name,
                                                 std::chrono::seconds timeout);

}  // namespace migrator::runtime
