#pragma once
// What the rules need to know about one statement, read by a dialect's parser: the rules themselves
// never look at SQL text.

#include <string>
#include <string_view>
#include <vector>

#include "dialect/dialect.hpp"

namespace migrator::lint {

/// A column of a table; names are unquoted, lowercased unless they were quoted.
struct ColumnRef {
    std::string table;
    std::string column;
};

/// A rename of a table (column empty) or of a column.
struct Rename {
    std::string table;
    std::string column;
    std::string new_name;
};

/// Whether a statement defines or changes schema (commits implicitly on MySQL) or changes rows.
enum class StatementClass { Other, Ddl, Dml };

/// The facts about one statement.
struct StatementFacts {
    StatementClass kind = StatementClass::Other;
    std::vector<std::string> created_tables;
    std::vector<std::string> created_columns;  // the columns of the (first) created table, when listed
    std::vector<std::string> dropped_tables;
    std::vector<ColumnRef> added_columns;
    std::vector<ColumnRef> dropped_columns;
    std::vector<Rename> renames;
    std::vector<std::string> truncated_tables;
    std::string delete_without_where;  // the table of a DELETE with no WHERE
    std::string update_without_where;  // the table of an UPDATE with no WHERE
    std::string dropped_schema;
    std::string dropped_database;
    // CREATE INDEX
    std::string indexed_table;
    bool index_concurrently = false;
    // PostgreSQL ALTER TABLE details
    std::vector<ColumnRef> not_null_without_default;
    std::vector<ColumnRef> volatile_defaults;
    std::vector<ColumnRef> type_changes;
    std::vector<ColumnRef> set_not_null;
    std::vector<std::string> validated_constraints;  // "foreign key fk_x on orders"
    // MySQL string literals written with a backslash escape
    bool backslash_escape = false;
};

/// The last part of a possibly schema-qualified name: tables are compared by it.
std::string_view unqualified(std::string_view name);

/// PostgreSQL: libpg_query's parse tree (postgresql_facts.cpp, the lint module's only user of pg_query.h).
/// A statement that does not parse yields no facts: running it reports the syntax error.
StatementFacts postgresql_facts(std::string_view sql);

/// SQLite and MySQL/MariaDB: a tokenizer that follows the dialect's quoting rules.
StatementFacts token_facts(std::string_view sql, dialect::DialectKind kind);

}  // namespace migrator::lint
