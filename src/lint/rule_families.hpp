#pragma once
// What the rule families (one .cpp each) see and produce; linter.cpp turns hits into findings.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "script/script.hpp"
#include "statement_facts.hpp"

namespace migrator::lint {

/// A statement with its facts.
struct LintedStatement {
    const script::Statement* statement = nullptr;
    StatementFacts facts;
};

/// Which section a hit is about.
enum class SectionKind { Upgrade, Downgrade };

/// One section's statements.
struct LintedSection {
    SectionKind kind = SectionKind::Upgrade;
    const script::Section* section = nullptr;
    std::vector<LintedStatement> statements;
};

/// A rule that fired: on a statement, or (statement empty) on a whole section.
struct Hit {
    std::string_view rule;
    SectionKind section = SectionKind::Upgrade;
    std::optional<std::size_t> statement;  // index into the section's statements
    std::string message;
};

/// Whether a table (compared by its unqualified name, case-insensitively) is in the list.
bool names_table(const std::vector<std::string>& tables, std::string_view table);

/// Tables the statements before `index` create.
std::vector<std::string> created_before(const LintedSection& section, std::size_t index);

/// A SQLite-style table rebuild: a table created in the section and renamed to `table` by statement
/// `from` or a later one, or `table` created outright there. Its listed columns; null when there is none.
const std::vector<std::string>* new_definition(const LintedSection& section, std::string_view table,
                                               std::size_t from);

/// DROP TABLE/COLUMN/SCHEMA/DATABASE, TRUNCATE, DELETE/UPDATE without WHERE, renames (upgrade only; the
/// downgrade tells what a table rebuild drops).
void destructive_rules(const LintedSection& upgrade, const LintedSection& downgrade, std::vector<Hit>& hits);

/// PostgreSQL locking and rewrites.
void postgresql_rules(const LintedSection& section, std::vector<Hit>& hits);

/// MySQL/MariaDB implicit commits and backslash escapes.
void mysql_rules(const LintedSection& section, std::vector<Hit>& hits);

/// Empty upgrade, missing downgrade, a downgrade that does not reverse the upgrade.
void section_rules(const script::Script& script, const LintedSection& upgrade, const LintedSection& downgrade,
                   std::vector<Hit>& hits);

}  // namespace migrator::lint
