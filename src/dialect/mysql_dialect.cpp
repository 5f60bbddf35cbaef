#include <fmt/format.h>

#include "migrator/dialect/builtin_dialects.hpp"

namespace migrator::dialect {

namespace {

class MysqlDialect final : public Dialect {
public:
    [[nodiscard]] DialectKind kind() const override { return DialectKind::Mysql; }
    [[nodiscard]] std::string_view name() const override { return "mysql"; }
    // DDL commits implicitly; BEGIN/COMMIT still frame the data changes.
    [[nodiscard]] bool transactional_ddl() const override { return false; }

    [[nodiscard]] std::string quote_identifier(std::string_view identifier) const override {
        return quote_checked_identifier(identifier, '`');
    }
    [[nodiscard]] std::string quote_literal(std::string_view value) const override {
        return quote_string_literal(value, BackslashEscapes::Yes);
    }
    // A MySQL "schema" is a database.
    [[nodiscard]] std::string qualified_name(std::string_view schema, std::string_view table) const override {
        if (schema.empty()) return quote_identifier(table);
        return quote_identifier(schema) + "." + quote_identifier(table);
    }

    [[nodiscard]] std::string begin_transaction() const override { return "START TRANSACTION"; }

    [[nodiscard]] std::string create_version_table(std::string_view schema,
                                                   std::string_view table) const override {
        return create_version_table_sql(*this, schema, table);
    }
    [[nodiscard]] std::string version_table_exists(std::string_view schema,
                                                   std::string_view table) const override {
        check_identifier(table, '`');
        std::string schema_expr = "DATABASE()";
        if (!schema.empty()) {
            check_identifier(schema, '`');
            schema_expr = quote_literal(schema);
        }
        return fmt::format(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = {} AND table_name = {}",
            schema_expr, quote_literal(table));
    }
};

}  // namespace

const Dialect& mysql_dialect() {
    static const MysqlDialect instance;
    return instance;
}

}  // namespace migrator::dialect
