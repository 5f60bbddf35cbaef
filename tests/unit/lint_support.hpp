#pragma once
// Lints a script built from two sections and returns the ids of the rules that fired.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "lint/lint.hpp"

namespace lint_support {

using migrator::dialect::DialectKind;

inline migrator::script::Script make_script(const std::string& upgrade, const std::string& downgrade,
                                            migrator::script::TransactionMode upgrade_transaction =
                                                migrator::script::TransactionMode::Transactional) {
    migrator::script::Script script;
    script.revision = "aaaaaaaaaaaa";
    script.path = "v/0001_aaaaaaaaaaaa_x.sql";
    script.upgrade = {upgrade, 3, upgrade_transaction};
    const auto upgrade_lines = static_cast<std::size_t>(std::count(upgrade.begin(), upgrade.end(), '\n'));
    script.downgrade = {downgrade, 4 + upgrade_lines, migrator::script::TransactionMode::Transactional};
    return script;
}

inline std::vector<migrator::lint::Finding> findings(const migrator::script::Script& script, DialectKind kind,
                                                     const migrator::lint::Settings& settings = {}) {
    auto result = migrator::lint::lint_script(script, kind, settings);
    if (!result) FAIL(result.error().message);
    return std::move(*result);
}

/// Rule ids that fired, in line order; the downgrade defaults to one that reverses nothing but is not empty.
inline std::vector<std::string> rules_fired(
    const std::string& upgrade, DialectKind kind, const std::string& downgrade = "SELECT 1;\n",
    migrator::script::TransactionMode transaction = migrator::script::TransactionMode::Transactional) {
    std::vector<std::string> ids;
    for (const auto& finding : findings(make_script(upgrade, downgrade, transaction), kind)) {
        ids.push_back(finding.rule);
    }
    return ids;
}

inline bool fired(const std::vector<std::string>& ids, const std::string& rule) {
    return std::find(ids.begin(), ids.end(), rule) != ids.end();
}

constexpr DialectKind all_dialects[] = {DialectKind::Sqlite, DialectKind::Postgresql, DialectKind::Mysql};

}  // namespace lint_support
