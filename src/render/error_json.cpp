#include <nlohmann/json.hpp>

#include <regex>

#include "migrator/render/json_document.hpp"

namespace migrator::render {

namespace {

nlohmann::json optional_value(const auto& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

// The messages already name where a failure is ("versions/0002_x.sql:7: ...", "migration 0002_x.sql
// (3f2a9c1b7d4e) failed at line 7", "No such revision or branch 'x'"); reading them back keeps one
// error type for every layer.
ErrorReport describe_error(std::string message, int code, std::string kind) {
    ErrorReport report;
    report.code = code;
    report.kind = std::move(kind);
    std::smatch match;
    static const std::regex file_line(R"(^([^\s:]+\.(?:sql|ya?ml|json)):(\d+):)");
    static const std::regex migration(R"(migration (\S+) \(([^)\s]+)\)(?: failed at line (\d+))?)");
    static const std::regex named_revision(R"((?:revision(?: or branch)?|Revision) '([^']+)')");
    static const std::regex bare_revision(R"(\(revision ([0-9A-Za-z_]+)\))");
    if (std::regex_search(message, match, file_line)) {
        report.file = match[1].str();
        report.line = std::stoll(match[2].str());
    }
    if (std::regex_search(message, match, migration)) {
        if (!report.file) report.file = match[1].str();
        report.revision = match[2].str();
        if (match[3].matched && !report.line) report.line = std::stoll(match[3].str());
    } else if (std::regex_search(message, match, named_revision) ||
               std::regex_search(message, match, bare_revision)) {
        report.revision = match[1].str();
    }
    report.message = std::move(message);
    return report;
}

void print_json(std::ostream& out, const ErrorReport& error) {
    const nlohmann::json body{
        {"code", error.code},
        {"kind", error.kind},
        {"message", error.message},
        {"file", optional_value(error.file)},
        {"line", optional_value(error.line)},
        {"revision", optional_value(error.revision)},
    };
    out << nlohmann::json{{"schema_version", json_schema_version}, {"error", body}}.dump(
               2, ' ', false, nlohmann::json::error_handler_t::replace)
        << '\n';
}

}  // namespace migrator::render
