#include <fmt/format.h>

#include "migrator/dialect/builtin_dialects.hpp"

namespace migrator::dialect {

namespace {

class SqliteDialect final : public Dialect {
public:
    [[nodiscard]] DialectKind kind() const override { return DialectKind::Sqlite; }
    [[nodiscard]] std::string_view name() const override { return "sqlite"; }
    [[nodiscard]] bool transactional_ddl() const override { return true; }

    [[nodiscard]] std::string quote_identifier(std::string_view identifier) const override {
        return quote_checked_identifier(identifier, '"');
    }
    [[nodiscard]] std::string quote_literal(std::string_view value) const override {
        return quote_string_literal(value, BackslashEscapes::No);
    }
    // A schema on SQLite names an attached database.
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
        const std::string master =
            schema.empty() ? "sqlite_master" : quote_identifier(schema) + ".sqlite_master";
        check_identifier(table, '"');
        return fmt::format("SELECT name FROM {} WHERE type = 'table' AND name = {}", master,
                           quote_literal(table));
    }
};

}  // namespace

const Dialect& sqlite_dialect() {
    static const SqliteDialect instance;
    return instance;
}

}  // namespace migrator::dialect
