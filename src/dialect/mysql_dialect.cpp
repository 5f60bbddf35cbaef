#include "dialect/builtin_dialects.hpp"

namespace migrator::dialect {

namespace {

class MysqlDialect final : public QuotingDialect {
public:
    MysqlDialect() : QuotingDialect('`', BackslashEscapes::Yes) {}

    [[nodiscard]] DialectKind kind() const override { return DialectKind::Mysql; }
    [[nodiscard]] std::string_view name() const override { return "mysql"; }
    // DDL commits implicitly; BEGIN/COMMIT still frame the data changes.
    [[nodiscard]] bool transactional_ddl() const override { return false; }
    [[nodiscard]] std::string begin_transaction() const override { return "START TRANSACTION"; }

    [[nodiscard]] CatalogQuery version_table_exists(std::string_view schema,
                                                    std::string_view table) const override {
        if (schema.empty()) {
            return {
                "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND "
                "table_name = ?",
                {checked_name(table)}};
        }
        return {"SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
                {checked_name(schema), checked_name(table)}};
    }
};

}  // namespace

const Dialect& mysql_dialect() {
    static const MysqlDialect instance;
    return instance;
}

}  // namespace migrator::dialect
