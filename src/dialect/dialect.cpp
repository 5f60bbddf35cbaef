#include "dialect/dialect.hpp"

#include <fmt/format.h>

#include "dialect/builtin_dialects.hpp"
#include "util/error.hpp"

namespace migrator::dialect {

namespace {

// Shown in error messages without letting a NUL or control byte through.
std::string printable(std::string_view name) {
    std::string out;
    for (const char c : name) {
        if (static_cast<unsigned char>(c) < 0x20) {
            out += fmt::format("\\x{:02x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

const Dialect& dialect_for(DialectKind kind) {
    switch (kind) {
        case DialectKind::Sqlite:
            return sqlite_dialect();
        case DialectKind::Postgresql:
            return postgresql_dialect();
        case DialectKind::Mysql:
            return mysql_dialect();
    }
    throw Error("unknown dialect kind");
}

void check_identifier(std::string_view name, char quote) {
    if (name.empty()) throw Error("identifier must not be empty");
    if (name.size() > max_identifier_length) {
        throw Error(fmt::format("identifier '{}' is longer than {} characters", printable(name),
                                max_identifier_length));
    }
    if (name.find('\0') != std::string_view::npos) {
        throw Error(fmt::format("identifier '{}' must not contain a NUL character", printable(name)));
    }
    if (name.find(quote) != std::string_view::npos) {
        throw Error(
            fmt::format("identifier '{}' must not contain the quote character {}", printable(name), quote));
    }
}

std::string quote_checked_identifier(std::string_view name, char quote) {
    check_identifier(name, quote);
    std::string out;
    out.reserve(name.size() + 2);
    out += quote;
    out += name;
    out += quote;
    return out;
}

std::string quote_string_literal(std::string_view value, BackslashEscapes backslashes) {
    std::string out = "'";
    for (const char c : value) {
        if (c == '\'' || (c == '\\' && backslashes == BackslashEscapes::Yes)) out += c;
        out += c;
    }
    out += '\'';
    return out;
}

std::string create_version_table_sql(const Dialect& dialect, std::string_view schema,
                                     std::string_view table) {
    // The constraint name is derived, so only the table name itself is length-checked.
    const std::string qualified = dialect.qualified_name(schema, table);
    std::string constraint = dialect.quote_identifier(table);
    constraint.insert(constraint.size() - 1, "_pkc");
    return fmt::format(
        "CREATE TABLE {} (version_num VARCHAR(32) NOT NULL, CONSTRAINT {} PRIMARY KEY (version_num))",
        qualified, constraint);
}

std::string QuotingDialect::quote_identifier(std::string_view name) const {
    return quote_checked_identifier(name, quote_);
}

std::string QuotingDialect::quote_literal(std::string_view value) const {
    return quote_string_literal(value, backslashes_);
}

std::string QuotingDialect::qualified_name(std::string_view schema, std::string_view table) const {
    if (schema.empty()) return quote_identifier(table);
    return quote_identifier(schema) + "." + quote_identifier(table);
}

std::string QuotingDialect::create_version_table(std::string_view schema, std::string_view table) const {
    return create_version_table_sql(*this, schema, table);
}

std::string QuotingDialect::checked_name(std::string_view name) const {
    check_identifier(name, quote_);
    return std::string(name);
}

}  // namespace migrator::dialect
