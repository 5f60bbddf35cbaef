#pragma once
// How `check` and `revision --autogenerate` report the operations they detected.

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "schema/operations.hpp"

namespace migrator::render {

/// A stable snake_case name per operation kind, for JSON: "add_column", "create_table"...
std::string_view operation_kind(const schema::Operation& operation);

/// "  add column users.email" per operation, each review note below it as "    review: ...".
void print_operations_text(std::ostream& out, const std::vector<schema::PlannedOperation>& operations);

/// "2 routines (audit, touch), 1 view (active_users)": the objects counted and named per kind.
std::string describe_not_compared(const std::vector<schema::UncomparedObject>& objects);

/// `{"up_to_date": bool, "operations": [{"kind", "table", "description", "review_notes"}],
/// "not_compared": [{"kind", "name"}]}` and a newline; up to date only when both lists are empty.
void print_operations_json(std::ostream& out, const std::vector<schema::PlannedOperation>& operations,
                           const std::vector<schema::UncomparedObject>& not_compared = {});

}  // namespace migrator::render
