#include "model_fields.hpp"

#include <algorithm>
#include <functional>
#include <map>

#include "migrator/autogenerate/column_type_parser.hpp"
#include "migrator/dialect/builtin_dialects.hpp"

namespace migrator::autogenerate::model_fields {

using schema::ReferentialAction;

int line_of(const YAML::Node& node, int fallback) {
    const auto mark = node.Mark();
    return mark.is_null() ? fallback : mark.line + 1;
}

std::string shape_of(const YAML::Node& node) {
    if (node.IsSequence()) return "a list";
    if (node.IsMap()) return "a mapping";
    if (node.IsNull()) return "empty";
    return "'" + node.Scalar() + "'";
}

std::string quoted(std::string_view text) {
    return "'" + std::string(text) + "'";
}

void Scope::fail_at(const YAML::Node& node, const std::string& message) const {
    throw ModelError{line_of(node, line), what + ": " + message};
}

void Scope::fail(const std::string& message) const {
    throw ModelError{line, what + ": " + message};
}

Fields::Fields(const YAML::Node& map, Keys allowed, Scope scope) : scope_(std::move(scope)) {
    if (!map.IsMap()) scope_.fail_at(map, "must be a mapping of keys, not " + shape_of(map));
    for (const auto& item : map) {
        if (!item.first.IsScalar()) scope_.fail_at(item.first, "keys must be plain names");
        const std::string& key = item.first.Scalar();
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            scope_.fail_at(item.first, "unknown key " + quoted(key) + did_you_mean(key, allowed));
        }
        if (find(key) != nullptr) scope_.fail_at(item.first, "duplicate key " + quoted(key));
        entries_.emplace_back(key, item.second);
    }
}

std::optional<YAML::Node> Fields::get(std::string_view key) const {
    const auto* node = find(key);
    if (node == nullptr || node->IsNull()) return std::nullopt;
    return *node;
}

YAML::Node Fields::require(std::string_view key) const {
    auto node = get(key);
    if (!node) scope_.fail("missing " + quoted(key));
    return *node;
}

const YAML::Node* Fields::find(std::string_view key) const {
    const auto found =
        std::find_if(entries_.begin(), entries_.end(), [&](const auto& entry) { return entry.first == key; });
    return found == entries_.end() ? nullptr : &found->second;
}

std::string text(const YAML::Node& node, const Scope& scope, std::string_view key) {
    if (!node.IsScalar()) scope.fail_at(node, quoted(key) + " must be a single value, not " + shape_of(node));
    return node.Scalar();
}

std::string non_empty_text(const YAML::Node& node, const Scope& scope, std::string_view key) {
    auto value = text(node, scope, key);
    if (util::trim(value).empty()) scope.fail_at(node, quoted(key) + " must not be empty");
    return value;
}

std::string identifier(const YAML::Node& node, const Scope& scope, std::string_view key) {
    auto name = non_empty_text(node, scope, key);
    if (name.size() > dialect::max_identifier_length) {
        scope.fail_at(node, quoted(key) + " " + quoted(name) + " is longer than " +
                                std::to_string(dialect::max_identifier_length) + " characters");
    }
    return name;
}

bool flag(const YAML::Node& node, const Scope& scope, std::string_view key) {
    bool value = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
        scope.fail_at(node, quoted(key) + " must be true or false, got " + shape_of(node));
    }
    return value;
}

std::optional<std::string> optional_comment(const Fields& fields) {
    const auto node = fields.get("comment");
    if (!node) return std::nullopt;
    auto comment = text(*node, fields.scope(), "comment");
    if (comment.empty()) return std::nullopt;
    return comment;
}

// A YAML number or boolean written as a default stands for itself in SQL.
std::string default_expression(const YAML::Node& node, const Scope& scope) {
    auto expression = non_empty_text(node, scope, "default");
    bool boolean = false;
    const bool plain_scalar = node.Tag() == "?";  // quoted scalars are tagged "!"
    if (plain_scalar && YAML::convert<bool>::decode(node, boolean)) return boolean ? "TRUE" : "FALSE";
    return expression;
}

ReferentialAction referential_action(const YAML::Node& node, const Scope& scope, std::string_view key) {
    static const std::map<std::string, ReferentialAction, std::less<>> actions{
        {"no action", ReferentialAction::NoAction},     {"restrict", ReferentialAction::Restrict},
        {"cascade", ReferentialAction::Cascade},        {"set null", ReferentialAction::SetNull},
        {"set default", ReferentialAction::SetDefault},
    };
    const auto written = text(node, scope, key);
    const auto found = actions.find(canonical_words(written));
    if (found == actions.end()) {
        scope.fail_at(node, quoted(key) +
                                " must be cascade, restrict, set null, set default or no action, got " +
                                quoted(written));
    }
    return found->second;
}

std::vector<NamedColumn> column_names(const YAML::Node& node, const Scope& scope, std::string_view key) {
    if (!node.IsSequence())
        scope.fail_at(node, quoted(key) + " must be a list of column names, not " + shape_of(node));
    if (node.size() == 0) scope.fail_at(node, quoted(key) + " must name at least one column");
    std::vector<NamedColumn> names;
    for (const auto& item : node) {
        auto name = identifier(item, scope, key);
        const bool repeated = std::any_of(names.begin(), names.end(),
                                          [&](const NamedColumn& seen) { return seen.name == name; });
        if (repeated) scope.fail_at(item, "column " + quoted(name) + " is listed twice");
        names.push_back({std::move(name), item});
    }
    return names;
}

std::vector<std::string> names_of(const std::vector<NamedColumn>& columns) {
    std::vector<std::string> names;
    names.reserve(columns.size());
    for (const auto& column : columns) names.push_back(column.name);
    return names;
}

}  // namespace migrator::autogenerate::model_fields
