#include "migrator/render/operation_listing.hpp"

#include <array>
#include <nlohmann/json.hpp>

#include "migrator/render/json_document.hpp"

#include "migrator/util/strings.hpp"

namespace migrator::render {

namespace {

// In the order of the alternatives of schema::Operation.
constexpr std::array<std::string_view, 15> kKinds{
    "create_table",      "drop_table",       "add_column", "drop_column", "alter_column",
    "alter_primary_key", "create_index",     "drop_index", "add_unique",  "drop_unique",
    "add_foreign_key",   "drop_foreign_key", "add_check",  "drop_check",  "alter_table_comment",
};
static_assert(kKinds.size() == std::variant_size_v<schema::Operation>);

}  // namespace

std::string_view operation_kind(const schema::Operation& operation) {
    return kKinds.at(operation.index());
}

void print_operations_text(std::ostream& out, const std::vector<schema::PlannedOperation>& operations) {
    for (const auto& planned : operations) {
        out << "  " << util::printable(schema::describe(planned.operation)) << '\n';
        for (const auto& note : planned.review_notes) out << "    review: " << util::printable(note) << '\n';
    }
}

void print_operations_json(std::ostream& out, const std::vector<schema::PlannedOperation>& operations) {
    auto list = nlohmann::json::array();
    for (const auto& planned : operations) {
        list.push_back({{"kind", operation_kind(planned.operation)},
                        {"table", schema::table_of(planned.operation)},
                        {"description", schema::describe(planned.operation)},
                        {"review_notes", planned.review_notes}});
    }
    const nlohmann::json document{{"schema_version", json_schema_version},
                                  {"up_to_date", operations.empty()},
                                  {"operations", std::move(list)}};
    // Invalid UTF-8 in a name becomes U+FFFD rather than an exception.
    out << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

}  // namespace migrator::render
