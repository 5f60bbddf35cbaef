#include <nlohmann/json.hpp>

#include "migrator/render/json_document.hpp"
#include "migrator/render/revision_listing.hpp"

namespace migrator::render {

namespace {

nlohmann::json to_json(const RevisionEntry& entry) {
    return {
        {"revision", entry.revision},
        {"down_revisions", entry.down_revisions},
        {"depends_on", entry.depends_on},
        {"branch_labels", entry.branch_labels},
        {"next_revisions", entry.next_revisions},
        {"message", entry.message},
        {"create_date", entry.create_date},
        {"path", entry.path},
        {"is_head", entry.is_head},
        {"is_real_head", entry.is_real_head},
        {"is_base", entry.is_base},
        {"is_branch_point", entry.is_branch_point},
        {"is_merge_point", entry.is_merge_point},
        {"is_current", entry.is_current},
        {"is_effective_head", entry.is_effective_head},
    };
}

}  // namespace

void print_json(std::ostream& out, const RevisionListing& listing) {
    auto entries = nlohmann::json::array();
    for (const auto& entry : listing.entries) entries.push_back(to_json(entry));
    // Invalid UTF-8 in a message or path becomes U+FFFD rather than an exception.
    out << nlohmann::json{{"schema_version", json_schema_version}, {listing.name, std::move(entries)}}.dump(
               2, ' ', false, nlohmann::json::error_handler_t::replace)
        << '\n';
}

}  // namespace migrator::render
