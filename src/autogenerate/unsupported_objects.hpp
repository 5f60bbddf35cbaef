#pragma once
// What the inspector leaves out of a schema (views, triggers, routines, expression or partial indexes,
// generated columns, other schemas...), so that a snapshot of the schema can refuse to lose them.

#include <string>
#include <vector>

#include "db/connection.hpp"
#include "dialect/dialect.hpp"

namespace migrator::autogenerate {

/// The objects of the connection's current schema (database on MySQL) that inspect_schema does not
/// read, one "kind name" entry each ("view active_users", "trigger trg_audit"), sorted. Throws
/// db::DatabaseError when a catalog query fails.
std::vector<std::string> unsupported_objects(db::Connection& connection, const dialect::Dialect& dialect);

}  // namespace migrator::autogenerate
