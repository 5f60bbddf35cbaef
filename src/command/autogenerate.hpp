#pragma once
// What `revision --autogenerate` and `check` share: the models, the live schema and their diff.

#include <optional>
#include <string>
#include <vector>

#include "autogenerate/inspector.hpp"
#include "command/workspace.hpp"
#include "schema/operations.hpp"
#include "schema/schema.hpp"

namespace migrator::command {

/// The declared models next to the live database, and the operations from one to the other.
struct SchemaComparison {
    schema::Schema database;
    schema::Schema models;
    std::vector<schema::PlannedOperation> operations;
    // Objects on either side that the comparison does not cover (views, triggers...), sorted.
    std::vector<schema::UncomparedObject> not_compared;
};

/// A filter that leaves out migrator's own audit table (`history_table`), which no model or checkpoint
/// describes, like the version table.
autogenerate::TableFilter without_history_table(const config::Config& config,
                                                autogenerate::TableFilter filter = {});

/// Loads the file `models:` names (.yaml/.yml model file or .sql desired-state file), reads the live
/// schema (and the tables of the schemas include_schemas names) with include_tables/exclude_tables applied,
/// and diffs them. Throws Error when no models are
/// configured, the models are bad, or `expected_heads` is given and the database's heads are not
/// exactly those (the diff would describe migrations that are merely unapplied).
SchemaComparison compare_models_with_database(Workspace& workspace,
                                              const std::optional<std::vector<std::string>>& expected_heads);

}  // namespace migrator::command
