#include <fmt/format.h>

#include "migrator/dialect/builtin_dialects.hpp"

namespace migrator::dialect {

namespace {

class SqliteDialect final : public QuotingDialect {
public:
    SqliteDialect() : QuotingDialect('"', BackslashEscapes::No) {}

    [[nodiscard]] DialectKind kind() const override { return DialectKind::Sqlite; }
    [[nodiscard]] std::string_view name() const override { return "sqlite"; }
    [[nodiscard]] bool transactional_ddl() const override { return true; }

    [[nodiscard]] std::string version_table_exists(std::string_view schema,
                                                   std::string_view table) const override {
        const std::string master =
            schema.empty() ? "sqlite_master" : quote_identifier(schema) + ".sqlite_master";
        return fmt::format("SELECT name FROM {} WHERE type = 'table' AND name = {}", master,
                           checked_literal(table));
    }
};

}  // namespace

const Dialect& sqlite_dialect() {
    static const SqliteDialect instance;
    return instance;
}

}  // namespace migrator::dialect
