#pragma once
// Cuts a section into statements so that each goes to the driver by itself.

#include <cstddef>
#include <string_view>
#include <vector>

#include "dialect/dialect.hpp"
#include "script/script.hpp"
#include "util/expected.hpp"

namespace migrator::script {

/// Where a piece of SQL comes from, for error messages and statement lines.
struct SqlSource {
    std::string_view path;       // the file named in errors; "line N" alone when empty
    std::size_t first_line = 1;  // the file line on which the SQL starts
};

/// Splits SQL into statements the way the database's own tools do:
/// - SQLite: sqlite3_complete()'s state machine (a CREATE TRIGGER ... END is one statement);
/// - PostgreSQL: libpg_query's scanner; a semicolon splits outside parentheses and BEGIN ATOMIC ... END;
/// - MySQL/MariaDB: the mysql client's rules: `#` and `-- ` comments, backslash escapes, `DELIMITER`
///   lines, `/*! ... */` kept as SQL; a CREATE PROCEDURE/FUNCTION/TRIGGER/EVENT's BEGIN ... END body
///   stays whole under the `;` delimiter.
/// Statements come back trimmed, without their delimiter; empty ones are dropped. An unterminated
/// block comment, quoted string, quoted identifier or dollar quote, or any NUL byte, is a failure
/// naming `path:line` of the construct's start: no text is ever silently left out.
Expected<std::vector<Statement>> split_statements(std::string_view sql, dialect::DialectKind kind,
                                                  SqlSource source = {});

}  // namespace migrator::script
