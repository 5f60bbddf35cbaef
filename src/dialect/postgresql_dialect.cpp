#include "dialect/builtin_dialects.hpp"

namespace migrator::dialect {

namespace {

class PostgresqlDialect final : public QuotingDialect {
public:
    // standard_conforming_strings is on by default since 9.1, so backslashes are plain characters.
    PostgresqlDialect() : QuotingDialect('"', BackslashEscapes::No) {}

    [[nodiscard]] DialectKind kind() const override { return DialectKind::Postgresql; }
    [[nodiscard]] std::string_view name() const override { return "postgresql"; }
    [[nodiscard]] bool transactional_ddl() const override { return true; }

    [[nodiscard]] CatalogQuery version_table_exists(std::string_view schema,
                                                    std::string_view table) const override {
        if (schema.empty()) {
            return {
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND "
                "table_name = ?",
                {checked_name(table)}};
        }
        return {"SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
                {checked_name(schema), checked_name(table)}};
    }
};

}  // namespace

const Dialect& postgresql_dialect() {
    static const PostgresqlDialect instance;
    return instance;
}

}  // namespace migrator::dialect
