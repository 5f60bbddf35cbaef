#pragma once
// `migrator lint`: rules that flag risky SQL in migration scripts before it reaches production.

#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "dialect/dialect.hpp"
#include "script/script.hpp"
#include "util/expected.hpp"

namespace migrator::lint {

/// How much a finding matters; `Off` switches a rule off (migrator.yaml's `lint:`).
enum class Severity { Off, Warning, Error };

/// "off", "warning" or "error".
std::string_view severity_name(Severity severity);

/// Which databases a rule applies to.
enum class RuleScope { Any, Postgresql, Mysql };

/// One rule: its id, default severity and the advice every finding of it carries.
struct RuleInfo {
    std::string_view id;
    Severity severity;
    RuleScope scope;
    std::string_view summary;  // what it flags
    std::string_view why;      // why it is risky
    std::string_view fix;      // the safer way
};

/// Every rule, in the order docs/lint.md lists them.
std::span<const RuleInfo> rules();

/// The rule with this id, or null.
const RuleInfo* find_rule(std::string_view id);

/// One finding in one script.
struct Finding {
    std::string rule;
    Severity severity = Severity::Warning;
    std::string revision;
    std::string path;
    std::size_t line = 0;   // 1-based line in the file
    std::string statement;  // the statement as written; empty for a finding about a whole section
    std::string message;    // what was found, naming the table or column
    std::string why;
    std::string fix;
};

/// The severities in force: the defaults with migrator.yaml's `lint:` on top.
class Settings {
public:
    /// Every rule at its default severity.
    Settings() = default;
    /// The config's `lint:` levels; an unknown rule id is a failure naming the setting.
    static Expected<Settings> from_config(const std::vector<config::LintLevel>& levels);
    /// The severity of a rule.
    [[nodiscard]] Severity severity(const RuleInfo& rule) const;
    /// Overrides one rule's severity.
    void set(std::string_view rule, Severity severity);

private:
    std::map<std::string, Severity, std::less<>> overrides_;
};

/// Lints one script whose SQL bodies are in memory. The failures are the script's own mistakes: an SQL
/// section that does not split, or a `lint:ignore` without a known rule or a reason.
Expected<std::vector<Finding>> lint_script(const script::Script& script, dialect::DialectKind kind,
                                           const Settings& settings);

}  // namespace migrator::lint
