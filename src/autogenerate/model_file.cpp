// The YAML model file: one walk over the tree into a Schema. The first problem found ends the walk
// with "<source>:<line>: <table/column/key>: <what is wrong>". Names the file leaves out are derived
// from the table and columns as agreed for autogenerate (docs/models.md). The field checks are in
// model_fields, the type grammar in column_type_parser; this file is the reader, kept whole (just over 500
// lines) because each YAML section's walk is short and they share the position-reporting helpers.

#include "autogenerate/model_file.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <utility>

#include "autogenerate/column_type_parser.hpp"
#include "dialect/builtin_dialects.hpp"
#include "model_fields.hpp"
#include "util/ascii.hpp"
#include "util/strings.hpp"

namespace migrator::autogenerate {

using namespace schema;
using namespace model_fields;

namespace {

using dialect::DialectKind;

constexpr std::size_t hashed_prefix_length = dialect::max_identifier_length - 9;  // + "_" + 8 hex digits

constexpr std::array<std::string_view, 2> file_keys{"tables", "enum_types"};
constexpr std::array<std::string_view, 2> enum_type_keys{"name", "labels"};
constexpr std::array<std::string_view, 9> table_keys{
    "name", "schema", "comment", "columns", "primary_key", "unique", "indexes", "foreign_keys", "checks"};
constexpr std::array<std::string_view, 16> column_keys{
    "name",    "type",       "sqlite_type", "postgresql_type", "mysql_type",    "nullable",
    "default", "comment",    "collation",   "primary_key",     "autoincrement", "unique",
    "index",   "references", "on_delete",   "on_update"};
constexpr std::array<std::string_view, 2> named_columns_keys{"name", "columns"};  // primary_key, unique
constexpr std::array<std::string_view, 3> index_keys{"name", "columns", "unique"};
constexpr std::array<std::string_view, 5> foreign_key_keys{"name", "columns", "references", "on_delete",
                                                           "on_update"};
constexpr std::array<std::string_view, 3> reference_keys{"schema", "table", "columns"};
constexpr std::array<std::string_view, 2> check_keys{"name", "expression"};

// Names no longer than PostgreSQL accepts; a longer one keeps its start and gains a hash of the whole.
std::string fit_name(const std::string& full) {
    if (full.size() <= dialect::max_identifier_length) return full;
    std::uint32_t hash = 2166136261U;  // 32-bit FNV-1a
    for (const char c : full) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 16777619U;
    }
    return fmt::format("{}_{:08x}", full.substr(0, hashed_prefix_length), hash);
}

std::string joined_name(std::string_view prefix, std::string_view table,
                        const std::vector<std::string>& columns) {
    std::string name = std::string(prefix) + "_" + std::string(table);
    for (const auto& column : columns) name += "_" + column;
    return name;
}

// ---- types

ColumnType parse_type(const YAML::Node& node, const Scope& scope) {
    auto type = parse_column_type(non_empty_text(node, scope, "type"));
    if (!type) scope.fail_at(node, type.error().message);
    return std::move(type).value();
}

std::string_view raw_type_key(DialectKind dialect) {
    switch (dialect) {
        case DialectKind::Sqlite:
            return "sqlite_type";
        case DialectKind::Postgresql:
            return "postgresql_type";
        case DialectKind::Mysql:
            return "mysql_type";
    }
    return "sqlite_type";
}

bool is_integer_kind(TypeKind kind) {
    return kind == TypeKind::Integer || kind == TypeKind::BigInt || kind == TypeKind::SmallInt;
}

// ---- tables

// A column plus what it declares about the table's keys.
struct ColumnDraft {
    Column column;
    int line = 1;
    bool in_primary_key = false;
    std::optional<int> nullable_line;  // where `nullable: true` was written
    bool unique = false;
    bool indexed = false;
    std::optional<YAML::Node> references;
    ReferentialAction on_delete = ReferentialAction::NoAction;
    ReferentialAction on_update = ReferentialAction::NoAction;
};

// A foreign key whose referred table and columns are checked once every table is read.
struct PendingReference {
    std::size_t table_index;
    std::size_t key_index;
    Scope scope;
    YAML::Node table_node;
    std::vector<YAML::Node> column_nodes;
};

// A constraint or index name and where it was declared, for duplicate checks.
struct NameUse {
    std::string kind;  // "index", "unique constraint"...
    int line;
    std::string table;
};

void require_columns_exist(const std::vector<NamedColumn>& columns, const Table& table, const Scope& scope) {
    std::vector<std::string_view> candidates;
    for (const auto& column : table.columns) candidates.push_back(column.name);
    for (const auto& column : columns) {
        if (table.find_column(column.name) == nullptr) {
            scope.fail_at(column.node, "no column " + quoted(column.name) + " in table " +
                                           quoted(table.name) + did_you_mean(column.name, candidates));
        }
    }
}

// A column's collation as the database names it: SQLite's upper-cased, with BINARY, its default, as none.
std::optional<std::string> declared_collation(const YAML::Node& node, const Scope& scope,
                                              DialectKind dialect) {
    auto collation = std::string(util::trim(non_empty_text(node, scope, "collation")));
    if (dialect != DialectKind::Sqlite) return collation;
    collation = util::to_upper(collation);
    if (collation == "BINARY") return std::nullopt;
    return collation;
}

class ModelReader {
public:
    explicit ModelReader(DialectKind dialect) : dialect_(dialect) {}

    Schema read(const YAML::Node& root) {
        const Scope file_scope{"model file", line_of(root, 1)};
        if (!root.IsMap())
            file_scope.fail_at(root, "must be a mapping with a 'tables' list, not " + shape_of(root));
        const Fields fields(root, file_keys, file_scope);
        if (!fields.has("tables"))
            file_scope.fail("missing 'tables' (write 'tables: []' for an empty schema)");
        if (const auto types = fields.get("enum_types")) read_enum_types(*types, file_scope);
        const auto tables = fields.get("tables");
        if (!tables) return schema_;  // `tables:` with nothing after it
        if (!tables->IsSequence())
            file_scope.fail_at(*tables, "'tables' must be a list of tables, not " + shape_of(*tables));
        std::size_t position = 0;
        for (const auto& table : *tables) read_table(table, ++position);
        for (const auto& pending : pending_references_) check_reference(pending);
        return std::move(schema_);
    }

private:
    void read_enum_types(const YAML::Node& node, const Scope& file_scope) {
        if (dialect_ != DialectKind::Postgresql) {
            file_scope.fail_at(node,
                               "'enum_types': only PostgreSQL has enum types (a MySQL ENUM column names "
                               "its labels in mysql_type)");
        }
        if (!node.IsSequence())
            file_scope.fail_at(node, "'enum_types' must be a list of types, not " + shape_of(node));
        std::map<std::string, int> lines;
        std::size_t position = 0;
        for (const auto& entry : node) {
            Fields fields(entry, enum_type_keys,
                          Scope{fmt::format("enum type #{}", ++position), line_of(entry, 1)});
            EnumType type;
            type.name = identifier(fields.require("name"), fields.scope(), "name");
            fields.rename_scope("enum type " + quoted(type.name));
            const auto& scope = fields.scope();
            if (const auto first = lines.find(type.name); first != lines.end())
                scope.fail(fmt::format("duplicate enum type (first declared on line {})", first->second));
            lines.emplace(type.name, scope.line);
            const auto labels = fields.require("labels");
            if (!labels.IsSequence())
                scope.fail_at(labels, "'labels' must be a list, not " + shape_of(labels));
            for (const auto& label_node : labels) {
                auto label = non_empty_text(label_node, scope, "labels");
                if (std::find(type.labels.begin(), type.labels.end(), label) != type.labels.end())
                    scope.fail_at(label_node, "duplicate label " + quoted(label));
                type.labels.push_back(std::move(label));
            }
            schema_.enum_types.push_back(std::move(type));
        }
    }

    void read_table(const YAML::Node& node, std::size_t position) {
        Fields fields(node, table_keys, Scope{fmt::format("table #{}", position), line_of(node, 1)});
        Table table;
        table.name = identifier(fields.require("name"), fields.scope(), "name");
        if (const auto schema_node = fields.get("schema"))
            table.schema = identifier(*schema_node, fields.scope(), "schema");
        table_schema_ = table.schema;
        const auto qualified = table.qualified_name().text();
        fields.rename_scope("table " + quoted(qualified));
        const auto& scope = fields.scope();
        if (const auto first = tables_by_name_.find(qualified); first != tables_by_name_.end()) {
            scope.fail(fmt::format("duplicate table (first declared on line {})", first->second.line));
        }
        tables_by_name_.emplace(qualified, DeclaredTable{scope.line, schema_.tables.size()});
        table.comment = optional_comment(fields);

        const auto columns = fields.require("columns");
        if (!columns.IsSequence())
            scope.fail_at(columns, "'columns' must be a list of columns, not " + shape_of(columns));
        if (columns.size() == 0) scope.fail_at(columns, "'columns' must list at least one column");
        std::vector<ColumnDraft> drafts;
        std::size_t column_position = 0;
        for (const auto& column : columns) {
            drafts.push_back(read_column(column, table.name, ++column_position, drafts));
            table.columns.push_back(drafts.back().column);
        }

        names_.clear();
        read_primary_key(fields, drafts, table);
        read_uniques(fields, drafts, table);
        read_indexes(fields, drafts, table);
        schema_.tables.push_back(std::move(table));
        // Foreign keys register pending checks that point into schema_.tables.
        read_foreign_keys(fields, drafts, schema_.tables.back());
        read_checks(fields, schema_.tables.back());
    }

    ColumnDraft read_column(const YAML::Node& node, const std::string& table, std::size_t position,
                            const std::vector<ColumnDraft>& earlier) {
        Fields fields(node, column_keys,
                      Scope{fmt::format("table {}, column #{}", quoted(table), position), line_of(node, 1)});
        ColumnDraft draft;
        draft.line = fields.scope().line;
        auto& column = draft.column;
        column.name = identifier(fields.require("name"), fields.scope(), "name");
        fields.rename_scope("column " + quoted(table + "." + column.name));
        const auto& scope = fields.scope();
        for (const auto& other : earlier) {
            if (other.column.name == column.name) {
                scope.fail(fmt::format("duplicate column (first declared on line {})", other.line));
            }
        }

        std::optional<ColumnType> portable;
        if (const auto type = fields.get("type")) portable = parse_type(*type, scope);
        const auto raw_key = raw_type_key(dialect_);
        for (const auto key : {"sqlite_type", "postgresql_type", "mysql_type"}) {
            const auto raw = fields.get(key);
            if (!raw) continue;
            auto raw_text = std::string(util::trim(non_empty_text(*raw, scope, key)));
            if (key == raw_key) {
                column.type.kind = TypeKind::Raw;
                column.type.raw = std::move(raw_text);
            }
        }
        if (column.type.kind != TypeKind::Raw) {
            if (!portable) scope.fail("missing 'type' (or '" + std::string(raw_key) + "' for this dialect)");
            column.type = *portable;
        }

        if (const auto nullable = fields.get("nullable")) {
            const bool accepts_null = flag(*nullable, scope, "nullable");
            column.nullability = accepts_null ? Nullability::Nullable : Nullability::NotNull;
            if (accepts_null) draft.nullable_line = line_of(*nullable, scope.line);
        }
        if (const auto value = fields.get("default"))
            column.server_default = default_expression(*value, scope);
        column.comment = optional_comment(fields);
        if (const auto collation = fields.get("collation"))
            column.collation = declared_collation(*collation, scope, dialect_);
        if (const auto primary = fields.get("primary_key"); primary && flag(*primary, scope, "primary_key")) {
            draft.in_primary_key = true;
        }
        if (const auto autoincrement = fields.get("autoincrement")) {
            if (flag(*autoincrement, scope, "autoincrement")) {
                if (!portable || !is_integer_kind(portable->kind)) {
                    scope.fail_at(*autoincrement,
                                  "autoincrement needs 'type' integer, bigint or smallint, not " +
                                      (portable ? quoted(describe_type(*portable)) : "a raw type"));
                }
                column.autoincrement = AutoIncrement::Yes;
            }
        }
        if (const auto unique = fields.get("unique")) draft.unique = flag(*unique, scope, "unique");
        if (const auto index = fields.get("index")) draft.indexed = flag(*index, scope, "index");
        draft.references = fields.get("references");
        for (const auto key : {"on_delete", "on_update"}) {
            const auto action = fields.get(key);
            if (!action) continue;
            if (!draft.references) scope.fail_at(*action, quoted(key) + " needs 'references'");
            const auto value = referential_action(*action, scope, key);
            if (std::string_view(key) == "on_delete") {
                draft.on_delete = value;
            } else {
                draft.on_update = value;
            }
        }
        return draft;
    }

    void read_primary_key(const Fields& fields, const std::vector<ColumnDraft>& drafts, Table& table) {
        PrimaryKey key;
        int line = fields.scope().line;
        for (const auto& draft : drafts) {
            if (draft.in_primary_key) key.columns.push_back(draft.column.name);
        }
        if (const auto node = fields.get("primary_key")) {
            const Scope scope{"table " + quoted(table.name) + ", primary key", line_of(*node, line)};
            if (!key.columns.empty()) {
                scope.fail("declared both in 'primary_key' and with 'primary_key: true' on column(s) " +
                           util::join(key.columns));
            }
            std::vector<NamedColumn> columns;
            if (node->IsMap()) {
                const Fields key_fields(*node, named_columns_keys, scope);
                if (const auto name = key_fields.get("name")) key.name = identifier(*name, scope, "name");
                columns = column_names(key_fields.require("columns"), scope, "columns");
            } else {
                columns = column_names(*node, scope, "primary_key");
            }
            require_columns_exist(columns, table, scope);
            key.columns = names_of(columns);
            line = scope.line;
        }
        if (key.columns.empty()) return;
        if (key.name.empty()) key.name = fit_name("pk_" + table.name);
        const auto in_key = [&](const std::string& column) {
            return std::find(key.columns.begin(), key.columns.end(), column) != key.columns.end();
        };
        for (const auto& draft : drafts) {
            if (draft.nullable_line && in_key(draft.column.name)) {
                throw ModelError{*draft.nullable_line, "column " +
                                                           quoted(table.name + "." + draft.column.name) +
                                                           ": a primary-key column cannot be nullable"};
            }
        }
        for (auto& column : table.columns) {
            if (in_key(column.name)) column.nullability = Nullability::NotNull;
        }
        claim_name(key.name, "primary key", line, table.name);
        table.primary_key = std::move(key);
    }

    void read_uniques(const Fields& fields, const std::vector<ColumnDraft>& drafts, Table& table) {
        for (const auto& draft : drafts) {
            if (!draft.unique) continue;
            UniqueConstraint unique{fit_name(joined_name("uq", table.name, {draft.column.name})),
                                    {draft.column.name}};
            claim_name(unique.name, "unique constraint", draft.line, table.name);
            table.uniques.push_back(std::move(unique));
        }
        const auto list = fields.get("unique");
        if (!list) return;
        for_each_item(*list, fields.scope(), "unique", [&](const YAML::Node& node, std::size_t position) {
            const Scope positional{fmt::format("table {}, unique #{}", quoted(table.name), position),
                                   line_of(node, 1)};
            Fields item(node, named_columns_keys, positional);
            auto columns = column_names(item.require("columns"), item.scope(), "columns");
            UniqueConstraint unique{explicit_or(item, joined_name("uq", table.name, names_of(columns))),
                                    names_of(columns)};
            item.rename_scope("table " + quoted(table.name) + ", unique " + quoted(unique.name));
            require_columns_exist(columns, table, item.scope());
            claim_name(unique.name, "unique constraint", item.scope().line, table.name);
            table.uniques.push_back(std::move(unique));
        });
    }

    void read_indexes(const Fields& fields, const std::vector<ColumnDraft>& drafts, Table& table) {
        for (const auto& draft : drafts) {
            if (!draft.indexed) continue;
            Index index{fit_name(joined_name("ix", table.name, {draft.column.name})),
                        {draft.column.name},
                        IndexKind::Plain,
                        {},
                        {}};
            claim_name(index.name, "index", draft.line, table.name);
            table.indexes.push_back(std::move(index));
        }
        const auto list = fields.get("indexes");
        if (!list) return;
        for_each_item(*list, fields.scope(), "indexes", [&](const YAML::Node& node, std::size_t position) {
            const Scope positional{fmt::format("table {}, index #{}", quoted(table.name), position),
                                   line_of(node, 1)};
            Fields item(node, index_keys, positional);
            auto columns = column_names(item.require("columns"), item.scope(), "columns");
            Index index{explicit_or(item, joined_name("ix", table.name, names_of(columns))),
                        names_of(columns),
                        IndexKind::Plain,
                        {},
                        {}};
            item.rename_scope("table " + quoted(table.name) + ", index " + quoted(index.name));
            if (const auto unique = item.get("unique"); unique && flag(*unique, item.scope(), "unique")) {
                index.kind = IndexKind::Unique;
            }
            require_columns_exist(columns, table, item.scope());
            claim_name(index.name, "index", item.scope().line, table.name);
            table.indexes.push_back(std::move(index));
        });
    }

    void read_foreign_keys(const Fields& fields, const std::vector<ColumnDraft>& drafts, Table& table) {
        const std::size_t table_index = schema_.tables.size() - 1;
        for (const auto& draft : drafts) {
            if (!draft.references) continue;
            const Scope scope{"column " + quoted(table.name + "." + draft.column.name),
                              line_of(*draft.references, draft.line)};
            const auto target = non_empty_text(*draft.references, scope, "references");
            std::vector<std::string> parts(1);
            for (const char c : target) {
                if (c == '.') {
                    parts.emplace_back();
                } else {
                    parts.back() += c;
                }
            }
            const bool empty_part =
                std::any_of(parts.begin(), parts.end(), [](const std::string& part) { return part.empty(); });
            if (parts.size() < 2 || parts.size() > 3 || empty_part) {
                scope.fail("'references' must be written table.column or schema.table.column, got " +
                           quoted(target));
            }
            ForeignKey key;
            key.columns = {draft.column.name};
            if (parts.size() == 3) key.referred_schema = parts[0];
            key.referred_table = parts[parts.size() - 2];
            key.referred_columns = {parts.back()};
            key.name = fit_name(joined_name("fk", table.name, key.columns) + "_" + key.referred_table);
            key.on_delete = draft.on_delete;
            key.on_update = draft.on_update;
            claim_name(key.name, "foreign key", scope.line, table.name);
            pending_references_.push_back(
                {table_index, table.foreign_keys.size(), scope, *draft.references, {*draft.references}});
            table.foreign_keys.push_back(std::move(key));
        }
        const auto list = fields.get("foreign_keys");
        if (!list) return;
        for_each_item(
            *list, fields.scope(), "foreign_keys", [&](const YAML::Node& node, std::size_t position) {
                const Scope positional{fmt::format("table {}, foreign key #{}", quoted(table.name), position),
                                       line_of(node, 1)};
                Fields item(node, foreign_key_keys, positional);
                auto columns = column_names(item.require("columns"), item.scope(), "columns");
                const auto references = item.require("references");
                Fields target(references, reference_keys,
                              Scope{positional.what + ", references", line_of(references, 1)});
                ForeignKey key;
                const auto table_node = target.require("table");
                key.referred_table = identifier(table_node, target.scope(), "table");
                if (const auto schema_node = target.get("schema"))
                    key.referred_schema = identifier(*schema_node, target.scope(), "schema");
                key.columns = names_of(columns);
                key.name =
                    explicit_or(item, joined_name("fk", table.name, key.columns) + "_" + key.referred_table);
                item.rename_scope("table " + quoted(table.name) + ", foreign key " + quoted(key.name));
                const auto& scope = item.scope();
                require_columns_exist(columns, table, scope);
                const auto referred_node = target.require("columns");
                const auto referred = column_names(referred_node, scope, "references.columns");
                key.referred_columns = names_of(referred);
                if (referred.size() != columns.size()) {
                    scope.fail_at(referred_node,
                                  fmt::format("'columns' lists {} column(s) but 'references' lists {}",
                                              columns.size(), referred.size()));
                }
                if (const auto action = item.get("on_delete"))
                    key.on_delete = referential_action(*action, scope, "on_delete");
                if (const auto action = item.get("on_update"))
                    key.on_update = referential_action(*action, scope, "on_update");
                claim_name(key.name, "foreign key", scope.line, table.name);
                std::vector<YAML::Node> column_nodes;
                column_nodes.reserve(referred.size());
                for (const auto& column : referred) column_nodes.push_back(column.node);
                pending_references_.push_back(
                    {table_index, table.foreign_keys.size(), scope, table_node, column_nodes});
                table.foreign_keys.push_back(std::move(key));
            });
    }

    void read_checks(const Fields& fields, Table& table) {
        const auto list = fields.get("checks");
        if (!list) return;
        for_each_item(*list, fields.scope(), "checks", [&](const YAML::Node& node, std::size_t position) {
            const Scope positional{fmt::format("table {}, check #{}", quoted(table.name), position),
                                   line_of(node, 1)};
            Fields item(node, check_keys, positional);
            CheckConstraint check;
            check.name = explicit_or(item, fmt::format("ck_{}_{}", table.name, position));
            item.rename_scope("table " + quoted(table.name) + ", check " + quoted(check.name));
            check.expression = non_empty_text(item.require("expression"), item.scope(), "expression");
            claim_name(check.name, "check", item.scope().line, table.name);
            table.checks.push_back(std::move(check));
        });
    }

    template <class ReadItem>
    static void for_each_item(const YAML::Node& list, const Scope& scope, std::string_view key,
                              ReadItem read_item) {
        if (!list.IsSequence()) scope.fail_at(list, quoted(key) + " must be a list, not " + shape_of(list));
        std::size_t position = 0;
        for (const auto& node : list) read_item(node, ++position);
    }

    // The name written in `item`, or the derived one fitted to 63 characters.
    static std::string explicit_or(const Fields& item, const std::string& derived) {
        if (const auto name = item.get("name")) return identifier(*name, item.scope(), "name");
        return fit_name(derived);
    }

    // Names are unique within a table; index, unique and primary-key names also across tables, since
    // PostgreSQL and SQLite keep indexes in one namespace per schema.
    void claim_name(const std::string& name, std::string kind, int line, const std::string& table) {
        const auto clash = [&](const NameUse& first) {
            throw ModelError{
                line, fmt::format("table {}, {} {}: name already used by the {} on line {}{}", quoted(table),
                                  kind, quoted(name), first.kind, first.line,
                                  first.table == table ? "" : " (table " + quoted(first.table) + ")")};
        };
        if (const auto found = names_.find(name); found != names_.end()) clash(found->second);
        const bool schema_wide = kind == "index" || kind == "unique constraint" || kind == "primary key";
        if (schema_wide) {
            const auto key = TableName{table_schema_, name}.text();
            if (const auto found = index_names_.find(key); found != index_names_.end()) clash(found->second);
            index_names_.emplace(key, NameUse{kind, line, table});
        }
        names_.emplace(name, NameUse{std::move(kind), line, table});
    }

    void check_reference(const PendingReference& pending) const {
        const auto& key = schema_.tables[pending.table_index].foreign_keys[pending.key_index];
        const auto referred_name = TableName{key.referred_schema, key.referred_table}.text();
        const auto declared = tables_by_name_.find(referred_name);
        if (declared == tables_by_name_.end()) {
            std::vector<std::string> names;
            for (const auto& [name, table] : tables_by_name_) names.push_back(name);
            const std::vector<std::string_view> candidates(names.begin(), names.end());
            pending.scope.fail_at(pending.table_node, "refers to table " + quoted(referred_name) +
                                                          ", which the models do not declare" +
                                                          did_you_mean(referred_name, candidates));
        }
        const auto* referred = &schema_.tables[declared->second.index];
        std::vector<std::string_view> candidates;
        for (const auto& column : referred->columns) candidates.push_back(column.name);
        for (std::size_t i = 0; i < key.referred_columns.size(); ++i) {
            const auto& column = key.referred_columns[i];
            if (referred->find_column(column) == nullptr) {
                pending.scope.fail_at(pending.column_nodes[i],
                                      "refers to " + quoted(referred->name + "." + column) +
                                          ", which does not exist" + did_you_mean(column, candidates));
            }
        }
    }

    DialectKind dialect_;
    Schema schema_;
    struct DeclaredTable {
        int line;
        std::size_t index;  // into schema_.tables
    };
    std::map<std::string, DeclaredTable, std::less<>> tables_by_name_;
    std::map<std::string, NameUse, std::less<>> names_;        // of the table being read
    std::map<std::string, NameUse, std::less<>> index_names_;  // per schema, "schema.name"
    std::string table_schema_;                                 // of the table being read
    std::vector<PendingReference> pending_references_;
};

}  // namespace

Expected<Schema> parse_model_file(std::string_view yaml_text, std::string_view source_name,
                                  dialect::DialectKind dialect) {
    const std::string source(source_name);
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml_text));
    } catch (const YAML::Exception& error) {
        const int line = error.mark.is_null() ? 1 : error.mark.line + 1;
        return fail(fmt::format("{}:{}: invalid YAML: {}", source, line, error.msg));
    }
    try {
        return ModelReader(dialect).read(root);
    } catch (const ModelError& error) {
        return fail(fmt::format("{}:{}: {}", source, error.line, error.message));
    } catch (const YAML::Exception& error) {
        // Not expected once the text parsed; kept so that a yaml-cpp surprise still names the file.
        return fail(
            fmt::format("{}:{}: {}", source, error.mark.is_null() ? 1 : error.mark.line + 1, error.msg));
    }
}

}  // namespace migrator::autogenerate
