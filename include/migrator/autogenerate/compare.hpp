#pragma once
// Diffs two schemas into the ordered operations that turn one into the other.

#include <vector>

#include "migrator/dialect/dialect.hpp"
#include "migrator/schema/operations.hpp"
#include "migrator/schema/schema.hpp"

namespace migrator::autogenerate {

/// The operations that turn `current` (the database) into `desired` (the models), in the order they
/// can run: new tables in foreign-key order, dropped tables in reverse, constraints dropped before
/// the columns they use and added after. Types, defaults and names are compared as `dialect`
/// stores them, so that a schema read back from the database equals the models it was created from.
/// Comments are ignored on SQLite, which has none.
std::vector<schema::PlannedOperation> compare_schemas(const schema::Schema& current,
                                                      const schema::Schema& desired,
                                                      const dialect::Dialect& dialect);

}  // namespace migrator::autogenerate
