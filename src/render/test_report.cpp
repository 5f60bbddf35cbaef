#include "render/test_report.hpp"

#include <array>
#include <nlohmann/json.hpp>

#include "render/json_document.hpp"
#include "render/operation_listing.hpp"
#include "util/strings.hpp"

namespace migrator::render {

namespace {

// In the order of TestCheck.
constexpr std::array<std::string_view, 7> check_names{
    "heads", "scripts", "upgrade", "downgrade", "schema_restored", "reupgrade", "end_to_end",
};

nlohmann::json optional_text(const std::string& text) {
    return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

}  // namespace

std::string_view check_name(TestCheck check) {
    return check_names.at(static_cast<std::size_t>(check));
}

void print_text(std::ostream& out, const TestReport& report) {
    if (report.passed()) {
        out << "OK: " << report.revisions << " revision(s) tested on " << util::printable(report.scratch)
            << ": each downgrade restores the schema, and the range downgrades and upgrades again end to "
               "end\n";
        return;
    }
    const auto& failure = *report.failure;
    out << "FAILED: " << util::printable(failure.message) << '\n';
    if (!failure.differences.empty()) {
        out << (failure.check == TestCheck::SchemaRestored
                    ? "To restore the schema, the downgrade would also need to:\n"
                    : "What would turn it into the expected schema:\n");
        print_operations_text(out, failure.differences);
    }
    out << report.round_trips << " of " << report.revisions << " revision(s) passed before the failure, on "
        << util::printable(report.scratch) << '\n';
}

void print_json(std::ostream& out, const TestReport& report) {
    nlohmann::json failure = nullptr;
    if (report.failure) {
        const auto& found = *report.failure;
        auto differences = nlohmann::json::array();
        for (const auto& planned : found.differences) {
            differences.push_back({{"kind", operation_kind(planned.operation)},
                                   {"table", schema::table_of(planned.operation)},
                                   {"description", schema::describe(planned.operation)},
                                   {"review_notes", planned.review_notes}});
        }
        failure = {{"check", check_name(found.check)},
                   {"revision", optional_text(found.revision)},
                   {"path", optional_text(found.path)},
                   {"message", found.message},
                   {"differences", std::move(differences)}};
    }
    const nlohmann::json document{{"schema_version", json_schema_version},
                                  {"command", "test"},
                                  {"passed", report.passed()},
                                  {"scratch", report.scratch},
                                  {"heads", report.heads},
                                  {"revisions", report.revisions},
                                  {"round_trips", report.round_trips},
                                  {"end_to_end", report.end_to_end},
                                  {"duration_ms", report.duration_ms},
                                  {"failure", std::move(failure)}};
    out << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

}  // namespace migrator::render
