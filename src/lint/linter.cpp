// Runs the rule families over one script: splits its sections as a migration would, reads each
// statement's facts, applies `-- lint:ignore` comments and the configured severities.

#include <fmt/format.h>

#include <algorithm>

#include "lint/lint.hpp"
#include "rule_families.hpp"
#include "script/statement_splitter.hpp"
#include "util/strings.hpp"

namespace migrator::lint {

namespace {

std::vector<std::string_view> rule_ids() {
    std::vector<std::string_view> ids;
    ids.reserve(rules().size());
    for (const auto& rule : rules()) ids.push_back(rule.id);
    return ids;
}

// One `-- lint:ignore RULE reason` comment.
struct Ignore {
    std::string rule;
    std::size_t line = 0;
};

// The ignores written in a section; a missing reason or an unknown rule is the script's mistake.
Expected<std::vector<Ignore>> read_ignores(const script::Script& script, const script::Section& section) {
    std::vector<Ignore> ignores;
    std::size_t line = section.line + 1;
    std::string_view rest = section.sql;
    while (!rest.empty()) {
        const auto end = rest.find('\n');
        const auto text = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        const auto at = text.find("lint:ignore");
        const auto dashes = text.rfind("--", at);
        if (at != std::string_view::npos && dashes != std::string_view::npos &&
            util::trim(text.substr(dashes + 2, at - dashes - 2)).empty()) {
            const auto words = util::trim(text.substr(at + 11));
            const auto space = words.find_first_of(" \t");
            const auto rule = words.substr(0, space);
            const auto reason =
                space == std::string_view::npos ? std::string_view() : util::trim(words.substr(space));
            if (rule.empty()) {
                return fail(
                    fmt::format("{}:{}: lint:ignore needs a rule id and a reason: -- lint:ignore RULE reason",
                                script.path, line));
            }
            if (find_rule(rule) == nullptr) {
                return fail(fmt::format("{}:{}: lint:ignore names an unknown rule '{}'{}", script.path, line,
                                        rule, util::did_you_mean(rule, rule_ids())));
            }
            if (reason.empty()) {
                return fail(fmt::format("{}:{}: lint:ignore {} needs a reason after the rule id", script.path,
                                        line, rule));
            }
            ignores.push_back({std::string(rule), line});
        }
        ++line;
    }
    return ignores;
}

std::size_t last_line(const script::Statement& statement) {
    return statement.line +
           static_cast<std::size_t>(std::count(statement.sql.begin(), statement.sql.end(), '\n'));
}

// An ignore belongs to the statement whose lines hold it, or else to the next statement below it.
bool ignored(const std::vector<Ignore>& ignores, const LintedSection& section, const Hit& hit) {
    std::size_t after = 0;
    std::size_t through = static_cast<std::size_t>(-1);
    if (hit.statement) {
        const auto index = *hit.statement;
        after = index == 0 ? 0 : last_line(*section.statements[index - 1].statement);
        through = last_line(*section.statements[index].statement);
    }
    return std::any_of(ignores.begin(), ignores.end(), [&](const Ignore& ignore) {
        return ignore.rule == hit.rule && ignore.line > after && ignore.line <= through;
    });
}

Expected<LintedSection> lint_section(const script::Script& script, const script::Section& section,
                                     SectionKind kind, dialect::DialectKind dialect,
                                     std::vector<script::Statement>& storage) {
    auto statements =
        script::split_statements(section.sql, dialect, script::SqlSource{script.path, section.line + 1});
    if (!statements) return statements.error();
    storage = std::move(*statements);
    LintedSection linted{kind, &section, {}};
    linted.statements.reserve(storage.size());
    for (const auto& statement : storage) {
        linted.statements.push_back({&statement, dialect == dialect::DialectKind::Postgresql
                                                     ? postgresql_facts(statement.sql)
                                                     : token_facts(statement.sql, dialect)});
    }
    return linted;
}

}  // namespace

Expected<Settings> Settings::from_config(const std::vector<config::LintLevel>& levels) {
    Settings settings;
    for (const auto& level : levels) {
        if (find_rule(level.rule) == nullptr) {
            return fail(fmt::format("{} is not a lint rule{}", level.where,
                                    util::did_you_mean(level.rule, rule_ids())));
        }
        settings.set(level.rule, level.level == "off"     ? Severity::Off
                                 : level.level == "error" ? Severity::Error
                                                          : Severity::Warning);
    }
    return settings;
}

Severity Settings::severity(const RuleInfo& rule) const {
    const auto found = overrides_.find(rule.id);
    return found == overrides_.end() ? rule.severity : found->second;
}

void Settings::set(std::string_view rule, Severity severity) {
    overrides_.insert_or_assign(std::string(rule), severity);
}

Expected<std::vector<Finding>> lint_script(const script::Script& script, dialect::DialectKind kind,
                                           const Settings& settings) {
    std::vector<script::Statement> upgrade_statements;
    std::vector<script::Statement> downgrade_statements;
    auto upgrade = lint_section(script, script.upgrade, SectionKind::Upgrade, kind, upgrade_statements);
    if (!upgrade) return upgrade.error();
    auto downgrade =
        lint_section(script, script.downgrade, SectionKind::Downgrade, kind, downgrade_statements);
    if (!downgrade) return downgrade.error();
    auto upgrade_ignores = read_ignores(script, script.upgrade);
    if (!upgrade_ignores) return upgrade_ignores.error();
    auto downgrade_ignores = read_ignores(script, script.downgrade);
    if (!downgrade_ignores) return downgrade_ignores.error();

    std::vector<Hit> hits;
    section_rules(script, *upgrade, *downgrade, hits);
    destructive_rules(*upgrade, *downgrade, hits);
    for (const auto* section : {&*upgrade, &*downgrade}) {
        if (kind == dialect::DialectKind::Postgresql) postgresql_rules(*section, hits);
        if (kind == dialect::DialectKind::Mysql) mysql_rules(*section, hits);
    }

    std::vector<Finding> findings;
    for (const auto& hit : hits) {
        const auto* rule = find_rule(hit.rule);
        const auto severity = settings.severity(*rule);
        const bool in_upgrade = hit.section == SectionKind::Upgrade;
        const auto& section = in_upgrade ? *upgrade : *downgrade;
        if (severity == Severity::Off ||
            ignored(in_upgrade ? *upgrade_ignores : *downgrade_ignores, section, hit)) {
            continue;
        }
        Finding finding{std::string(rule->id), severity, script.revision, script.path,
                        section.section->line, "",       hit.message,     std::string(rule->why),
                        std::string(rule->fix)};
        if (hit.statement) {
            const auto& statement = *section.statements[*hit.statement].statement;
            finding.line = statement.line;
            finding.statement = statement.sql;
        }
        findings.push_back(std::move(finding));
    }
    std::stable_sort(findings.begin(), findings.end(),
                     [](const Finding& a, const Finding& b) { return a.line < b.line; });
    return findings;
}

}  // namespace migrator::lint
