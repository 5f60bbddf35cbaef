// Rules that lose data or break running code, on every database. A table the same upgrade created is
// new: dropping or renaming it hurts nobody.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "rule_families.hpp"

namespace migrator::lint {

namespace {

bool listed(const std::vector<std::string>& names, const std::string& name) {
    return std::any_of(names.begin(), names.end(), [&](const std::string& candidate) {
        return candidate.size() == name.size() &&
               std::equal(candidate.begin(), candidate.end(), name.begin(), [](char a, char b) {
                   return std::tolower(static_cast<unsigned char>(a)) ==
                          std::tolower(static_cast<unsigned char>(b));
               });
    });
}

}  // namespace

void destructive_rules(const LintedSection& upgrade, const LintedSection& downgrade, std::vector<Hit>& hits) {
    for (std::size_t index = 0; index < upgrade.statements.size(); ++index) {
        const auto& facts = upgrade.statements[index].facts;
        const auto created = created_before(upgrade, index);
        auto hit = [&](std::string_view rule, std::string message) {
            hits.push_back({rule, SectionKind::Upgrade, index, std::move(message)});
        };
        for (const auto& table : facts.dropped_tables) {
            if (names_table(created, table)) continue;
            // A rebuild (SQLite's way to drop or change a column) replaces the table: what it loses are the
            // columns the new definition leaves out, known when the downgrade rebuilds the old one.
            if (const auto* now = new_definition(upgrade, table, index + 1)) {
                if (const auto* before = new_definition(downgrade, table, 0)) {
                    for (const auto& column : *before) {
                        if (!listed(*now, column)) {
                            hit("drop-column",
                                fmt::format("drops column {}.{} (the table is rebuilt without it)", table,
                                            column));
                        }
                    }
                }
                continue;
            }
            hit("drop-table", fmt::format("drops table {}", table));
        }
        for (const auto& column : facts.dropped_columns) {
            if (!names_table(created, column.table)) {
                hit("drop-column", fmt::format("drops column {}.{}", column.table, column.column));
            }
        }
        for (const auto& table : facts.truncated_tables) {
            if (!names_table(created, table)) hit("truncate", fmt::format("truncates table {}", table));
        }
        if (!facts.delete_without_where.empty() && !names_table(created, facts.delete_without_where)) {
            hit("delete-without-where", fmt::format("deletes every row of {}", facts.delete_without_where));
        }
        if (!facts.update_without_where.empty() && !names_table(created, facts.update_without_where)) {
            hit("update-without-where", fmt::format("updates every row of {}", facts.update_without_where));
        }
        if (!facts.dropped_schema.empty())
            hit("drop-schema", fmt::format("drops schema {}", facts.dropped_schema));
        if (!facts.dropped_database.empty()) {
            hit("drop-database", fmt::format("drops database {}", facts.dropped_database));
        }
        for (const auto& rename : facts.renames) {
            if (names_table(created, rename.table)) continue;
            if (rename.column.empty()) {
                hit("rename-table", fmt::format("renames table {} to {}", rename.table, rename.new_name));
            } else {
                hit("rename-column",
                    fmt::format("renames column {}.{} to {}", rename.table, rename.column, rename.new_name));
            }
        }
    }
}

}  // namespace migrator::lint
