#pragma once
// Rendering the schema operations as DDL statements in one dialect.

#include <string>
#include <vector>

#include "migrator/dialect/dialect.hpp"
#include "migrator/schema/operations.hpp"
#include "migrator/schema/schema.hpp"

namespace migrator::dialect {

/// The column type as `dialect` spells it in DDL ("VARCHAR(255)", "TIMESTAMP WITH TIME ZONE",
/// "TINYINT(1)"); also the canonical form compare_schemas matches types on.
std::string render_type(const Dialect& dialect, const schema::ColumnType& type);

/// The statements, without trailing semicolons, that run `operations` and turn `before` into
/// `after`. On SQLite, every table whose operations ALTER TABLE cannot express (altering or dropping
/// a constrained column, adding or dropping a constraint, changing the primary key) is rebuilt
/// with the table-recreate sequence: create the new shape under a temporary name, copy the rows of
/// the columns both shapes share, drop the old table, rename, recreate its indexes. Each group of
/// statements is preceded by a `-- review: <note>` element per review note of its operations.
std::vector<std::string> render_operations(const Dialect& dialect, const schema::Schema& before,
                                           const schema::Schema& after,
                                           const std::vector<schema::PlannedOperation>& operations);

}  // namespace migrator::dialect
