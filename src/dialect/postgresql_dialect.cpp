#include <fmt/format.h>

#include "migrator/dialect/builtin_dialects.hpp"

namespace migrator::dialect {

namespace {

class PostgresqlDialect final : public Dialect {
public:
    [[nodiscard]] DialectKind kind() const override { return DialectKind::Postgresql; }
    [[nodiscard]] std::string_view name() const override { return "postgresql"; }
    [[nodiscard]] bool transactional_ddl() const override { return true; }

    [[nodiscard]] std::string quote_identifier(std::string_view identifier) const override {
        return quote_checked_identifier(identifier, '"');
    }
    // standard_conforming_strings is on by default since 9.1, so backslashes are plain characters.
    [[nodiscard]] std::string quote_literal(std::string_view value) const override {
        return quote_string_literal(value, BackslashEscapes::No);
    }
    [[nodiscard]] std::string qualified_name(std::string_view schema, std::string_view table) const override {
        if (schema.empty()) return quote_identifier(table);
        return quote_identifier(schema) + "." + quote_identifier(table);
    }

    [[nodiscard]] std::string begin_transaction() const override { return "BEGIN"; }

    [[nodiscard]] std::string create_version_table(std::string_view schema,
                                                   std::string_view table) const override {
        return create_version_table_sql(*this, schema, table);
    }
    [[nodiscard]] std::string version_table_exists(std::string_view schema,
                                                   std::string_view table) const override {
        check_identifier(table, '"');
        const std::string schema_expr = schema.empty() ? "current_schema()" : checked_literal(schema);
        return fmt::format(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = {} AND table_name = {}",
            schema_expr, quote_literal(table));
    }

private:
    [[nodiscard]] std::string checked_literal(std::string_view identifier) const {
        check_identifier(identifier, '"');
        return quote_literal(identifier);
    }
};

}  // namespace

const Dialect& postgresql_dialect() {
    static const PostgresqlDialect instance;
    return instance;
}

}  // namespace migrator::dialect
