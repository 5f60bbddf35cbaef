#include "render/lint_report.hpp"

#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <ostream>
#include <string>

#include "render/json_document.hpp"
#include "util/strings.hpp"

namespace migrator::render {

namespace {

std::size_t count(const LintReport& report, lint::Severity severity) {
    return static_cast<std::size_t>(
        std::count_if(report.findings.begin(), report.findings.end(),
                      [&](const lint::Finding& f) { return f.severity == severity; }));
}

std::string indented(const std::string& text) {
    std::string out = "    ";
    for (const char c : text) {
        out += c;
        if (c == '\n') out += "    ";
    }
    return out;
}

// GitHub workflow commands: the message escapes %, CR and LF; a property also ':' and ','.
std::string escape_data(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '%') {
            out += "%25";
        } else if (c == '\r') {
            out += "%0D";
        } else if (c == '\n') {
            out += "%0A";
        } else {
            out += c;
        }
    }
    return out;
}

std::string escape_property(std::string_view text) {
    std::string out;
    for (const char c : escape_data(text)) {
        if (c == ':') {
            out += "%3A";
        } else if (c == ',') {
            out += "%2C";
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

void print_findings_text(std::ostream& out, const std::vector<lint::Finding>& findings) {
    for (const auto& finding : findings) {
        fmt::print(out, "{}:{}: {} [{}] {}\n", finding.path, finding.line,
                   lint::severity_name(finding.severity), finding.rule, util::printable(finding.message));
        if (!finding.statement.empty())
            fmt::print(out, "{}\n", indented(util::printable(finding.statement, util::LineBreaks::Keep)));
        fmt::print(out, "  why: {}\n  instead: {}\n", finding.why, finding.fix);
    }
}

void print_text(std::ostream& out, const LintReport& report) {
    print_findings_text(out, report.findings);
    const auto errors = count(report, lint::Severity::Error);
    const auto warnings = count(report, lint::Severity::Warning);
    if (report.findings.empty()) {
        fmt::print(out, "No findings in {} script{}.\n", report.scripts, report.scripts == 1 ? "" : "s");
        return;
    }
    fmt::print(out, "{} error{}, {} warning{} in {} script{}.\n", errors, errors == 1 ? "" : "s", warnings,
               warnings == 1 ? "" : "s", report.scripts, report.scripts == 1 ? "" : "s");
}

void print_json(std::ostream& out, const LintReport& report) {
    auto findings = nlohmann::json::array();
    for (const auto& finding : report.findings) {
        findings.push_back({{"rule", finding.rule},
                            {"severity", std::string(lint::severity_name(finding.severity))},
                            {"revision", finding.revision},
                            {"path", finding.path},
                            {"line", finding.line},
                            {"statement", finding.statement.empty() ? nlohmann::json(nullptr)
                                                                    : nlohmann::json(finding.statement)},
                            {"message", finding.message},
                            {"why", finding.why},
                            {"fix", finding.fix}});
    }
    out << nlohmann::json{{"schema_version", json_schema_version},
                          {"findings", std::move(findings)},
                          {"errors", count(report, lint::Severity::Error)},
                          {"warnings", count(report, lint::Severity::Warning)},
                          {"scripts", report.scripts}}
               .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
        << '\n';
}

void print_github(std::ostream& out, const LintReport& report) {
    for (const auto& finding : report.findings) {
        const auto message =
            fmt::format("{}\nWhy: {}\nInstead: {}", finding.message, finding.why, finding.fix);
        fmt::print(out, "::{} file={},line={},title={}::{}\n",
                   finding.severity == lint::Severity::Error ? "error" : "warning",
                   escape_property(finding.path), finding.line,
                   escape_property("migrator lint " + finding.rule), escape_data(message));
    }
}

}  // namespace migrator::render
