#include "runtime/lock.hpp"

#include <fmt/format.h>

#include "util/error.hpp"

namespace migrator::runtime {

std::unique_ptr<db::Lock> acquire_migration_lock(db::Connection& connection, std::string_view name,
                                                 std::chrono::seconds timeout) {
    auto lock = connection.lock(name, timeout);
    if (!lock) {
        throw Error(fmt::format("the database is locked by another migrator (waited {} s)", timeout.count()),
                    ErrorKind::Lock);
    }
    return lock;
}

}  // namespace migrator::runtime
