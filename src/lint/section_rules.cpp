// Rules about whole sections, on every database.

#include <fmt/format.h>

#include <algorithm>

#include "rule_families.hpp"

namespace migrator::lint {

namespace {

std::string lowered(std::string_view text) {
    std::string out(text);
    for (auto& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

bool same_name(std::string_view a, std::string_view b) {
    return lowered(unqualified(a)) == lowered(unqualified(b));
}

// What the downgrade removes: dropped tables, dropped columns, and tables renamed over (a SQLite rebuild
// drops a column by copying the table and renaming the copy to the old name).
struct Removed {
    std::vector<std::string> tables;
    std::vector<ColumnRef> columns;
};

Removed removed_by(const LintedSection& downgrade) {
    Removed removed;
    for (const auto& statement : downgrade.statements) {
        const auto& facts = statement.facts;
        removed.tables.insert(removed.tables.end(), facts.dropped_tables.begin(), facts.dropped_tables.end());
        removed.columns.insert(removed.columns.end(), facts.dropped_columns.begin(),
                               facts.dropped_columns.end());
        for (const auto& rename : facts.renames) {
            if (rename.column.empty()) removed.tables.push_back(rename.new_name);
        }
    }
    return removed;
}

}  // namespace

bool names_table(const std::vector<std::string>& tables, std::string_view table) {
    return std::any_of(tables.begin(), tables.end(),
                       [&](const std::string& name) { return same_name(name, table); });
}

std::vector<std::string> created_before(const LintedSection& section, std::size_t index) {
    std::vector<std::string> created;
    for (std::size_t k = 0; k < index && k < section.statements.size(); ++k) {
        const auto& tables = section.statements[k].facts.created_tables;
        created.insert(created.end(), tables.begin(), tables.end());
    }
    return created;
}

const std::vector<std::string>* new_definition(const LintedSection& section, std::string_view table,
                                               std::size_t from) {
    for (std::size_t k = from; k < section.statements.size(); ++k) {
        const auto& facts = section.statements[k].facts;
        if (!facts.created_tables.empty() && same_name(facts.created_tables.front(), table)) {
            return &facts.created_columns;
        }
        for (const auto& rename : facts.renames) {
            if (!rename.column.empty() || !same_name(rename.new_name, table)) continue;
            for (std::size_t c = 0; c < k; ++c) {
                const auto& creator = section.statements[c].facts;
                if (!creator.created_tables.empty() &&
                    same_name(creator.created_tables.front(), rename.table)) {
                    return &creator.created_columns;
                }
            }
        }
    }
    return nullptr;
}

void section_rules(const script::Script& script, const LintedSection& upgrade, const LintedSection& downgrade,
                   std::vector<Hit>& hits) {
    // A merge point's upgrade is empty by design.
    if (upgrade.statements.empty()) {
        if (script.down_revisions.size() < 2) {
            hits.push_back(
                {"empty-upgrade", SectionKind::Upgrade, std::nullopt, "the upgrade section has no SQL"});
        }
        return;
    }
    if (downgrade.statements.empty()) {
        hits.push_back({"missing-downgrade", SectionKind::Downgrade, std::nullopt,
                        "the upgrade has SQL but the downgrade section is empty"});
        return;
    }
    const auto removed = removed_by(downgrade);
    // A scratch table the upgrade drops again, or renames over an old table (a rebuild), needs no undoing.
    std::vector<std::string> dropped_in_upgrade;
    for (const auto& statement : upgrade.statements) {
        const auto& tables = statement.facts.dropped_tables;
        dropped_in_upgrade.insert(dropped_in_upgrade.end(), tables.begin(), tables.end());
        for (const auto& rename : statement.facts.renames) {
            if (rename.column.empty()) dropped_in_upgrade.push_back(rename.table);
        }
    }
    for (std::size_t index = 0; index < upgrade.statements.size(); ++index) {
        const auto& facts = upgrade.statements[index].facts;
        const auto created = created_before(upgrade, index);
        for (const auto& table : facts.created_tables) {
            if (!names_table(removed.tables, table) && !names_table(dropped_in_upgrade, table)) {
                hits.push_back(
                    {"downgrade-not-reversed", SectionKind::Upgrade, index,
                     fmt::format("the upgrade creates table {}; the downgrade does not drop it", table)});
            }
        }
        for (const auto& column : facts.added_columns) {
            if (names_table(created, column.table) || names_table(removed.tables, column.table)) continue;
            const bool dropped =
                std::any_of(removed.columns.begin(), removed.columns.end(), [&](const ColumnRef& ref) {
                    return same_name(ref.table, column.table) &&
                           lowered(ref.column) == lowered(column.column);
                });
            if (!dropped) {
                hits.push_back({"downgrade-not-reversed", SectionKind::Upgrade, index,
                                fmt::format("the upgrade adds column {}.{}; the downgrade does not drop it",
                                            column.table, column.column)});
            }
        }
    }
}

}  // namespace migrator::lint
