#include <fmt/format.h>

#include "dialect/builtin_dialects.hpp"

namespace migrator::dialect {

namespace {

class SqliteDialect final : public QuotingDialect {
public:
    SqliteDialect() : QuotingDialect('"', BackslashEscapes::No) {}

    [[nodiscard]] DialectKind kind() const override { return DialectKind::Sqlite; }
    [[nodiscard]] std::string_view name() const override { return "sqlite"; }
    [[nodiscard]] bool transactional_ddl() const override { return true; }
    [[nodiscard]] std::string begin_write_transaction() const override { return "BEGIN IMMEDIATE"; }

    [[nodiscard]] CatalogQuery version_table_exists(std::string_view schema,
                                                    std::string_view table) const override {
        // The schema of an attached database is an identifier, which SQLite cannot take as a parameter.
        const std::string master =
            schema.empty() ? "sqlite_master" : quote_identifier(schema) + ".sqlite_master";
        return {fmt::format("SELECT name FROM {} WHERE type = 'table' AND name = ?", master),
                {checked_name(table)}};
    }
};

}  // namespace

const Dialect& sqlite_dialect() {
    static const SqliteDialect instance;
    return instance;
}

}  // namespace migrator::dialect
