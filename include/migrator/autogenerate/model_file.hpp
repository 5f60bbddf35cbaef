#pragma once
// The YAML model file: tables, columns, keys, constraints and indexes declared by the team.

#include <string_view>

#include "migrator/dialect/dialect.hpp"
#include "migrator/schema/schema.hpp"
#include "migrator/util/expected.hpp"

namespace migrator::autogenerate {

/// Parses model YAML for `dialect` (which picks per-dialect raw types). Every failure is one line
/// starting "<source_name>:<line>: " and naming the table, column or key at fault: bad YAML, an
/// unknown key or type, a duplicate table/column/constraint name, a key/index/FK naming a missing
/// column, or an FK to a missing table or column. Unnamed constraints get deterministic names
/// (docs/models.md).
Expected<schema::Schema> parse_model_file(std::string_view yaml_text, std::string_view source_name,
                                          dialect::DialectKind dialect);

}  // namespace migrator::autogenerate
