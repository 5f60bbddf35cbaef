// PostgreSQL rules: statements that take long locks or rewrite a table that already holds rows. A table
// the same section created is empty, so only CONCURRENTLY inside a transaction matters for it.

#include <fmt/format.h>

#include "rule_families.hpp"

namespace migrator::lint {

void postgresql_rules(const LintedSection& section, std::vector<Hit>& hits) {
    const bool in_transaction = section.section->transaction == script::TransactionMode::Transactional;
    for (std::size_t index = 0; index < section.statements.size(); ++index) {
        const auto& facts = section.statements[index].facts;
        auto hit = [&](std::string_view rule, std::string message) {
            hits.push_back({rule, section.kind, index, std::move(message)});
        };
        if (!facts.indexed_table.empty() && facts.index_concurrently && in_transaction) {
            hit("pg-concurrent-index-in-transaction",
                fmt::format("CREATE INDEX CONCURRENTLY on {} in a section that runs in a transaction",
                            facts.indexed_table));
        }
        if (section.kind != SectionKind::Upgrade) continue;
        const auto created = created_before(section, index);
        if (!facts.indexed_table.empty() && !facts.index_concurrently &&
            !names_table(created, facts.indexed_table)) {
            hit("pg-index-not-concurrent",
                fmt::format("CREATE INDEX on existing table {} without CONCURRENTLY", facts.indexed_table));
        }
        // `before` and `after` go around the column's name.
        auto each = [&](const std::vector<ColumnRef>& columns, std::string_view rule, std::string_view before,
                        std::string_view after) {
            for (const auto& column : columns) {
                if (!names_table(created, column.table)) {
                    hit(rule, fmt::format("{}{}.{}{}", before, column.table, column.column, after));
                }
            }
        };
        each(facts.not_null_without_default, "pg-add-column-not-null", "adds NOT NULL column ",
             " without a default");
        each(facts.volatile_defaults, "pg-volatile-default", "adds column ", " with a volatile default");
        each(facts.type_changes, "pg-alter-column-type", "changes the type of ", "");
        each(facts.set_not_null, "pg-set-not-null", "sets NOT NULL on ", "");
        for (const auto& constraint : facts.validated_constraints) {
            hit("pg-constraint-not-valid", fmt::format("adds {} without NOT VALID", constraint));
        }
    }
}

}  // namespace migrator::lint
