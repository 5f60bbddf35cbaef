// MySQL/MariaDB rules, read from tokens (no parser library exists for this dialect in Debian).

#include <fmt/format.h>

#include "rule_families.hpp"

namespace migrator::lint {

void mysql_rules(const LintedSection& section, std::vector<Hit>& hits) {
    std::optional<std::size_t> first_ddl;
    std::optional<std::size_t> first_dml;
    for (std::size_t index = 0; index < section.statements.size(); ++index) {
        const auto& facts = section.statements[index].facts;
        if (facts.backslash_escape) {
            hits.push_back(
                {"mysql-backslash-escape", section.kind, index, "a string literal uses a backslash escape"});
        }
        if (facts.kind == StatementClass::Ddl && !first_ddl) first_ddl = index;
        if (facts.kind == StatementClass::Dml && !first_dml) first_dml = index;
    }
    if (section.kind == SectionKind::Upgrade && first_ddl && first_dml) {
        // Reported on whichever comes second: that is where a failure leaves the first one committed.
        const auto at = std::max(*first_ddl, *first_dml);
        hits.push_back({"mysql-mixed-ddl-dml", section.kind, at,
                        "the upgrade mixes schema changes (DDL) and data changes (DML)"});
    }
}

}  // namespace migrator::lint
