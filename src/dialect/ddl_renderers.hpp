#pragma once
// What the three DDL renderers share, and the entry points ddl.cpp dispatches to.

#include <string>
#include <string_view>
#include <vector>

#include "migrator/autogenerate/operations.hpp"
#include "migrator/autogenerate/schema.hpp"
#include "migrator/dialect/dialect.hpp"

namespace migrator::dialect::ddl {

/// Builds a std::visit visitor out of lambdas.
template <class... Handlers>
struct Overloaded : Handlers... {
    using Handlers::operator()...;
};
template <class... Handlers>
Overloaded(Handlers...) -> Overloaded<Handlers...>;

/// `("a", "b")`: the names quoted, comma-separated, in parentheses.
std::string quoted_columns(const Dialect& dialect, const std::vector<std::string>& columns);

/// `CONSTRAINT "name" `, or nothing for an unnamed constraint.
std::string constraint_prefix(const Dialect& dialect, std::string_view name);

/// `FOREIGN KEY (...) REFERENCES "t" (...)` plus the ON DELETE / ON UPDATE actions that are not NO ACTION.
std::string foreign_key_clause(const Dialect& dialect, const autogenerate::ForeignKey& foreign_key);

/// Whether CREATE TABLE writes the primary key as a table constraint.
enum class PrimaryKeyClause { Written, Omitted };
/// Whether a table-level PRIMARY KEY carries its constraint name.
enum class PrimaryKeyName { Written, Omitted };

/// The table constraints of CREATE TABLE: primary key, uniques, foreign keys, checks, each named.
std::vector<std::string> table_constraints(const Dialect& dialect, const autogenerate::Table& table,
                                           PrimaryKeyClause clause, PrimaryKeyName name);

/// `CREATE TABLE <name> (` one definition per indented line `)<suffix>`.
std::string create_table_sql(const Dialect& dialect, std::string_view table_name,
                             const std::vector<std::string>& definitions, std::string_view suffix = {});

/// `CREATE [UNIQUE] INDEX "ix" ON "t" ("a")`.
std::string create_index_sql(const Dialect& dialect, std::string_view table_name,
                             const autogenerate::Index& index);

/// `ALTER TABLE "t" ADD <constraint>` for a unique, foreign key or check.
std::string add_constraint_sql(const Dialect& dialect, std::string_view table_name,
                               std::string_view definition);

/// A server default as DDL writes it: literals and the CURRENT_* keywords as they are, any other
/// expression in parentheses, which SQLite and MySQL require around expressions.
std::string default_value_sql(std::string_view expression);

/// `-- note` lines appended to `statements`, one per review note.
void append_review_notes(std::vector<std::string>& statements, const std::vector<std::string>& notes);

/// The statements of one operation on PostgreSQL.
std::vector<std::string> postgresql_statements(const Dialect& dialect,
                                               const autogenerate::Operation& operation);

/// The statements of one operation on MySQL/MariaDB.
std::vector<std::string> mysql_statements(const Dialect& dialect, const autogenerate::Operation& operation);

/// The whole list on SQLite, tables that ALTER TABLE cannot change rebuilt from `before` to `after`.
std::vector<std::string> sqlite_statements(const Dialect& dialect, const autogenerate::Schema& before,
                                           const autogenerate::Schema& after,
                                           const std::vector<autogenerate::PlannedOperation>& operations);

}  // namespace migrator::dialect::ddl
