#pragma once
// Cuts a section into statements so that each goes to the driver by itself.

#include <cstddef>
#include <string_view>
#include <vector>

#include "migrator/script/script.hpp"

namespace migrator::script {

/// Splits SQL on top-level semicolons. A semicolon does not split inside a string, a quoted
/// identifier, a comment, a PostgreSQL dollar-quoted body or a SQLite CREATE TRIGGER ... END.
/// `first_line` is the file line on which `sql` starts, so each Statement knows its own line.
/// Statements come back trimmed, without the terminating semicolon; empty ones are dropped.
std::vector<Statement> split_statements(std::string_view sql, std::size_t first_line = 1);

}  // namespace migrator::script
