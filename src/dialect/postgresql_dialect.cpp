#include <fmt/format.h>

#include "migrator/dialect/builtin_dialects.hpp"

namespace migrator::dialect {

namespace {

class PostgresqlDialect final : public QuotingDialect {
public:
    // standard_conforming_strings is on by default since 9.1, so backslashes are plain characters.
    PostgresqlDialect() : QuotingDialect('"', BackslashEscapes::No) {}

    [[nodiscard]] DialectKind kind() const override { return DialectKind::Postgresql; }
    [[nodiscard]] std::string_view name() const override { return "postgresql"; }
    [[nodiscard]] bool transactional_ddl() const override { return true; }

    [[nodiscard]] std::string version_table_exists(std::string_view schema,
                                                   std::string_view table) const override {
        const std::string schema_expr = schema.empty() ? "current_schema()" : checked_literal(schema);
        return fmt::format(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = {} AND table_name = {}",
            schema_expr, checked_literal(table));
    }
};

}  // namespace

const Dialect& postgresql_dialect() {
    static const PostgresqlDialect instance;
    return instance;
}

}  // namespace migrator::dialect
