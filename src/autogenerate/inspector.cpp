#include "autogenerate/inspector.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <tuple>

#include "inspectors.hpp"
#include "util/ascii.hpp"
#include "util/strings.hpp"

namespace migrator::autogenerate {

using namespace schema;

namespace detail {

bool TableSelection::wants(std::string_view table_name) const {
    return table_name != version_table && filter.accepts(table_name);
}

std::string text(const Row& row, std::size_t column) {
    return column < row.size() && row[column] ? *row[column] : std::string();
}

std::optional<std::string> optional_text(const Row& row, std::size_t column) {
    return column < row.size() ? row[column] : std::nullopt;
}

ReferentialAction referential_action(std::string_view rule) {
    const auto name = util::to_lower(rule);
    if (name == "cascade") return ReferentialAction::Cascade;
    if (name == "set null") return ReferentialAction::SetNull;
    if (name == "set default") return ReferentialAction::SetDefault;
    if (name == "restrict") return ReferentialAction::Restrict;
    return ReferentialAction::NoAction;
}

void sort_schema(Schema& schema) {
    const auto by_name = [](const auto& a, const auto& b) { return a.name < b.name; };
    std::stable_sort(schema.tables.begin(), schema.tables.end(), by_name);
    for (auto& table : schema.tables) {
        std::stable_sort(table.uniques.begin(), table.uniques.end(), by_name);
        std::stable_sort(table.indexes.begin(), table.indexes.end(), by_name);
        std::stable_sort(table.foreign_keys.begin(), table.foreign_keys.end(), by_name);
        std::stable_sort(table.checks.begin(), table.checks.end(), by_name);
    }
    std::stable_sort(schema.views.begin(), schema.views.end(), by_name);
    std::stable_sort(schema.routines.begin(), schema.routines.end(), [](const Routine& a, const Routine& b) {
        return std::tie(a.name, a.signature, a.kind) < std::tie(b.name, b.signature, b.kind);
    });
    std::stable_sort(schema.triggers.begin(), schema.triggers.end(), [](const Trigger& a, const Trigger& b) {
        return std::tie(a.name, a.table) < std::tie(b.name, b.table);
    });
    std::stable_sort(schema.sequences.begin(), schema.sequences.end(), by_name);
    std::stable_sort(schema.enum_types.begin(), schema.enum_types.end(), by_name);
}

std::optional<TypeSpelling> parse_type_spelling(std::string_view type_text) {
    std::string collapsed;
    bool pending_space = false;
    for (const char c : type_text) {
        if (util::is_space(c)) {
            pending_space = true;
            continue;
        }
        if (pending_space && !collapsed.empty() && c != '(' && c != ')' && c != ',' &&
            collapsed.back() != '(' && collapsed.back() != ',')
            collapsed += ' ';
        pending_space = false;
        collapsed += util::to_upper(c);
    }
    TypeSpelling spelling;
    const auto open = collapsed.find('(');
    if (open == std::string::npos) {
        spelling.base = collapsed;
        return spelling;
    }
    const auto close = collapsed.find(')', open);
    if (close == std::string::npos) return std::nullopt;
    spelling.base = collapsed.substr(0, open);
    spelling.suffix = collapsed.substr(close + 1);
    if (!spelling.suffix.empty() && spelling.suffix.front() == ' ') spelling.suffix.erase(0, 1);
    for (const auto& item :
         util::split_list(std::string_view(collapsed).substr(open + 1, close - open - 1))) {
        int value = 0;
        const auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), value);
        if (error != std::errc() || end != item.data() + item.size()) return std::nullopt;
        spelling.arguments.push_back(value);
    }
    return spelling;
}

Table* find_sorted(std::vector<Table>& tables, std::string_view name) {
    const auto found =
        std::lower_bound(tables.begin(), tables.end(), name,
                         [](const Table& table, std::string_view key) { return table.name < key; });
    return found != tables.end() && found->name == name ? &*found : nullptr;
}

std::string schema_or_current(db::Connection& connection, std::string_view schema_name,
                              const std::string& current_schema_query) {
    if (!schema_name.empty()) return std::string(schema_name);
    const auto current = connection.query_rows(current_schema_query);
    return current.empty() ? std::string() : text(current.front(), 0);
}

std::vector<Row> query_in_schema(db::Connection& connection, const std::string& sql,
                                 const std::string& schema) {
    // The catalog queries have no `?` inside literals.
    const auto count = static_cast<std::size_t>(std::count(sql.begin(), sql.end(), '?'));
    return connection.query_bound(sql, db::Connection::Parameters(count, schema));
}

std::vector<Table> selected_tables(const std::vector<Row>& rows, const TableSelection& selection) {
    std::vector<Table> tables;
    for (const auto& row : rows) {
        auto name = text(row, 0);
        if (!selection.wants(name)) continue;
        auto& table = tables.emplace_back();
        table.name = std::move(name);
        if (auto comment = text(row, 1); !comment.empty()) table.comment = std::move(comment);
        table.collation = optional_text(row, 2);
    }
    std::sort(tables.begin(), tables.end(), [](const Table& a, const Table& b) { return a.name < b.name; });
    return tables;
}

std::vector<std::span<const Row>> group_by_table_and_name(const std::vector<Row>& rows) {
    std::vector<std::span<const Row>> groups;
    const std::span<const Row> all(rows);
    for (std::size_t start = 0; start < all.size();) {
        const auto table_name = text(all[start], 0);
        const auto object_name = text(all[start], 1);
        std::size_t end = start + 1;
        while (end < all.size() && text(all[end], 0) == table_name && text(all[end], 1) == object_name) ++end;
        groups.push_back(all.subspan(start, end - start));
        start = end;
    }
    return groups;
}

std::string view_query(std::string_view printed) {
    auto query = util::trim(printed);
    while (query.ends_with(';')) query = util::trim(query.substr(0, query.size() - 1));
    return std::string(query);
}

KeyColumns key_columns(std::span<const Row> rows, std::size_t column) {
    KeyColumns columns;
    for (const auto& row : rows) {
        if (auto name = optional_text(row, column)) {
            columns.names.push_back(std::move(*name));
        } else {
            columns.has_null = true;
        }
    }
    return columns;
}

}  // namespace detail

bool TableFilter::accepts(std::string_view table_name) const {
    const std::string name(table_name);
    const auto matches = [&](const std::string& pattern) {
        return fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
    };
    if (!include.empty() && std::none_of(include.begin(), include.end(), matches)) return false;
    return std::none_of(exclude.begin(), exclude.end(), matches);
}

namespace {

Schema inspect_one(db::Connection& connection, const dialect::Dialect& dialect, std::string_view schema_name,
                   const detail::TableSelection& selection) {
    switch (dialect.kind()) {
        case dialect::DialectKind::Sqlite:
            return detail::inspect_sqlite(connection, dialect, schema_name, selection);
        case dialect::DialectKind::Postgresql:
            return detail::inspect_postgresql(connection, dialect, schema_name, selection);
        case dialect::DialectKind::Mysql:
            return detail::inspect_mysql(connection, dialect, schema_name, selection);
    }
    return {};
}

}  // namespace

std::string default_schema_name(db::Connection& connection, const dialect::Dialect& dialect) {
    switch (dialect.kind()) {
        case dialect::DialectKind::Sqlite:
            return {};
        case dialect::DialectKind::Postgresql:
            return detail::schema_or_current(connection, {}, "SELECT current_schema()");
        case dialect::DialectKind::Mysql:
            return detail::schema_or_current(connection, {}, "SELECT DATABASE()");
    }
    return {};
}

std::vector<std::string> schemas_matching(db::Connection& connection, const dialect::Dialect& dialect,
                                          const std::vector<std::string>& patterns) {
    if (patterns.empty()) return {};
    std::string sql;
    switch (dialect.kind()) {
        case dialect::DialectKind::Sqlite:
            return {};
        case dialect::DialectKind::Postgresql:
            sql =
                "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> "
                "'information_schema' AND nspname NOT LIKE 'migrator\\_scratch\\_%' AND nspname <> "
                "current_schema() ORDER BY 1";
            break;
        case dialect::DialectKind::Mysql:
            sql =
                "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN ('mysql', "
                "'information_schema', 'performance_schema', 'sys') AND SCHEMA_NAME NOT LIKE "
                "'migrator\\_scratch\\_%' AND SCHEMA_NAME <> DATABASE() ORDER BY 1";
            break;
    }
    std::vector<std::string> names;
    const TableFilter matching{patterns, {}};
    for (const auto& name : connection.query_column(sql)) {
        if (name && matching.accepts(*name)) names.push_back(*name);
    }
    return names;
}

OtherSchemas inspect_other_schemas(db::Connection& connection, const dialect::Dialect& dialect,
                                   const std::vector<std::string>& schema_names,
                                   const schema::TableName& version_table, const TableFilter& filter) {
    OtherSchemas result;
    if (schema_names.empty()) return result;
    const auto default_schema = default_schema_name(connection, dialect);

    // MySQL resolves an unqualified REFERENCES in the database of the table that refers, so a key into the
    // default database names it.
    const bool references_name_database = dialect.kind() == dialect::DialectKind::Mysql;
    for (const auto& name : schema_names) {
        const std::string_view skipped =
            name == version_table.schema ? version_table.name : std::string_view();
        auto other = inspect_one(connection, dialect, name, {skipped, filter, detail::SchemaQualifier::Kept});
        detail::sort_schema(other);
        for (auto& table : other.tables) {
            table.schema = name;
            for (auto& key : table.foreign_keys) {
                if (key.referred_schema.empty()) {
                    key.referred_schema = name;
                } else if (key.referred_schema == default_schema && !references_name_database) {
                    key.referred_schema.clear();
                }
            }
            result.tables.push_back(std::move(table));
        }
        const auto name_not_compared = [&](std::string kind, const std::string& object) {
            result.not_compared.push_back({std::move(kind), schema::TableName{name, object}.text()});
        };
        for (const auto& view : other.views) name_not_compared("view", view.name);
        for (const auto& routine : other.routines) name_not_compared("routine", routine.name);
        for (const auto& trigger : other.triggers) name_not_compared("trigger", trigger.name);
        for (const auto& sequence : other.sequences) name_not_compared("sequence", sequence.name);
        for (const auto& type : other.enum_types) name_not_compared("type", type.name);
    }
    return result;
}

Schema inspect_schema(db::Connection& connection, const dialect::Dialect& dialect,
                      std::string_view schema_name, std::string_view version_table,
                      const TableFilter& filter) {
    Schema schema = inspect_one(connection, dialect, schema_name, {version_table, filter});
    detail::sort_schema(schema);
    return schema;
}

namespace {

using util::is_space;
using util::to_upper;

bool is_word_start(char c) {
    return util::is_alpha(c) || c == '_';
}

bool is_word_char(char c) {
    return util::is_alnum(c) || c == '_' || c == '$';
}

// The index just past the quoted run that starts at `start` ('...', "...", `...`); a doubled quote
// stays inside, and so does a backslash-escaped one where the dialect allows it.
std::size_t end_of_quoted(std::string_view text, std::size_t start, bool backslash_escapes) {
    const char quote = text[start];
    std::size_t i = start + 1;
    while (i < text.size()) {
        if (backslash_escapes && text[i] == '\\') {
            i += 2;
        } else if (text[i] == quote) {
            if (i + 1 < text.size() && text[i + 1] == quote) {
                i += 2;
            } else {
                return i + 1;
            }
        } else {
            ++i;
        }
    }
    return text.size();
}

// Whether the '(' at 0 closes at the very end, so that the parentheses wrap the whole expression.
bool wrapped_in_parentheses(std::string_view text, bool backslash_escapes) {
    if (text.size() < 2 || text.front() != '(' || text.back() != ')') return false;
    int depth = 0;
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (c == '\'' || c == '"' || c == '`') {
            i = end_of_quoted(text, i, backslash_escapes || c != '\'');
            continue;
        }
        if (c == '(') ++depth;
        if (c == ')' && --depth == 0) return i + 1 == text.size();
        ++i;
    }
    return false;
}

bool is_numeric_literal(std::string_view quoted) {
    if (quoted.size() < 3) return false;
    const auto body = quoted.substr(1, quoted.size() - 2);
    std::size_t i = (body[0] == '-' || body[0] == '+') ? 1 : 0;
    bool digits = false;
    bool dot = false;
    for (; i < body.size(); ++i) {
        if (util::is_digit(body[i])) {
            digits = true;
        } else if (body[i] == '.' && !dot) {
            dot = true;
        } else {
            return false;
        }
    }
    return digits;
}

bool is_numeric_type(std::string_view type_name) {
    static constexpr std::array names{"INTEGER", "INT",  "INT2",    "INT4",   "INT8",   "BIGINT", "SMALLINT",
                                      "NUMERIC", "REAL", "DECIMAL", "FLOAT4", "FLOAT8", "DOUBLE"};
    const auto name = to_upper(type_name);
    return std::find(names.begin(), names.end(), name) != names.end();
}

// PostgreSQL's `::type` suffix: skips the type name at `i` (after the "::") and returns its first word.
std::string skip_cast_type(std::string_view text, std::size_t& i) {
    static constexpr std::array continuations{"varying", "precision", "with", "without", "time", "zone"};
    while (i < text.size() && is_space(text[i])) ++i;
    std::string first_word;
    if (i < text.size() && text[i] == '"') {
        i = end_of_quoted(text, i, true);
    } else {
        const auto start = i;
        while (i < text.size() && (is_word_char(text[i]) || text[i] == '.')) ++i;
        first_word = std::string(text.substr(start, i - start));
        for (;;) {
            auto next = i;
            while (next < text.size() && is_space(text[next])) ++next;
            auto word_end = next;
            while (word_end < text.size() && is_word_char(text[word_end])) ++word_end;
            const auto word = util::to_lower(text.substr(next, word_end - next));
            if (word.empty() ||
                std::find(continuations.begin(), continuations.end(), word) == continuations.end())
                break;
            i = word_end;
        }
    }
    if (i < text.size() && text[i] == '(') {
        const auto close = text.find(')', i);
        i = close == std::string_view::npos ? text.size() : close + 1;
    }
    while (text.substr(i, 2) == "[]") i += 2;
    return first_word;
}

bool is_niladic_datetime_function(std::string_view upper_word) {
    return upper_word == "CURRENT_TIMESTAMP" || upper_word == "CURRENT_DATE" ||
           upper_word == "CURRENT_TIME" || upper_word == "LOCALTIMESTAMP" || upper_word == "LOCALTIME";
}

std::string normalize_once(dialect::DialectKind dialect, std::string_view expression) {
    const bool mysql = dialect == dialect::DialectKind::Mysql;
    const bool postgresql = dialect == dialect::DialectKind::Postgresql;
    std::string out;
    std::size_t last_literal = std::string::npos;  // where the literal just written starts in `out`
    bool pending_space = false;
    std::size_t i = 0;
    while (i < expression.size()) {
        const char c = expression[i];
        if (is_space(c)) {
            pending_space = true;
            ++i;
            continue;
        }
        if (pending_space && !out.empty() && out.back() != '(' && c != ')' && c != ',') out += ' ';
        pending_space = false;
        if (c == '\'' || c == '"' || c == '`') {
            const bool escaped_string = !out.empty() && (out.back() == 'E') &&
                                        (out.size() == 1 || !is_word_char(out[out.size() - 2]));
            const auto end = end_of_quoted(expression, i, c == '\'' && (mysql || escaped_string));
            last_literal = c == '\'' ? out.size() : std::string::npos;
            out.append(expression.substr(i, end - i));
            i = end;
            continue;
        }
        if (postgresql && expression.substr(i, 2) == "::") {
            if (!out.empty() && out.back() == ' ') out.pop_back();
            i += 2;
            const auto type_name = skip_cast_type(expression, i);
            if (last_literal != std::string::npos && is_numeric_type(type_name) &&
                is_numeric_literal(std::string_view(out).substr(last_literal))) {
                out = out.substr(0, out.size() - 1);
                out.erase(last_literal, 1);
            }
            last_literal = std::string::npos;
            continue;
        }
        last_literal = std::string::npos;
        if (util::is_digit(c)) {
            const auto start = i;
            while (i < expression.size() && (is_word_char(expression[i]) || expression[i] == '.')) ++i;
            out.append(expression.substr(start, i - start));
            continue;
        }
        if (is_word_start(c)) {
            const auto start = i;
            while (i < expression.size() && is_word_char(expression[i])) ++i;
            auto word = to_upper(expression.substr(start, i - start));
            if (mysql && (word == "TRUE" || word == "FALSE"))
                word = std::string(1, word == "TRUE" ? '1' : '0');
            if (is_niladic_datetime_function(word)) {
                auto next = i;
                while (next < expression.size() && is_space(expression[next])) ++next;
                if (expression.substr(next, 1) == "(") {
                    auto close = next + 1;
                    while (close < expression.size() && is_space(expression[close])) ++close;
                    if (expression.substr(close, 1) == ")") i = close + 1;
                }
            }
            out += word;
            continue;
        }
        out += c;
        ++i;
    }
    std::string_view result = out;
    while (wrapped_in_parentheses(result, mysql)) {
        result = result.substr(1, result.size() - 2);
        while (!result.empty() && is_space(result.front())) result.remove_prefix(1);
        while (!result.empty() && is_space(result.back())) result.remove_suffix(1);
    }
    return std::string(result);
}

}  // namespace

std::string normalize_default(dialect::DialectKind dialect, std::string_view expression) {
    // Each pass can expose more to strip ("('-1'::integer)"); repeating to a fixed point keeps it idempotent.
    std::string current = normalize_once(dialect, expression);
    for (int pass = 0; pass < 8; ++pass) {
        auto next = normalize_once(dialect, current);
        if (next == current) break;
        current = std::move(next);
    }
    return current;
}

}  // namespace migrator::autogenerate
