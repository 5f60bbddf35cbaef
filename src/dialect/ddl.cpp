#include "dialect/ddl.hpp"

#include <fmt/format.h>

#include "ddl_renderers.hpp"
#include "util/ascii.hpp"
#include "util/strings.hpp"

namespace migrator::dialect {

namespace {

using schema::ReferentialAction;
using schema::TimeZone;
using schema::TypeKind;

std::string_view action_sql(ReferentialAction action) {
    switch (action) {
        case ReferentialAction::NoAction:
            return "NO ACTION";
        case ReferentialAction::Restrict:
            return "RESTRICT";
        case ReferentialAction::Cascade:
            return "CASCADE";
        case ReferentialAction::SetNull:
            return "SET NULL";
        case ReferentialAction::SetDefault:
            return "SET DEFAULT";
    }
    return "NO ACTION";
}

std::string time_zone_suffix(TimeZone zone) {
    return zone == TimeZone::With ? " WITH TIME ZONE" : " WITHOUT TIME ZONE";
}

std::string deferral_clause(schema::Deferral deferral) {
    switch (deferral) {
        case schema::Deferral::NotDeferrable:
            return {};
        case schema::Deferral::InitiallyImmediate:
            return " DEFERRABLE";
        case schema::Deferral::InitiallyDeferred:
            return " DEFERRABLE INITIALLY DEFERRED";
    }
    return {};
}

}  // namespace

std::string render_type(const Dialect& dialect, const schema::ColumnType& type) {
    const DialectKind kind = dialect.kind();
    const bool mysql = kind == DialectKind::Mysql;
    const bool postgresql = kind == DialectKind::Postgresql;
    switch (type.kind) {
        case TypeKind::Integer:
            return mysql ? "INT" : "INTEGER";
        case TypeKind::BigInt:
            return "BIGINT";
        case TypeKind::SmallInt:
            return "SMALLINT";
        case TypeKind::Boolean:
            return mysql ? "TINYINT(1)" : "BOOLEAN";
        case TypeKind::String:
            if (type.length) return fmt::format("VARCHAR({})", *type.length);
            return mysql ? "VARCHAR(255)" : "VARCHAR";
        case TypeKind::Text:
            return "TEXT";
        case TypeKind::Numeric: {
            const std::string_view name = mysql ? "DECIMAL" : "NUMERIC";
            // A precision alone means scale 0, which is how the catalogs report it back.
            if (type.precision)
                return fmt::format("{}({}, {})", name, *type.precision, type.scale.value_or(0));
            return mysql ? "DECIMAL(10, 0)" : "NUMERIC";
        }
        case TypeKind::Float:
            return mysql ? "FLOAT" : "REAL";
        case TypeKind::Double:
            return mysql ? "DOUBLE" : "DOUBLE PRECISION";
        case TypeKind::Date:
            return "DATE";
        case TypeKind::Time:
            return postgresql ? "TIME" + time_zone_suffix(type.time_zone) : "TIME";
        case TypeKind::DateTime:
            return postgresql ? "TIMESTAMP" + time_zone_suffix(type.time_zone) : "DATETIME";
        case TypeKind::Json:
            return postgresql ? "JSONB" : "JSON";
        case TypeKind::Blob:
            return postgresql ? "BYTEA" : mysql ? "LONGBLOB" : "BLOB";
        case TypeKind::Uuid:
            return postgresql ? "UUID" : "CHAR(36)";
        case TypeKind::Raw:
            return type.raw;
    }
    return type.raw;
}

std::vector<std::string> render_operations(const Dialect& dialect, const schema::Schema& before,
                                           const schema::Schema& after,
                                           const std::vector<schema::PlannedOperation>& operations) {
    if (dialect.kind() == DialectKind::Sqlite)
        return ddl::sqlite_statements(dialect, before, after, operations);
    std::vector<std::string> statements;
    for (const auto& planned : operations) {
        ddl::append_review_notes(statements, planned.review_notes);
        auto rendered = dialect.kind() == DialectKind::Postgresql
                            ? ddl::postgresql_statements(dialect, planned.operation)
                            : ddl::mysql_statements(dialect, planned.operation);
        std::move(rendered.begin(), rendered.end(), std::back_inserter(statements));
    }
    return statements;
}

namespace ddl {

std::string quoted_columns(const Dialect& dialect, const std::vector<std::string>& columns) {
    std::vector<std::string> quoted;
    quoted.reserve(columns.size());
    for (const auto& column : columns) quoted.push_back(dialect.quote_identifier(column));
    return fmt::format("({})", util::join(quoted));
}

std::string key_columns(const Dialect& dialect, const std::vector<std::string>& columns,
                        const std::vector<int>& prefix_lengths,
                        const std::vector<schema::SortOrder>& sort_orders) {
    std::vector<std::string> parts;
    parts.reserve(columns.size());
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const int length = i < prefix_lengths.size() ? prefix_lengths[i] : 0;
        const bool descending = i < sort_orders.size() && sort_orders[i] == schema::SortOrder::Descending;
        parts.push_back(dialect.quote_identifier(columns[i]) +
                        (length > 0 ? fmt::format("({})", length) : std::string()) +
                        (descending ? " DESC" : ""));
    }
    return fmt::format("({})", util::join(parts));
}

std::string constraint_prefix(const Dialect& dialect, std::string_view name) {
    return name.empty() ? std::string() : "CONSTRAINT " + dialect.quote_identifier(name) + " ";
}

std::string unique_definition(const Dialect& dialect, const schema::UniqueConstraint& unique) {
    return constraint_prefix(dialect, unique.name) + "UNIQUE " + quoted_columns(dialect, unique.columns) +
           deferral_clause(unique.deferral);
}

std::string foreign_key_definition(const Dialect& dialect, const schema::ForeignKey& foreign_key) {
    // No referred columns: SQLite's `REFERENCES t` to a table whose primary key is unknown (it may not exist
    // yet); an empty "()" would be a syntax error.
    const std::string referred_columns = foreign_key.referred_columns.empty()
                                             ? std::string()
                                             : " " + quoted_columns(dialect, foreign_key.referred_columns);
    std::string clause =
        constraint_prefix(dialect, foreign_key.name) +
        fmt::format("FOREIGN KEY {} REFERENCES {}{}", quoted_columns(dialect, foreign_key.columns),
                    dialect.qualified_name(foreign_key.referred_schema, foreign_key.referred_table),
                    referred_columns);
    if (foreign_key.on_delete != ReferentialAction::NoAction) {
        clause += fmt::format(" ON DELETE {}", action_sql(foreign_key.on_delete));
    }
    if (foreign_key.on_update != ReferentialAction::NoAction) {
        clause += fmt::format(" ON UPDATE {}", action_sql(foreign_key.on_update));
    }
    return clause + deferral_clause(foreign_key.deferral);
}

std::string check_definition(const Dialect& dialect, const schema::CheckConstraint& check) {
    return constraint_prefix(dialect, check.name) + "CHECK (" + check.expression + ")";
}

std::vector<std::string> table_constraints(const Dialect& dialect, const schema::Table& table,
                                           PrimaryKeyClause clause, PrimaryKeyName name) {
    std::vector<std::string> lines;
    if (table.primary_key && clause == PrimaryKeyClause::Written) {
        const std::string prefix = name == PrimaryKeyName::Written
                                       ? constraint_prefix(dialect, table.primary_key->name)
                                       : std::string();
        lines.push_back(prefix + "PRIMARY KEY " +
                        key_columns(dialect, table.primary_key->columns, table.primary_key->prefix_lengths));
    }
    for (const auto& unique : table.uniques) lines.push_back(unique_definition(dialect, unique));
    for (const auto& foreign_key : table.foreign_keys)
        lines.push_back(foreign_key_definition(dialect, foreign_key));
    for (const auto& check : table.checks) lines.push_back(check_definition(dialect, check));
    return lines;
}

std::string StatementWriter::quote(std::string_view name) const {
    return dialect_.quote_identifier(name);
}

std::string StatementWriter::table_sql(const schema::TableName& table) const {
    return dialect_.qualified_name(table.schema, table.name);
}

std::string StatementWriter::alter(const schema::TableName& table) const {
    return "ALTER TABLE " + table_sql(table);
}

void StatementWriter::drop_table(const schema::TableName& table) {
    emit("DROP TABLE {}", table_sql(table));
}

void StatementWriter::drop_column(const schema::TableName& table, std::string_view column) {
    emit("{} DROP COLUMN {}", alter(table), quote(column));
}

void StatementWriter::add_constraint(const schema::TableName& table, std::string_view definition) {
    emit("{} ADD {}", alter(table), definition);
}

void StatementWriter::create_table_statement(const schema::TableName& table,
                                             const std::vector<std::string>& definitions,
                                             std::string_view suffix) {
    emit("CREATE TABLE {} (\n    {}\n){}", table_sql(table), util::join(definitions, ",\n    "), suffix);
}

void StatementWriter::create_index(const schema::TableName& table, const schema::Index& index) {
    if (!index.definition.empty()) {
        emit("{}", index.definition);
        return;
    }
    emit("CREATE {}INDEX {} ON {} {}", index.kind == schema::IndexKind::Unique ? "UNIQUE " : "",
         quote(index.name), table_sql(table),
         key_columns(dialect_, index.columns, index.prefix_lengths, index.sort_orders));
}

void StatementWriter::create_view(const schema::View& view) {
    const bool materialized = view.kind == schema::ViewKind::Materialized;
    emit("CREATE {}VIEW {}{} AS {}", materialized ? "MATERIALIZED " : "", quote(view.name),
         view.columns.empty() ? std::string() : " " + quoted_columns(dialect_, view.columns),
         view.definition);
}

void StatementWriter::drop_view(const schema::View& view) {
    emit("DROP {}VIEW {}", view.kind == schema::ViewKind::Materialized ? "MATERIALIZED " : "",
         quote(view.name));
}

void StatementWriter::create_indexes(const schema::Table& table) {
    for (const auto& index : table.indexes) create_index(table.qualified_name(), index);
}

std::string generated_clause(const schema::Generated& generated) {
    // Whether one pair of parentheses holds the whole expression ("(a * 2)", not "(a) + (b)").
    const auto& expression = generated.expression;
    bool wrapped = expression.size() >= 2 && expression.front() == '(' && expression.back() == ')';
    int depth = 0;
    char quote = 0;
    for (std::size_t i = 0; wrapped && i + 1 < expression.size(); ++i) {
        const char c = expression[i];
        if (quote != 0) {
            if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"' || c == '`') {
            quote = c;
        } else if (c == '(') {
            ++depth;
        } else if (c == ')' && --depth == 0) {
            wrapped = false;
        }
    }
    return fmt::format("GENERATED ALWAYS AS {} {}", wrapped ? expression : "(" + expression + ")",
                       generated.storage == schema::GeneratedStorage::Stored ? "STORED" : "VIRTUAL");
}

std::string default_value_sql(std::string_view expression) {
    const auto is_number = [](std::string_view text) {
        std::size_t i = text.starts_with('-') || text.starts_with('+') ? 1 : 0;
        bool digits = false;
        for (; i < text.size(); ++i) {
            if (util::is_digit(text[i])) {
                digits = true;
            } else if (text[i] != '.') {
                return false;
            }
        }
        return digits;
    };
    const auto is_string = [](std::string_view text) {
        if (text.size() < 2 || text.front() != '\'' || text.back() != '\'') return false;
        for (std::size_t i = 1; i + 1 < text.size(); ++i) {
            if (text[i] == '\'') {
                if (text[i + 1] != '\'' || i + 2 == text.size()) return false;
                ++i;
            }
        }
        return true;
    };
    const std::string upper = util::to_upper(expression);
    const bool keyword = upper == "NULL" || upper == "TRUE" || upper == "FALSE" ||
                         upper == "CURRENT_TIMESTAMP" || upper == "CURRENT_DATE" || upper == "CURRENT_TIME";
    const bool wrapped = expression.starts_with('(') && expression.ends_with(')');
    if (keyword || wrapped || is_number(expression) || is_string(expression)) return std::string(expression);
    return fmt::format("({})", expression);
}

void append_review_notes(std::vector<std::string>& statements, const std::vector<std::string>& notes) {
    for (const auto& note : notes) statements.push_back("-- review: " + note);
}

}  // namespace ddl

}  // namespace migrator::dialect
