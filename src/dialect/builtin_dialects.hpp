#pragma once
// The three built-in dialects and the quoting rules they share; dialect_for() picks among them.

#include <string>
#include <string_view>

#include "dialect/dialect.hpp"

namespace migrator::dialect {

/// The SQLite dialect instance.
const Dialect& sqlite_dialect();
/// The PostgreSQL dialect instance.
const Dialect& postgresql_dialect();
/// The MySQL/MariaDB dialect instance.
const Dialect& mysql_dialect();

/// Longest identifier accepted from the config (PostgreSQL's limit, the smallest of the three).
inline constexpr std::size_t max_identifier_length = 63;

/// Throws Error naming `name` when it is empty, too long, or holds NUL or `quote`: config cannot inject SQL.
void check_identifier(std::string_view name, char quote);

/// `name` wrapped in `quote`, after check_identifier.
std::string quote_checked_identifier(std::string_view name, char quote);

/// Whether backslashes are escape characters inside string literals (MySQL's default).
enum class BackslashEscapes { No, Yes };

/// `value` in single quotes with embedded single quotes doubled (and backslashes when they escape).
std::string quote_string_literal(std::string_view value, BackslashEscapes backslashes);

/// `CREATE TABLE <qualified> (version_num VARCHAR(32) NOT NULL, CONSTRAINT <table>_pkc PRIMARY KEY
/// (version_num))`.
std::string create_version_table_sql(const Dialect& dialect, std::string_view schema, std::string_view table);

/// What the three dialects share once their quote character and literal rules are known.
class QuotingDialect : public Dialect {
public:
    /// `quote` wraps identifiers; `backslashes` says how string literals escape.
    QuotingDialect(char quote, BackslashEscapes backslashes) : quote_(quote), backslashes_(backslashes) {}

    [[nodiscard]] std::string quote_identifier(std::string_view name) const override;
    [[nodiscard]] std::string quote_literal(std::string_view value) const override;
    /// `schema.table`; the schema is an attached database on SQLite and a database on MySQL.
    [[nodiscard]] std::string qualified_name(std::string_view schema, std::string_view table) const override;
    [[nodiscard]] std::string begin_transaction() const override { return "BEGIN"; }
    [[nodiscard]] std::string create_version_table(std::string_view schema,
                                                   std::string_view table) const override;

protected:
    /// The name itself, once checked like an identifier, to be bound as a parameter.
    [[nodiscard]] std::string checked_name(std::string_view name) const;

private:
    char quote_;
    BackslashEscapes backslashes_;
};

}  // namespace migrator::dialect
