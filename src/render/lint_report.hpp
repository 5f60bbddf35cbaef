#pragma once
// What `lint` reports: text for people, JSON for tools, GitHub workflow annotations for pull requests.

#include <cstddef>
#include <iosfwd>
#include <vector>

#include "lint/lint.hpp"

namespace migrator::render {

/// `lint`'s answer.
struct LintReport {
    std::vector<lint::Finding> findings;
    std::size_t scripts = 0;  // how many scripts were checked
};

/// Each finding as `path:line: severity [rule] message`, the statement, why and the safer way; a summary.
void print_text(std::ostream& out, const LintReport& report);

/// Each finding as lines for a script just written (`revision --autogenerate`), without the summary.
void print_findings_text(std::ostream& out, const std::vector<lint::Finding>& findings);

/// `{"schema_version": 1, "findings": [...], "errors": N, "warnings": N, "scripts": N}`.
void print_json(std::ostream& out, const LintReport& report);

/// One `::error file=…,line=…,title=…::…` (or `::warning`) workflow command per finding.
void print_github(std::ostream& out, const LintReport& report);

}  // namespace migrator::render
