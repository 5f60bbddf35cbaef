#pragma once
// What the inspector leaves out of a schema (aggregates, MySQL sequences, domain types, a constraint's
// sort order, other schemas...), so that a snapshot of the schema can refuse to lose them.

#include <string>
#include <vector>

#include "autogenerate/inspector.hpp"
#include "db/connection.hpp"
#include "dialect/dialect.hpp"
#include "schema/schema.hpp"

namespace migrator::autogenerate {

/// The objects of the connection's current schema (database on MySQL) that inspect_schema does not
/// read, one "kind name" entry each ("aggregate total", "index sort order t.PRIMARY"), sorted. Throws
/// db::DatabaseError when a catalog query fails.
std::vector<std::string> unsupported_objects(db::Connection& connection, const dialect::Dialect& dialect);

/// The same objects as kind and name, sorted, keeping those whose table (an index or aggregate: its
/// own name; an attribute of a table: its table) the filter accepts: what check and autogenerate do not
/// compare.
/// `other_schemas` (include_schemas) are read too, their objects named "schema.name", and are not
/// themselves named as schemas not compared.
std::vector<schema::UncomparedObject> uncompared_objects(db::Connection& connection,
                                                         const dialect::Dialect& dialect,
                                                         const TableFilter& filter,
                                                         const std::vector<std::string>& other_schemas = {});

}  // namespace migrator::autogenerate
