#pragma once
// How `check` and `revision --autogenerate` report the operations they detected.

#include <ostream>
#include <string_view>
#include <vector>

#include "migrator/schema/operations.hpp"

namespace migrator::render {

/// A stable snake_case name per operation kind, for JSON: "add_column", "create_table"...
std::string_view operation_kind(const schema::Operation& operation);

/// "  add column users.email" per operation, each review note below it as "    review: ...".
void print_operations_text(std::ostream& out, const std::vector<schema::PlannedOperation>& operations);

/// `{"up_to_date": bool, "operations": [{"kind", "table", "description", "review_notes"}]}` and a newline.
void print_operations_json(std::ostream& out, const std::vector<schema::PlannedOperation>& operations);

}  // namespace migrator::render
