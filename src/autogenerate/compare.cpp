// Kept whole (over 500 lines): the comparison passes share the normalising helpers and one operation order.
#include "autogenerate/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "autogenerate/inspector.hpp"
#include "dialect/ddl.hpp"
#include "util/ascii.hpp"

namespace migrator::autogenerate {

using namespace schema;

namespace {

using dialect::Dialect;
using dialect::DialectKind;

// PostgreSQL's NAMEDATALEN - 1: the bytes an identifier keeps.
constexpr std::size_t max_postgresql_identifier = 63;

// render_type's text upper-cased with blanks collapsed, so that "numeric(10,2)" equals "NUMERIC(10, 2)".
std::string type_key(const Dialect& dialect, const ColumnType& type) {
    const std::string text = dialect::render_type(dialect, type);
    std::string key;
    bool pending_blank = false;
    for (const char c : text) {
        if (util::is_space(c)) {
            pending_blank = !key.empty();
            continue;
        }
        const bool punctuation = c == '(' || c == ')' || c == ',';
        if (pending_blank && !punctuation && key.back() != '(' && key.back() != ',') key += ' ';
        pending_blank = false;
        key += util::to_upper(c);
    }
    if (dialect.kind() != DialectKind::Postgresql) {
        return key;
    }
    // PostgreSQL's aliases name the same type as format_type's spelling or ours.
    static constexpr std::pair<std::string_view, std::string_view> aliases[] = {
        {"CHARACTER VARYING", "VARCHAR"},
        {"TIMESTAMP WITHOUT TIME ZONE", "TIMESTAMP"},
        {"TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE"},
        {"TIME WITHOUT TIME ZONE", "TIME"},
        {"TIMETZ", "TIME WITH TIME ZONE"},
        {"INT8", "BIGINT"},
        {"INT4", "INTEGER"},
        {"INT2", "SMALLINT"},
        {"INT", "INTEGER"},
        {"FLOAT8", "DOUBLE PRECISION"},
        {"FLOAT4", "REAL"},
        {"BOOL", "BOOLEAN"},
        {"DECIMAL", "NUMERIC"},
        {"CHARACTER", "CHAR"},
        {"BPCHAR", "CHAR"},
    };
    for (const auto& [alias, name] : aliases) {
        if (key.starts_with(alias) && (key.size() == alias.size() || key[alias.size()] == '(')) {
            return std::string(name) + key.substr(alias.size());
        }
    }
    return key;
}

bool is_number(std::string_view text) {
    std::size_t i = text.starts_with('-') ? 1 : 0;
    bool digits = false;
    for (; i < text.size(); ++i) {
        if (std::isdigit(static_cast<unsigned char>(text[i])) != 0) {
            digits = true;
        } else if (text[i] != '.') {
            return false;
        }
    }
    return digits;
}

// A number (is_number) written one way: MariaDB prints a DECIMAL(10, 2) column's default 0 as 0.00.
std::string canonical_number(std::string text) {
    const bool negative = text.starts_with('-');
    if (negative) text.erase(0, 1);
    if (text.find('.') != std::string::npos) {
        while (text.ends_with('0')) text.pop_back();
        if (text.ends_with('.')) text.pop_back();
    }
    while (text.size() > 1 && text.front() == '0' && text[1] != '.') text.erase(0, 1);
    if (text.empty() || text.front() == '.') text.insert(0, "0");
    return negative && text != "0" ? "-" + text : text;
}

// A default as the server stores it: a quoted number on a numeric column ('0' on a bigint) is the number,
// and a number is written one way.
std::optional<std::string> default_key(DialectKind kind, const Column& column) {
    if (!column.server_default) {
        return std::nullopt;
    }
    auto value = normalize_default(kind, *column.server_default);
    const auto numeric_type = column.type.kind == TypeKind::Integer || column.type.kind == TypeKind::BigInt ||
                              column.type.kind == TypeKind::SmallInt ||
                              column.type.kind == TypeKind::Numeric || column.type.kind == TypeKind::Float ||
                              column.type.kind == TypeKind::Double;
    if (numeric_type && value.size() > 2 && value.front() == '\'' && value.back() == '\'' &&
        is_number(std::string_view(value).substr(1, value.size() - 2))) {
        value = value.substr(1, value.size() - 2);
    }
    if (numeric_type && is_number(value)) value = canonical_number(std::move(value));
    return value;
}

// Both sides as this dialect stores them: MySQL has unique indexes only and reports NO ACTION as the
// identical RESTRICT; SQLite has no comments.
Table comparable(const Table& table, DialectKind kind) {
    Table result = table;
    if (kind == DialectKind::Mysql) {
        const auto same_as_no_action = [](ReferentialAction& action) {
            if (action == ReferentialAction::Restrict) action = ReferentialAction::NoAction;
        };
        for (auto& foreign_key : result.foreign_keys) {
            same_as_no_action(foreign_key.on_delete);
            same_as_no_action(foreign_key.on_update);
        }
        for (const auto& unique : result.uniques) {
            result.indexes.push_back(Index{unique.name, unique.columns, IndexKind::Unique, {}, {}});
        }
        result.uniques.clear();
        std::sort(result.indexes.begin(), result.indexes.end(),
                  [](const Index& a, const Index& b) { return a.name < b.name; });
    }
    if (kind == DialectKind::Sqlite) {
        result.comment.reset();
        for (auto& column : result.columns) column.comment.reset();
        // SQLite can only AUTOINCREMENT a lone INTEGER primary key; elsewhere the flag cannot be stored.
        const bool lone_key = result.primary_key && result.primary_key->columns.size() == 1;
        for (auto& column : result.columns) {
            const bool storable = lone_key && column.type.kind == TypeKind::Integer &&
                                  result.primary_key->columns.front() == column.name;
            if (!storable) column.autoincrement = AutoIncrement::No;
        }
    }
    return result;
}

// serial and identity both generate the values: neither is drift from the other.
bool generates_values(const Column& column) {
    return column.autoincrement != AutoIncrement::No;
}

int integer_rank(TypeKind kind) {
    switch (kind) {
        case TypeKind::Boolean:
            return 1;
        case TypeKind::SmallInt:
            return 2;
        case TypeKind::Integer:
            return 3;
        case TypeKind::BigInt:
            return 4;
        default:
            return 0;
    }
}

int integer_digits(int rank) {
    constexpr int digits[] = {0, 1, 5, 10, 19};
    return digits[rank];
}

constexpr int unbounded = 1 << 20;

int string_length(const ColumnType& type, DialectKind kind) {
    if (type.length) return *type.length;
    return kind == DialectKind::Mysql ? 255 : unbounded;
}

std::pair<int, int> numeric_bounds(const ColumnType& type, DialectKind kind) {
    if (type.precision) return {*type.precision, type.scale.value_or(0)};
    if (kind == DialectKind::Mysql) return {10, 0};
    return {unbounded, unbounded / 2};
}

// Whether every value of `from` fits `to` unchanged; anything not known to widen is reported.
bool widens(const ColumnType& from, const ColumnType& to, DialectKind kind) {
    if (from.kind == TypeKind::Raw || to.kind == TypeKind::Raw) return false;
    const int from_rank = integer_rank(from.kind);
    const int to_rank = integer_rank(to.kind);
    if (from_rank > 0 && to_rank > 0) return to_rank >= from_rank;
    if (from_rank > 0 && to.kind == TypeKind::Numeric) {
        const auto [precision, scale] = numeric_bounds(to, kind);
        return precision - scale >= integer_digits(from_rank);
    }
    if (from_rank > 0 && to.kind == TypeKind::Double) return from_rank <= integer_rank(TypeKind::Integer);
    if (from_rank > 0 && to.kind == TypeKind::Float) return from_rank <= integer_rank(TypeKind::SmallInt);
    if (from.kind == TypeKind::Float && to.kind == TypeKind::Double) return true;
    if (from.kind == TypeKind::Numeric && to.kind == TypeKind::Numeric) {
        const auto [from_precision, from_scale] = numeric_bounds(from, kind);
        const auto [to_precision, to_scale] = numeric_bounds(to, kind);
        return to_scale >= from_scale && to_precision - to_scale >= from_precision - from_scale;
    }
    if (to.kind == TypeKind::Text) {
        return from.kind != TypeKind::Blob && from.kind != TypeKind::Text;
    }
    if (to.kind == TypeKind::String) {
        if (from.kind == TypeKind::String) return string_length(to, kind) >= string_length(from, kind);
        if (from.kind == TypeKind::Uuid) return string_length(to, kind) >= 36;
        return false;
    }
    if (from.kind == TypeKind::Date && to.kind == TypeKind::DateTime) return true;
    if (from.kind == to.kind && (from.kind == TypeKind::Time || from.kind == TypeKind::DateTime)) {
        return to.time_zone == TimeZone::With;
    }
    return false;
}

std::string rename_note(std::string_view from, std::string_view to) {
    return fmt::format(
        "looks like a rename of {} to {}; autogenerate wrote a drop and an add, which loses the data", from,
        to);
}

// Tables ordered so that every table comes after the tables its foreign keys refer to; a foreign key
// that closes a cycle is set aside to be added (or dropped) on its own.
struct ForeignKeyOrder {
    std::vector<Table> tables;                             // cycle-closing keys removed
    std::vector<std::pair<TableName, ForeignKey>> cycles;  // table, key
};

ForeignKeyOrder order_by_foreign_keys(const std::vector<Table>& tables) {
    enum class State { Unvisited, Visiting, Done };
    std::unordered_map<std::string, std::size_t> position;
    for (std::size_t i = 0; i < tables.size(); ++i) position.emplace(tables[i].qualified_name().text(), i);
    std::vector<State> state(tables.size(), State::Unvisited);
    ForeignKeyOrder result;

    std::function<void(std::size_t)> visit = [&](std::size_t i) {
        state[i] = State::Visiting;
        Table table = tables[i];
        std::vector<ForeignKey> kept;
        for (const auto& fk : tables[i].foreign_keys) {
            const auto found = position.find(TableName{fk.referred_schema, fk.referred_table}.text());
            if (found != position.end() && found->second != i && state[found->second] == State::Visiting) {
                result.cycles.emplace_back(table.qualified_name(), fk);
                continue;
            }
            if (found != position.end() && state[found->second] == State::Unvisited) visit(found->second);
            kept.push_back(fk);
        }
        table.foreign_keys = std::move(kept);
        state[i] = State::Done;
        result.tables.push_back(std::move(table));
    };
    for (std::size_t i = 0; i < tables.size(); ++i) {
        if (state[i] == State::Unvisited) visit(i);
    }
    return result;
}

auto fk_key(const ForeignKey& fk) {
    return std::tie(fk.columns, fk.referred_schema, fk.referred_table, fk.referred_columns, fk.on_delete,
                    fk.on_update, fk.deferral);
}

// Matched by columns, not by name (a model may leave it to the database).
auto unique_key(const UniqueConstraint& unique) {
    return std::tie(unique.columns, unique.deferral);
}

template <class Item, class Key>
bool contains_matching(const std::vector<Item>& items, const Item& wanted, Key key) {
    return std::any_of(items.begin(), items.end(),
                       [&](const Item& item) { return key(item) == key(wanted); });
}

// A view's query with white space runs collapsed outside quotes and no trailing semicolon: how the
// database printed it, give or take the layout.
std::string definition_key(std::string_view definition) {
    std::string key;
    bool pending_blank = false;
    for (std::size_t i = 0; i < definition.size();) {
        const char c = definition[i];
        if (util::is_space(c)) {
            pending_blank = !key.empty();
            ++i;
            continue;
        }
        if (pending_blank) key += ' ';
        pending_blank = false;
        if (c == '\'' || c == '"' || c == '`') {
            const auto close = definition.find(c, i + 1);
            const auto end = close == std::string_view::npos ? definition.size() : close + 1;
            key.append(definition.substr(i, end - i));
            i = end;
            continue;
        }
        key += c;
        ++i;
    }
    while (!key.empty() && (key.back() == ';' || key.back() == ' ')) key.pop_back();
    return key;
}

bool same_view(const View& a, const View& b) {
    return a.kind == b.kind && a.columns == b.columns &&
           definition_key(a.definition) == definition_key(b.definition);
}

// Whether `text` names `name` as a whole word, in any case (views are not parsed, so this errs towards yes).
bool mentions(std::string_view text, std::string_view name) {
    const std::string haystack = util::to_lower(text);
    const std::string needle = util::to_lower(name);
    const auto word = [](char c) { return util::is_alnum(c) || c == '_' || c == '$'; };
    for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) {
        const auto end = at + needle.size();
        if ((at == 0 || !word(haystack[at - 1])) && (end == haystack.size() || !word(haystack[end]))) {
            return true;
        }
    }
    return false;
}

// `views` ordered so that a view comes after the views its query names (in name order otherwise); a
// cycle, which only a false mention can make, is broken where it closes.
std::vector<View> order_views(std::vector<View> views) {
    std::sort(views.begin(), views.end(), [](const View& a, const View& b) { return a.name < b.name; });
    enum class State { Unvisited, Visiting, Done };
    std::vector<State> state(views.size(), State::Unvisited);
    std::vector<View> ordered;
    ordered.reserve(views.size());
    std::function<void(std::size_t)> visit = [&](std::size_t i) {
        state[i] = State::Visiting;
        for (std::size_t j = 0; j < views.size(); ++j) {
            if (j != i && state[j] == State::Unvisited && mentions(views[i].definition, views[j].name)) {
                visit(j);
            }
        }
        state[i] = State::Done;
        ordered.push_back(views[i]);
    };
    for (std::size_t i = 0; i < views.size(); ++i) {
        if (state[i] == State::Unvisited) visit(i);
    }
    return ordered;
}

// MySQL gives every table an engine and a collation, and every character column a collation. Models that
// name none (a model file) take the database's, so that only what the models name is a change; a column
// whose type changes takes its table's default collation instead.
Table with_database_defaults(Table desired, const Table& current, const Dialect& dialect) {
    if (!desired.collation) desired.collation = current.collation;
    if (!desired.options) desired.options = current.options;
    for (auto& column : desired.columns) {
        const Column* before = current.find_column(column.name);
        if (column.collation || before == nullptr) continue;
        if (type_key(dialect, before->type) == type_key(dialect, column.type))
            column.collation = before->collation;
    }
    return desired;
}

class SchemaComparison {
public:
    explicit SchemaComparison(const Dialect& dialect) : dialect_(dialect), kind_(dialect.kind()) {}

    std::vector<PlannedOperation> run(const Schema& current_schema, const Schema& desired_schema) {
        std::vector<Table> current;
        std::vector<Table> desired;
        for (const auto& table : current_schema.tables) current.push_back(comparable(table, kind_));
        for (const auto& table : desired_schema.tables) {
            const Table* before = current_schema.find_table(table.qualified_name());
            if (kind_ == DialectKind::Mysql && before != nullptr) {
                desired.push_back(with_database_defaults(comparable(table, kind_), *before, dialect_));
            } else {
                desired.push_back(comparable(table, kind_));
            }
        }

        std::vector<Table> dropped;
        std::vector<Table> created;
        for (const auto& table : current) {
            if (!desired_schema.find_table(table.qualified_name())) dropped.push_back(table);
        }
        for (const auto& table : desired) {
            const Table* before = current_schema.find_table(table.qualified_name());
            if (before == nullptr) {
                created.push_back(table);
            } else {
                compare_table(comparable(*before, kind_), table);
            }
        }
        drop_tables(dropped, created);
        create_tables(created);
        std::set<std::string> touched_tables;
        for (const auto* phase : {&drop_foreign_keys_, &drop_tables_, &drop_constraints_, &columns_,
                                  &add_constraints_, &create_tables_, &add_foreign_keys_}) {
            for (const auto& planned : *phase) touched_tables.insert(table_of(planned.operation));
        }
        const auto dropped_routines = compare_routines(current_schema.routines, desired_schema.routines);
        std::set<std::string> changed = touched_tables;
        // A view over a column that an enum type's change converts would block the conversion.
        const auto converted = compare_enum_types(current_schema, desired_schema);
        changed.insert(converted.begin(), converted.end());
        changed.insert(dropped_routines.begin(), dropped_routines.end());
        const auto dropped_views = compare_views(current_schema.views, desired_schema.views, changed);
        // A trigger goes with a view it is on, and with a routine it runs; SQLite's table rebuild drops the
        // triggers of the table, so there they go with any change to it.
        std::set<std::string> trigger_causes = dropped_views;
        if (kind_ == DialectKind::Sqlite) trigger_causes.insert(touched_tables.begin(), touched_tables.end());
        compare_triggers(current_schema.triggers, desired_schema.triggers, trigger_causes, dropped_routines);
        compare_sequences(current_schema.sequences, desired_schema.sequences);

        // Sequences and enum types first and last: a column's default or a routine may use one, and they use
        // nothing. A changed enum type comes once the views over its columns are gone.
        std::vector<PlannedOperation> all;
        for (auto* phase :
             {&create_types_, &sequences_, &drop_triggers_, &drop_views_, &alter_types_, &drop_foreign_keys_,
              &drop_tables_, &drop_constraints_, &columns_, &add_constraints_, &create_tables_,
              &add_foreign_keys_, &drop_sequences_, &drop_routines_, &drop_types_, &create_routines_,
              &create_views_, &create_triggers_}) {
            std::move(phase->begin(), phase->end(), std::back_inserter(all));
        }
        return all;
    }

private:
    // A generated column whose expression or kind changes, or a column that becomes or stops being one, is
    // dropped and added again: neither PostgreSQL nor MariaDB turns one into the other in place. SQLite's
    // table rebuild carries the change whole.
    std::set<std::string> remade_columns(const Table& current, const Table& desired) const {
        std::set<std::string> remade;
        if (kind_ == DialectKind::Sqlite) return remade;
        for (const auto& column : desired.columns) {
            const Column* before = current.find_column(column.name);
            if (before != nullptr && before->generated != column.generated) remade.insert(column.name);
        }
        return remade;
    }

    static bool uses_any(const std::vector<std::string>& columns, const std::set<std::string>& names) {
        return std::any_of(columns.begin(), columns.end(),
                           [&](const std::string& column) { return names.contains(column); });
    }

    void compare_table(const Table& current, const Table& desired) {
        const TableName name = desired.qualified_name();
        // The indexes and unique constraints of a column dropped and added again go and come back with it.
        const auto remade = remade_columns(current, desired);
        for (const auto& fk : current.foreign_keys) {
            if (!contains_matching(desired.foreign_keys, fk, fk_key))
                add(drop_foreign_keys_, DropForeignKey{name, fk});
        }
        for (const auto& index : current.indexes) {
            // Matched by name; a same-name index with other columns or uniqueness is dropped and recreated.
            if (std::find(desired.indexes.begin(), desired.indexes.end(), index) == desired.indexes.end() ||
                uses_any(index.columns, remade)) {
                add(drop_constraints_, DropIndex{name, index});
            }
        }
        for (const auto& unique : current.uniques) {
            if (!contains_matching(desired.uniques, unique, unique_key) || uses_any(unique.columns, remade)) {
                add(drop_constraints_, DropUnique{name, unique});
            }
        }
        for (const auto& check : current.checks) {
            if (!contains_matching(desired.checks, check, [](const CheckConstraint& c) { return c.name; })) {
                add(drop_constraints_, DropCheck{name, check});
            }
        }

        // Before the columns: a column added without a collation of its own takes the table's.
        if (current.collation != desired.collation) {
            add(columns_, AlterTableCollation{name, current.collation, desired.collation});
        }
        if (current.options != desired.options) {
            add(columns_, AlterTableOptions{name, current.options, desired.options});
        }
        compare_columns(current, desired, remade);

        for (const auto& unique : desired.uniques) {
            if (!contains_matching(current.uniques, unique, unique_key) || uses_any(unique.columns, remade)) {
                add(add_constraints_, AddUnique{name, unique});
            }
        }
        for (const auto& index : desired.indexes) {
            if (std::find(current.indexes.begin(), current.indexes.end(), index) == current.indexes.end() ||
                uses_any(index.columns, remade)) {
                add(add_constraints_, CreateIndex{name, index});
            }
        }
        for (const auto& check : desired.checks) {
            if (!contains_matching(current.checks, check, [](const CheckConstraint& c) { return c.name; })) {
                add(add_constraints_, AddCheck{name, check});
            }
        }
        for (const auto& fk : desired.foreign_keys) {
            if (!contains_matching(current.foreign_keys, fk, fk_key))
                add(add_foreign_keys_, AddForeignKey{name, fk});
        }
    }

    void compare_columns(const Table& current, const Table& desired, const std::set<std::string>& remade) {
        const TableName name = desired.qualified_name();
        std::vector<const Column*> added;
        for (const auto& column : desired.columns) {
            if (current.find_column(column.name) != nullptr) continue;
            added.push_back(&column);
            std::vector<std::string> notes;
            if (column.nullability == Nullability::NotNull && !column.server_default &&
                column.autoincrement == AutoIncrement::No) {
                notes.push_back(
                    fmt::format("fails if {} has rows; add a server default or backfill first", name.text()));
            }
            add(columns_, AddColumn{name, column}, std::move(notes));
        }

        const auto key_columns = [](const std::optional<PrimaryKey>& key) {
            return key ? std::pair(key->columns, key->prefix_lengths)
                       : std::pair(std::vector<std::string>{}, std::vector<int>{});
        };
        if (key_columns(current.primary_key) != key_columns(desired.primary_key)) {
            add(columns_, AlterPrimaryKey{name, current.primary_key, desired.primary_key});
        }

        for (const auto& column : desired.columns) {
            const Column* before = current.find_column(column.name);
            if (before != nullptr && remade.contains(column.name)) {
                remake_column(name, *before, column);
            } else if (before != nullptr) {
                compare_column(name, *before, column);
            }
        }

        std::set<const Column*> paired;
        for (const auto& column : current.columns) {
            if (desired.find_column(column.name) != nullptr) continue;
            std::vector<std::string> notes;
            const auto twin = std::find_if(added.begin(), added.end(), [&](const Column* candidate) {
                return !paired.contains(candidate) &&
                       type_key(dialect_, candidate->type) == type_key(dialect_, column.type);
            });
            if (twin != added.end()) {
                paired.insert(*twin);
                notes.push_back(rename_note(fmt::format("{}.{}", name.text(), column.name),
                                            fmt::format("{}.{}", name.text(), (*twin)->name)));
            }
            add(columns_, DropColumn{name, column}, std::move(notes));
        }

        if (current.comment != desired.comment) {
            add(columns_, AlterTableComment{name, current.comment, desired.comment});
        }
    }

    void remake_column(const TableName& table, const Column& from, const Column& to) {
        std::vector<std::string> notes;
        if (!from.generated || !to.generated) {
            notes.push_back(fmt::format("{}.{} is dropped and added again{}", table.text(), to.name,
                                        from.generated ? ": it starts empty (NULL or its default) instead of "
                                                         "computed"
                                                       : ": its values are lost, computed from now on"));
        }
        notes.push_back(
            fmt::format("a CHECK or foreign key on {}.{} goes with it, and a generated column that "
                        "uses it stops the drop: review the script",
                        table.text(), to.name));
        add(columns_, DropColumn{table, from}, std::move(notes));
        add(columns_, AddColumn{table, to});
    }

    void compare_column(const TableName& table, const Column& from, const Column& to) {
        const bool type_changed = type_key(dialect_, from.type) != type_key(dialect_, to.type);
        const bool changed = type_changed || from.nullability != to.nullability ||
                             from.generated != to.generated ||
                             default_key(kind_, from) != default_key(kind_, to) ||
                             generates_values(from) != generates_values(to) || from.comment != to.comment ||
                             from.collation != to.collation || from.statistics_target != to.statistics_target;
        if (!changed) return;
        std::vector<std::string> notes;
        if (type_changed && !widens(from.type, to.type, kind_)) {
            notes.push_back(fmt::format("changing {}.{} from {} to {} can lose data", table.text(), to.name,
                                        dialect::render_type(dialect_, from.type),
                                        dialect::render_type(dialect_, to.type)));
        }
        if (from.nullability == Nullability::Nullable && to.nullability == Nullability::NotNull) {
            notes.push_back(fmt::format("fails if {}.{} holds NULLs; backfill first", table.text(), to.name));
        }
        add(columns_, AlterColumn{table, from, to}, std::move(notes));
    }

    void drop_tables(const std::vector<Table>& dropped, const std::vector<Table>& created) {
        const ForeignKeyOrder order = order_by_foreign_keys(dropped);
        for (const auto& [table, fk] : order.cycles) add(drop_tables_, DropForeignKey{table, fk});
        std::set<TableName> paired;
        for (auto it = order.tables.rbegin(); it != order.tables.rend(); ++it) {
            std::vector<std::string> notes;
            const auto twin = std::find_if(created.begin(), created.end(), [&](const Table& candidate) {
                return !paired.contains(candidate.qualified_name()) && same_column_names(candidate, *it);
            });
            if (twin != created.end()) {
                paired.insert(twin->qualified_name());
                notes.push_back(rename_note(it->qualified_name().text(), twin->qualified_name().text()));
            }
            add(drop_tables_, DropTable{*it}, std::move(notes));
        }
    }

    void create_tables(const std::vector<Table>& created) {
        const ForeignKeyOrder order = order_by_foreign_keys(created);
        for (const auto& table : order.tables) add(create_tables_, CreateTable{table});
        for (const auto& [table, fk] : order.cycles) add(create_tables_, AddForeignKey{table, fk});
    }

    // Views are dropped before every table change and created after them. A view whose query names a
    // table or view that changes is dropped and created again too: the databases refuse to drop or
    // retype what a view uses, and SQLite's table rebuild would leave it naming a dropped table.
    // Returns the views dropped (and maybe created again). `changed_names`: the tables and routines that
    // change.
    std::set<std::string> compare_views(const std::vector<View>& current, const std::vector<View>& desired,
                                        std::set<std::string> changed_names) {
        std::set<std::string> dropped;
        std::set<std::string> created;
        for (const auto& view : current) {
            const auto wanted = std::find_if(desired.begin(), desired.end(),
                                             [&](const View& other) { return other.name == view.name; });
            if (wanted == desired.end()) {
                dropped.insert(view.name);
            } else if (!same_view(view, *wanted)) {
                dropped.insert(view.name);
                created.insert(view.name);
            }
        }
        for (const auto& view : desired) {
            const auto found = std::find_if(current.begin(), current.end(),
                                            [&](const View& other) { return other.name == view.name; });
            if (found == current.end()) created.insert(view.name);
        }
        changed_names.insert(dropped.begin(), dropped.end());
        // Kept views that use something recreated are recreated, until nothing more is.
        for (bool grew = true; grew;) {
            grew = false;
            for (const auto& view : current) {
                if (dropped.contains(view.name) || desired_view(desired, view.name) == nullptr) continue;
                const bool uses_change =
                    std::any_of(changed_names.begin(), changed_names.end(), [&](const std::string& name) {
                        return name != view.name && mentions(view.definition, name);
                    });
                if (uses_change) {
                    dropped.insert(view.name);
                    created.insert(view.name);
                    changed_names.insert(view.name);
                    grew = true;
                }
            }
        }
        std::vector<View> to_drop;
        std::vector<View> to_create;
        for (const auto& view : current) {
            if (dropped.contains(view.name)) to_drop.push_back(view);
        }
        for (const auto& view : desired) {
            if (created.contains(view.name)) to_create.push_back(view);
        }
        const auto drop_order = order_views(std::move(to_drop));
        for (auto it = drop_order.rbegin(); it != drop_order.rend(); ++it) add(drop_views_, DropView{*it});
        for (const auto& view : order_views(std::move(to_create))) add(create_views_, CreateView{view});
        return dropped;
    }

    void compare_sequences(const std::vector<Sequence>& current, const std::vector<Sequence>& desired) {
        const auto named = [](const std::vector<Sequence>& sequences, const std::string& name) {
            const auto found = std::find_if(sequences.begin(), sequences.end(),
                                            [&](const Sequence& sequence) { return sequence.name == name; });
            return found == sequences.end() ? nullptr : &*found;
        };
        for (const auto& sequence : desired) {
            const Sequence* before = named(current, sequence.name);
            if (before == nullptr) {
                add(sequences_, CreateSequence{sequence});
            } else if (*before != sequence) {
                add(sequences_, AlterSequence{*before, sequence});
            }
        }
        for (const auto& sequence : current) {
            if (named(desired, sequence.name) == nullptr) add(drop_sequences_, DropSequence{sequence});
        }
    }

    // Returns the tables whose columns a changed type converts.
    std::set<std::string> compare_enum_types(const Schema& current, const Schema& desired) {
        const auto named = [](const std::vector<EnumType>& types, const std::string& name) {
            const auto found = std::find_if(types.begin(), types.end(),
                                            [&](const EnumType& type) { return type.name == name; });
            return found == types.end() ? nullptr : &*found;
        };
        std::set<std::string> converted;
        for (const auto& type : desired.enum_types) {
            const EnumType* before = named(current.enum_types, type.name);
            if (before == nullptr) {
                add(create_types_, CreateEnumType{type});
            } else if (*before != type) {
                AlterEnumType change{*before, type, enum_columns(current, type.name),
                                     set_aside_name(type.name, current, desired)};
                for (const auto& column : change.columns) converted.insert(column.table);
                add(alter_types_, change, enum_change_notes(change));
            }
        }
        for (const auto& type : current.enum_types) {
            if (named(desired.enum_types, type.name) == nullptr) add(drop_types_, DropEnumType{type});
        }
        return converted;
    }

    // `<name>_old`, or `<name>_old2`, ... when a relation or type of either schema has that name (on
    // PostgreSQL every table, view and sequence has a row type of its own name).
    static std::string set_aside_name(const std::string& name, const Schema& current, const Schema& desired) {
        std::set<std::string, std::less<>> taken;
        for (const Schema* schema : {&current, &desired}) {
            for (const auto& table : schema->tables) taken.insert(table.name);
            for (const auto& view : schema->views) taken.insert(view.name);
            for (const auto& sequence : schema->sequences) taken.insert(sequence.name);
            for (const auto& type : schema->enum_types) taken.insert(type.name);
        }
        for (int attempt = 1;; ++attempt) {
            const std::string suffix = attempt == 1 ? "_old" : fmt::format("_old{}", attempt);
            // PostgreSQL cuts a longer name to 63 bytes, which could make it the type's own name again.
            std::size_t kept = std::min(name.size(), max_postgresql_identifier - suffix.size());
            while (kept > 0 && kept < name.size() &&
                   (static_cast<unsigned char>(name[kept]) & 0xC0U) == 0x80U)
                --kept;  // not inside a UTF-8 character
            std::string candidate = name.substr(0, kept) + suffix;
            if (!taken.contains(candidate)) return candidate;
        }
    }

    // The columns of `schema` whose type is the enum type `name` or an array of it, as format_type spells
    // them (quoted only when it must be).
    std::vector<EnumColumn> enum_columns(const Schema& schema, const std::string& name) const {
        const auto quoted = dialect_.quote_identifier(name);
        std::vector<EnumColumn> columns;
        for (const auto& table : schema.tables) {
            for (const auto& column : table.columns) {
                if (column.type.kind != TypeKind::Raw) continue;
                const auto& type = column.type.raw;
                if (type == name || type == quoted) {
                    columns.push_back(
                        {table.name, column.name, EnumColumnShape::Scalar, column.server_default});
                } else if (type == name + "[]" || type == quoted + "[]") {
                    columns.push_back(
                        {table.name, column.name, EnumColumnShape::Array, column.server_default});
                }
            }
        }
        return columns;
    }

    static std::vector<std::string> enum_change_notes(const AlterEnumType& change) {
        std::vector<std::string> notes;
        if (change.only_adds_labels()) {
            notes.emplace_back(
                "PostgreSQL cannot use a label added in this transaction: a default or row that "
                "uses it belongs in a later migration");
        }
        notes.push_back(fmt::format(
            "{} is made again {}, and {} column(s) of it converted through text: that fails if a row holds "
            "a label the type no longer has, or a CHECK or index predicate names one",
            change.to.name, change.only_adds_labels() ? "by the downgrade" : "without some labels",
            change.columns.size()));
        return notes;
    }

    // Routines are dropped after the table changes and created before the views and triggers that use
    // them; a changed one is dropped and created again (a new return type cannot be replaced in place).
    // Returns the names of the routines dropped.
    std::set<std::string> compare_routines(const std::vector<Routine>& current,
                                           const std::vector<Routine>& desired) {
        const auto same_key = [](const Routine& a, const Routine& b) {
            return a.name == b.name && a.signature == b.signature;
        };
        std::set<std::string> dropped;
        for (const auto& routine : current) {
            const auto wanted = std::find_if(desired.begin(), desired.end(),
                                             [&](const Routine& other) { return same_key(routine, other); });
            if (wanted == desired.end() || wanted->kind != routine.kind ||
                definition_key(wanted->definition) != definition_key(routine.definition)) {
                add(drop_routines_, DropRoutine{routine});
                dropped.insert(routine.name);
            }
        }
        for (const auto& routine : desired) {
            const auto found = std::find_if(current.begin(), current.end(),
                                            [&](const Routine& other) { return same_key(routine, other); });
            if (found == current.end() || found->kind != routine.kind ||
                definition_key(found->definition) != definition_key(routine.definition)) {
                add(create_routines_, CreateRoutine{routine});
            }
        }
        return dropped;
    }

    // Triggers are dropped before everything else and created last. `on_changed`: tables and views whose
    // triggers are dropped with them; `dropped_routines`: a trigger that names one is created again.
    void compare_triggers(const std::vector<Trigger>& current, const std::vector<Trigger>& desired,
                          const std::set<std::string>& on_changed,
                          const std::set<std::string>& dropped_routines) {
        const auto same_key = [](const Trigger& a, const Trigger& b) {
            return a.name == b.name && a.table == b.table;
        };
        std::set<std::pair<std::string, std::string>> recreated;
        for (const auto& trigger : current) {
            const auto wanted = std::find_if(desired.begin(), desired.end(),
                                             [&](const Trigger& other) { return same_key(trigger, other); });
            const bool changed = wanted == desired.end() ||
                                 definition_key(wanted->definition) != definition_key(trigger.definition);
            const bool dragged = on_changed.contains(trigger.table) ||
                                 std::any_of(dropped_routines.begin(), dropped_routines.end(),
                                             [&](const std::string& routine) {
                                                 return mentions(trigger.definition, routine);
                                             });
            if (changed || dragged) {
                add(drop_triggers_, DropTrigger{trigger});
                if (!changed) recreated.emplace(trigger.name, trigger.table);
            }
        }
        for (const auto& trigger : desired) {
            const auto found = std::find_if(current.begin(), current.end(),
                                            [&](const Trigger& other) { return same_key(trigger, other); });
            if (found == current.end() ||
                definition_key(found->definition) != definition_key(trigger.definition) ||
                recreated.contains({trigger.name, trigger.table})) {
                add(create_triggers_, CreateTrigger{trigger});
            }
        }
    }

    static const View* desired_view(const std::vector<View>& views, const std::string& name) {
        const auto found =
            std::find_if(views.begin(), views.end(), [&](const View& view) { return view.name == name; });
        return found == views.end() ? nullptr : &*found;
    }

    static bool same_column_names(const Table& a, const Table& b) {
        std::set<std::string> left;
        std::set<std::string> right;
        for (const auto& column : a.columns) left.insert(column.name);
        for (const auto& column : b.columns) right.insert(column.name);
        return left == right;
    }

    static void add(std::vector<PlannedOperation>& phase, Operation operation,
                    std::vector<std::string> notes = {}) {
        phase.push_back(PlannedOperation{std::move(operation), std::move(notes)});
    }

    const Dialect& dialect_;
    DialectKind kind_;
    // The phases, in the order they run.
    std::vector<PlannedOperation> create_types_;
    std::vector<PlannedOperation> sequences_;  // created and altered
    std::vector<PlannedOperation> drop_triggers_;
    std::vector<PlannedOperation> drop_views_;
    std::vector<PlannedOperation> alter_types_;
    std::vector<PlannedOperation> drop_foreign_keys_;
    std::vector<PlannedOperation> drop_tables_;
    std::vector<PlannedOperation> drop_constraints_;
    std::vector<PlannedOperation> columns_;
    std::vector<PlannedOperation> add_constraints_;
    std::vector<PlannedOperation> create_tables_;
    std::vector<PlannedOperation> add_foreign_keys_;
    std::vector<PlannedOperation> drop_sequences_;
    std::vector<PlannedOperation> drop_routines_;
    std::vector<PlannedOperation> drop_types_;
    std::vector<PlannedOperation> create_routines_;
    std::vector<PlannedOperation> create_views_;
    std::vector<PlannedOperation> create_triggers_;
};

}  // namespace

std::vector<PlannedOperation> compare_schemas(const Schema& current, const Schema& desired,
                                              const dialect::Dialect& dialect) {
    return SchemaComparison(dialect).run(current, desired);
}

}  // namespace migrator::autogenerate
