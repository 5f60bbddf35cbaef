#include "render/operation_listing.hpp"

#include <array>
#include <nlohmann/json.hpp>

#include "render/json_document.hpp"

#include "util/strings.hpp"

namespace migrator::render {

namespace {

// In the order of the alternatives of schema::Operation.
constexpr std::array<std::string_view, 29> kinds{
    "create_table",        "drop_table",
    "add_column",          "drop_column",
    "alter_column",        "alter_primary_key",
    "create_index",        "drop_index",
    "add_unique",          "drop_unique",
    "add_foreign_key",     "drop_foreign_key",
    "add_check",           "drop_check",
    "alter_table_comment", "create_view",
    "drop_view",           "create_routine",
    "drop_routine",        "create_trigger",
    "drop_trigger",        "alter_table_collation",
    "create_sequence",     "drop_sequence",
    "alter_sequence",      "alter_table_options",
    "create_enum_type",    "drop_enum_type",
    "alter_enum_type",
};
static_assert(kinds.size() == std::variant_size_v<schema::Operation>);

}  // namespace

std::string_view operation_kind(const schema::Operation& operation) {
    return kinds.at(operation.index());
}

void print_operations_text(std::ostream& out, const std::vector<schema::PlannedOperation>& operations) {
    for (const auto& planned : operations) {
        out << "  " << util::printable(schema::describe(planned.operation)) << '\n';
        for (const auto& note : planned.review_notes) out << "    review: " << util::printable(note) << '\n';
    }
}

std::string describe_not_compared(const std::vector<schema::UncomparedObject>& objects) {
    std::string text;
    for (std::size_t i = 0; i < objects.size();) {
        const auto& kind = objects[i].kind;
        std::vector<std::string> names;
        for (; i < objects.size() && objects[i].kind == kind; ++i) {
            names.push_back(objects[i].name);
        }
        const auto plural = kind.ends_with('x') || kind.ends_with('s') ? kind + "es"
                            : kind.ends_with('y') ? kind.substr(0, kind.size() - 1) + "ies"
                                                  : kind + "s";
        text += (text.empty() ? "" : ", ") + std::to_string(names.size()) + " " +
                (names.size() == 1 ? kind : plural) + " (" + util::join(names) + ")";
    }
    return text;
}

void print_operations_json(std::ostream& out, const std::vector<schema::PlannedOperation>& operations,
                           const std::vector<schema::UncomparedObject>& not_compared) {
    auto list = nlohmann::json::array();
    for (const auto& planned : operations) {
        list.push_back({{"kind", operation_kind(planned.operation)},
                        {"table", schema::table_of(planned.operation)},
                        {"description", schema::describe(planned.operation)},
                        {"review_notes", planned.review_notes}});
    }
    auto uncompared = nlohmann::json::array();
    for (const auto& object : not_compared) {
        uncompared.push_back({{"kind", object.kind}, {"name", object.name}});
    }
    const nlohmann::json document{{"schema_version", json_schema_version},
                                  {"up_to_date", operations.empty() && not_compared.empty()},
                                  {"operations", std::move(list)},
                                  {"not_compared", std::move(uncompared)}};
    // Invalid UTF-8 in a name becomes U+FFFD rather than an exception.
    out << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

}  // namespace migrator::render
