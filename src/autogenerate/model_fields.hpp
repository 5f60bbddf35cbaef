#pragma once
// The model file's YAML layer: the allowed keys of a mapping, the shape of each value (name, flag,
// list of column names...) and the one-line error naming the line and the object at fault. The reader
// (model_file.cpp) builds the schema on top; the type grammar is column_type_parser.

#include <yaml-cpp/yaml.h>

#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "migrator/schema/schema.hpp"
#include "migrator/util/strings.hpp"

namespace migrator::autogenerate::model_fields {

using Keys = std::span<const std::string_view>;

/// Thrown by the walk and caught by parse_model_file: only the first problem is reported.
struct ModelError {
    int line;
    std::string message;
};

/// The line of `node`, or `fallback` when it has no mark.
int line_of(const YAML::Node& node, int fallback);

/// "a list", "a mapping", "empty" or the scalar quoted: what was written instead.
std::string shape_of(const YAML::Node& node);

/// `text` in single quotes.
std::string quoted(std::string_view text);

/// util::did_you_mean over any list of names.
template <class Candidates>
std::string did_you_mean(std::string_view name, const Candidates& candidates) {
    const std::vector<std::string_view> views(std::begin(candidates), std::end(candidates));
    return util::did_you_mean(name, views);
}

/// What an error names ("table 'users'", "column 'users.email'") and the line to blame when the
/// node at fault has no mark of its own.
struct Scope {
    std::string what;
    int line = 1;

    [[noreturn]] void fail_at(const YAML::Node& node, const std::string& message) const;
    [[noreturn]] void fail(const std::string& message) const;
};

/// The keys of one mapping, checked against the allowed ones; empty (null) values count as absent.
class Fields {
public:
    Fields(const YAML::Node& map, Keys allowed, Scope scope);

    /// Whether `key` is written, even with an empty value.
    [[nodiscard]] bool has(std::string_view key) const { return find(key) != nullptr; }

    /// The value of `key`, or nullopt when it is absent or empty.
    [[nodiscard]] std::optional<YAML::Node> get(std::string_view key) const;

    /// The value of `key`; fails naming the key when it is absent or empty.
    [[nodiscard]] YAML::Node require(std::string_view key) const;

    /// Moves the messages to a more precise scope, once the object's name is known.
    void rename_scope(std::string what) { scope_.what = std::move(what); }

    [[nodiscard]] const Scope& scope() const { return scope_; }

private:
    [[nodiscard]] const YAML::Node* find(std::string_view key) const;

    Scope scope_;
    std::vector<std::pair<std::string, YAML::Node>> entries_;
};

/// A scalar's text; `key` names the field in the message.
std::string text(const YAML::Node& node, const Scope& scope, std::string_view key);

/// A scalar's text that is not blank.
std::string non_empty_text(const YAML::Node& node, const Scope& scope, std::string_view key);

/// A name no longer than every dialect accepts.
std::string identifier(const YAML::Node& node, const Scope& scope, std::string_view key);

/// true or false, as YAML spells them.
bool flag(const YAML::Node& node, const Scope& scope, std::string_view key);

/// The `comment` field; an empty one is no comment.
std::optional<std::string> optional_comment(const Fields& fields);

/// The `default` field as an SQL expression: a YAML boolean becomes TRUE or FALSE.
std::string default_expression(const YAML::Node& node, const Scope& scope);

/// `on_delete` / `on_update`: "cascade", "set null"... in any case and spacing.
schema::ReferentialAction referential_action(const YAML::Node& node, const Scope& scope,
                                             std::string_view key);

/// A column name as written in a key, index or foreign key, with its node for the line.
struct NamedColumn {
    std::string name;
    YAML::Node node;
};

/// A non-empty list of distinct column names.
std::vector<NamedColumn> column_names(const YAML::Node& node, const Scope& scope, std::string_view key);

/// The names alone.
std::vector<std::string> names_of(const std::vector<NamedColumn>& columns);

}  // namespace migrator::autogenerate::model_fields
