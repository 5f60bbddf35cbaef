#pragma once
// The per-dialect catalog readers behind inspect_schema, and the small helpers they share.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "autogenerate/inspector.hpp"
#include "db/connection.hpp"
#include "dialect/dialect.hpp"
#include "schema/schema.hpp"

namespace migrator::autogenerate::detail {

/// One result row of Connection::query_rows.
using Row = std::vector<std::optional<std::string>>;

/// Whether a definition the catalog prints with the table's schema name (PostgreSQL's index definitions)
/// keeps it: a table outside the default schema (include_schemas) does, so that the index is made there.
enum class SchemaQualifier { Dropped, Kept };

/// Which tables an inspector reads: the filter plus the version table to skip.
struct TableSelection {
    std::string_view version_table;
    const TableFilter& filter;
    SchemaQualifier qualifier = SchemaQualifier::Dropped;
    /// Whether `table_name` is read at all.
    [[nodiscard]] bool wants(std::string_view table_name) const;
};

/// Reads a SQLite database (`schema_name` empty: main, else an attached database).
schema::Schema inspect_sqlite(db::Connection& connection, const dialect::Dialect& dialect,
                              std::string_view schema_name, const TableSelection& selection);

/// Reads one PostgreSQL schema (`schema_name` empty: current_schema()).
schema::Schema inspect_postgresql(db::Connection& connection, const dialect::Dialect& dialect,
                                  std::string_view schema_name, const TableSelection& selection);

/// Reads one MySQL / MariaDB database (`schema_name` empty: DATABASE()).
schema::Schema inspect_mysql(db::Connection& connection, const dialect::Dialect& dialect,
                             std::string_view schema_name, const TableSelection& selection);

/// A column declared with a COLLATE clause, and its collation (upper-cased).
struct CollatedColumn {
    std::string column;
    std::string collation;
    bool operator==(const CollatedColumn&) const = default;
};

/// The columns a SQLite CREATE TABLE statement declares with a collation other than BINARY, in order.
std::vector<CollatedColumn> sqlite_collated_columns(std::string_view create_table_sql);

/// A generated column and its expression as the CREATE TABLE statement writes it.
struct GeneratedColumn {
    std::string column;
    std::string expression;
    bool operator==(const GeneratedColumn&) const = default;
};

/// The generated columns of a SQLite CREATE TABLE statement, in order.
std::vector<GeneratedColumn> sqlite_generated_columns(std::string_view create_table_sql);

/// A foreign key's columns and the table it refers to.
struct DeferredReference {
    std::vector<std::string> columns;
    std::string referred_table;
    bool operator==(const DeferredReference&) const = default;
};

/// The foreign keys a SQLite CREATE TABLE statement declares DEFERRABLE INITIALLY DEFERRED, in order.
std::vector<DeferredReference> sqlite_deferred_references(std::string_view create_table_sql);

/// The cell's text, or "" for NULL or a missing cell.
std::string text(const Row& row, std::size_t column);

/// The cell's text, or nullopt for NULL or a missing cell.
std::optional<std::string> optional_text(const Row& row, std::size_t column);

/// "CASCADE", "SET NULL", "RESTRICT", "SET DEFAULT", anything else NO ACTION (any case).
schema::ReferentialAction referential_action(std::string_view rule);

/// Puts tables in name order and each table's constraints and indexes in name order.
void sort_schema(schema::Schema& schema);

/// A type as a catalog spells it, cut up: "NUMERIC(10,2)" is base NUMERIC, arguments {10, 2}.
struct TypeSpelling {
    std::string base;            // upper case, white space collapsed
    std::vector<int> arguments;  // the integers in parentheses
    std::string suffix;          // upper-cased text after the parentheses: "UNSIGNED", "WITH TIME ZONE"
};

/// Cuts `type_text` up; nullopt when the parenthesised part is not a list of integers.
std::optional<TypeSpelling> parse_type_spelling(std::string_view type_text);

/// Finds the table called `name` in `tables` by binary search (tables sorted by name), or nullptr.
schema::Table* find_sorted(std::vector<schema::Table>& tables, std::string_view name);

/// The name given, or else the one `current_schema_query` returns (the connection's own schema).
std::string schema_or_current(db::Connection& connection, std::string_view schema_name,
                              const std::string& current_schema_query);

/// The selected tables of (name, comment) rows, empty comments left out, sorted by name for find_sorted.
/// Runs a catalog query in which every `?` stands for the schema name, bound as a parameter so that no
/// server setting (standard_conforming_strings) can change how it reads.
std::vector<Row> query_in_schema(db::Connection& connection, const std::string& sql,
                                 const std::string& schema);

/// The selected tables of rows (name, comment[, collation]), sorted by name.
std::vector<schema::Table> selected_tables(const std::vector<Row>& rows, const TableSelection& selection);

/// Cuts rows sorted by table (cell 0) and object name (cell 1) into one run per object.
std::vector<std::span<const Row>> group_by_table_and_name(const std::vector<Row>& rows);

/// A view's query as a catalog prints it, without the surrounding white space and trailing semicolon.
std::string view_query(std::string_view printed);

/// The column names of one index or key, one row each.
struct KeyColumns {
    std::vector<std::string> names;  // the non-NULL cells, in row order
    bool has_null = false;           // an index on an expression, or a foreign key's implicit target
};

/// The cells at `column` of an object's rows (one run of group_by_table_and_name).
KeyColumns key_columns(std::span<const Row> rows, std::size_t column);

}  // namespace migrator::autogenerate::detail
