#pragma once
// What the three DDL renderers share, and the entry points ddl.cpp dispatches to.

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dialect/dialect.hpp"
#include "schema/operations.hpp"
#include "schema/schema.hpp"

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

/// "(`a`(191), `b` DESC)": the columns of a key with their MySQL prefix lengths (0 or missing: the whole
/// column) and sort orders (missing: ascending).
std::string key_columns(const Dialect& dialect, const std::vector<std::string>& columns,
                        const std::vector<int>& prefix_lengths,
                        const std::vector<schema::SortOrder>& sort_orders = {});

/// `CONSTRAINT "name" `, or nothing for an unnamed constraint.
std::string constraint_prefix(const Dialect& dialect, std::string_view name);

/// `[CONSTRAINT "uq"] UNIQUE ("a")`.
std::string unique_definition(const Dialect& dialect, const schema::UniqueConstraint& unique);

/// `[CONSTRAINT "fk"] FOREIGN KEY (...) REFERENCES "t" (...)` plus the actions that are not NO ACTION.
std::string foreign_key_definition(const Dialect& dialect, const schema::ForeignKey& foreign_key);

/// `[CONSTRAINT "ck"] CHECK (expression)`.
std::string check_definition(const Dialect& dialect, const schema::CheckConstraint& check);

/// Whether CREATE TABLE writes the primary key as a table constraint.
enum class PrimaryKeyClause { Written, Omitted };
/// Whether a table-level PRIMARY KEY carries its constraint name.
enum class PrimaryKeyName { Written, Omitted };

/// The table constraints of CREATE TABLE: primary key, uniques, foreign keys, checks, each named.
std::vector<std::string> table_constraints(const Dialect& dialect, const schema::Table& table,
                                           PrimaryKeyClause clause, PrimaryKeyName name);

/// A server default as DDL writes it: literals and the CURRENT_* keywords as they are, any other
/// expression in parentheses, which SQLite and MySQL require around expressions.
std::string default_value_sql(std::string_view expression);

/// "GENERATED ALWAYS AS (expression) STORED" (or VIRTUAL), the expression parenthesised once.
std::string generated_clause(const schema::Generated& generated);

/// `-- note` lines appended to `statements`, one per review note.
void append_review_notes(std::vector<std::string>& statements, const std::vector<std::string>& notes);

/// The statement list a dialect's renderer builds, and the statement shapes every dialect writes alike.
class StatementWriter {
public:
    /// A writer with no statements yet.
    explicit StatementWriter(const Dialect& dialect) : dialect_(dialect) {}

protected:
    /// Appends the statement `format` makes of `args`.
    template <class... Args>
    void emit(fmt::format_string<Args...> format, Args&&... args) {
        statements_.push_back(fmt::format(format, std::forward<Args>(args)...));
    }

    /// `name` quoted as an identifier.
    [[nodiscard]] std::string quote(std::string_view name) const;

    /// `"table"`, or `"schema"."table"` outside the default schema.
    [[nodiscard]] std::string table_sql(const schema::TableName& table) const;

    /// `ALTER TABLE "table"`, the start of every ALTER statement.
    [[nodiscard]] std::string alter(const schema::TableName& table) const;

    /// Appends `DROP TABLE "table"`.
    void drop_table(const schema::TableName& table);

    /// Appends `ALTER TABLE "table" DROP COLUMN "column"`.
    void drop_column(const schema::TableName& table, std::string_view column);

    /// Appends `ALTER TABLE "table" ADD <definition>`.
    void add_constraint(const schema::TableName& table, std::string_view definition);

    /// Appends `CREATE TABLE "table" (` one definition per indented line `)<suffix>`.
    void create_table_statement(const schema::TableName& table, const std::vector<std::string>& definitions,
                                std::string_view suffix = {});

    /// Appends `CREATE [UNIQUE] INDEX "ix" ON "table" ("a")`.
    void create_index(const schema::TableName& table, const schema::Index& index);

    /// Appends `CREATE [MATERIALIZED] VIEW "v" [("a", "b")] AS <query>`.
    void create_view(const schema::View& view);

    /// Appends `DROP [MATERIALIZED] VIEW "v"`.
    void drop_view(const schema::View& view);

    /// Appends CREATE INDEX for every index of `table`.
    void create_indexes(const schema::Table& table);

    /// The statements appended so far; the writer is spent afterwards.
    std::vector<std::string> take_statements() { return std::move(statements_); }

    const Dialect& dialect_;
    std::vector<std::string> statements_;
};

/// The statements of one operation on PostgreSQL.
std::vector<std::string> postgresql_statements(const Dialect& dialect, const schema::Operation& operation);

/// The statements of one operation on MySQL/MariaDB.
std::vector<std::string> mysql_statements(const Dialect& dialect, const schema::Operation& operation);

/// The whole list on SQLite, tables that ALTER TABLE cannot change rebuilt from `before` to `after`.
std::vector<std::string> sqlite_statements(const Dialect& dialect, const schema::Schema& before,
                                           const schema::Schema& after,
                                           const std::vector<schema::PlannedOperation>& operations);

}  // namespace migrator::dialect::ddl
