#include <nlohmann/json.hpp>

#include <ostream>

#include "render/integrity_report.hpp"
#include "render/json_document.hpp"

namespace migrator::render {

namespace {

nlohmann::json optional_text(const std::optional<std::string>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json to_json(const VerifyEntry& entry) {
    return {
        {"revision", entry.revision},
        {"path", entry.path.empty() ? nlohmann::json(nullptr) : nlohmann::json(entry.path)},
        {"state", entry.state},
        {"recorded_upgrade_checksum", optional_text(entry.recorded_upgrade)},
        {"current_upgrade_checksum", optional_text(entry.current_upgrade)},
        {"recorded_downgrade_checksum", optional_text(entry.recorded_downgrade)},
        {"current_downgrade_checksum", optional_text(entry.current_downgrade)},
    };
}

nlohmann::json to_json(const HistoryEntry& entry) {
    return {
        {"id", entry.id},
        {"revision", entry.revision},
        {"direction", entry.direction},
        {"upgrade_checksum", optional_text(entry.upgrade_checksum)},
        {"downgrade_checksum", optional_text(entry.downgrade_checksum)},
        {"started_at", entry.started_at},
        {"duration_ms", entry.duration_ms ? nlohmann::json(*entry.duration_ms) : nlohmann::json(nullptr)},
        {"outcome", entry.outcome},
        {"error", optional_text(entry.error)},
        {"actor", entry.actor},
        {"migrator_version", entry.migrator_version},
    };
}

template <class Item>
nlohmann::json array_of(const std::vector<Item>& items) {
    auto out = nlohmann::json::array();
    for (const auto& item : items) out.push_back(to_json(item));
    return out;
}

}  // namespace

void print_json(std::ostream& out, const VerifyReport& report) {
    out << nlohmann::json{{"schema_version", json_schema_version},
                          {"drift", report.drift},
                          {"accepted", report.accepted},
                          {"revisions", array_of(report.entries)}}
               .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
        << '\n';
}

void print_json(std::ostream& out, const std::vector<HistoryEntry>& entries) {
    out << nlohmann::json{{"schema_version", json_schema_version}, {"log", array_of(entries)}}.dump(
               2, ' ', false, nlohmann::json::error_handler_t::replace)
        << '\n';
}

void print_json(std::ostream& out, const StatusReport& report) {
    nlohmann::json pending(nullptr);
    if (report.pending) {
        pending = nlohmann::json::array();
        for (const auto& step : *report.pending) {
            pending.push_back({{"revision", step.revision}, {"message", step.message}, {"path", step.path}});
        }
    }
    out << nlohmann::json{{"schema_version", json_schema_version},
                          {"database", report.database},
                          {"current", report.current},
                          {"heads", report.heads},
                          {"pending", std::move(pending)},
                          {"problems", array_of(report.problems)},
                          {"history_recorded", report.history_recorded},
                          {"recent", array_of(report.recent)}}
               .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
        << '\n';
}

}  // namespace migrator::render
