#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "ddl_renderers.hpp"
#include "dialect/builtin_dialects.hpp"
#include "dialect/ddl.hpp"
#include "util/ascii.hpp"
#include "util/strings.hpp"

namespace migrator::dialect::ddl {

namespace {

using namespace schema;

bool contains(const std::vector<std::string>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

using util::to_upper;

// ALTER TABLE ADD COLUMN refuses CURRENT_* and parenthesised expressions as defaults.
bool constant_default(std::string_view expression) {
    const std::string text = to_upper(util::trim(expression));
    return !text.starts_with('(') && text != "CURRENT_TIME" && text != "CURRENT_DATE" &&
           text != "CURRENT_TIMESTAMP";
}

// Whether `expression` mentions `column` as a whole word (checks are not parsed, so this errs towards yes).
bool mentions(std::string_view expression, std::string_view column) {
    const std::string haystack = to_upper(expression);
    const std::string needle = to_upper(column);
    const auto word = [](char c) { return util::is_alnum(c) || c == '_'; };
    for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) {
        const bool starts = at == 0 || !word(haystack[at - 1]);
        const auto end = at + needle.size();
        if (starts && (end == haystack.size() || !word(haystack[end]))) return true;
    }
    return false;
}

// Where an AUTOINCREMENT key is declared: SQLite only accepts it on the column itself.
enum class KeyPlacement { TableConstraint, InlineAutoincrement };

bool inline_autoincrement(const Table& table, const Column& column) {
    return column.autoincrement == AutoIncrement::Yes && column.type.kind == TypeKind::Integer &&
           table.primary_key && table.primary_key->columns == std::vector<std::string>{column.name};
}

class SqliteRenderer : StatementWriter {
public:
    SqliteRenderer(const Dialect& dialect, const Schema& before, const Schema& after,
                   const std::vector<PlannedOperation>& operations)
        : StatementWriter(dialect), before_(before), after_(after), operations_(operations) {}

    std::vector<std::string> render() {
        // Which tables are rebuilt (or, when new, created in their final shape) instead of altered.
        std::set<std::string> rebuilt;
        for (const auto& planned : operations_) {
            const std::string& table = table_of(planned.operation);
            if (needs_rebuild(planned.operation) && after_.find_table(table) != nullptr)
                rebuilt.insert(table);
        }
        std::set<std::string> written;
        for (const auto& planned : operations_) {
            const std::string& name = table_of(planned.operation);
            const Table* before = before_.find_table(name);
            const Table* after = after_.find_table(name);
            if (rebuilt.contains(name) && !std::holds_alternative<DropTable>(planned.operation)) {
                const bool created = before == nullptr;
                // A new table is written once, at its CreateTable, in its final shape.
                if (written.contains(name) ||
                    (created && !std::holds_alternative<CreateTable>(planned.operation))) {
                    continue;
                }
                written.insert(name);
                for (const auto& other : operations_) {
                    if (table_of(other.operation) == name)
                        append_review_notes(statements_, other.review_notes);
                }
                if (created) {
                    create_table(*after, after->name);
                } else {
                    rebuild(*before, *after);
                }
                continue;
            }
            append_review_notes(statements_, planned.review_notes);
            // What is left needing a rebuild belongs to a table that is dropped anyway.
            if (!needs_rebuild(planned.operation)) render_directly(planned.operation);
        }
        return take_statements();
    }

private:
    bool needs_rebuild(const Operation& operation) const {
        return std::visit(
            Overloaded{
                [](const AlterColumn& op) {
                    Column from = op.from;
                    from.comment = op.to.comment;  // SQLite keeps no comments
                    return from != op.to;
                },
                [](const AlterPrimaryKey&) { return true; },
                [](const AddUnique&) { return true; },
                [](const DropUnique&) { return true; },
                [](const AddForeignKey&) { return true; },
                [](const DropForeignKey&) { return true; },
                [](const AddCheck&) { return true; },
                [](const DropCheck&) { return true; },
                // WITHOUT ROWID and STRICT are fixed when the table is created.
                [](const AlterTableOptions&) { return true; },
                [](const AddColumn& op) {
                    const Column& column = op.column;
                    if (column.autoincrement == AutoIncrement::Yes) return true;
                    // ADD COLUMN takes a VIRTUAL generated column, not a STORED one.
                    if (column.generated) return column.generated->storage == GeneratedStorage::Stored;
                    if (!column.server_default) return column.nullability == Nullability::NotNull;
                    return !constant_default(*column.server_default);
                },
                [&](const DropColumn& op) { return column_is_constrained(op.table, op.column.name); },
                [](const auto&) { return false; },
            },
            operation);
    }

    // SQLite's DROP COLUMN refuses a column that a key, constraint or surviving index uses.
    bool column_is_constrained(const TableName& table_name, const std::string& column) const {
        const Table* table = before_.find_table(table_name);
        if (table == nullptr) return false;
        if (table->primary_key && contains(table->primary_key->columns, column)) return true;
        for (const auto& unique : table->uniques) {
            if (contains(unique.columns, column)) return true;
        }
        for (const auto& fk : table->foreign_keys) {
            if (contains(fk.columns, column)) return true;
        }
        for (const auto& check : table->checks) {
            if (mentions(check.expression, column)) return true;
        }
        for (const auto& other : table->columns) {
            if (other.generated && other.name != column && mentions(other.generated->expression, column))
                return true;
        }
        for (const auto& index : table->indexes) {
            if (contains(index.columns, column) && !index_dropped(table_name, index.name)) return true;
        }
        return false;
    }

    bool index_dropped(const TableName& table, const std::string& index) const {
        return std::any_of(operations_.begin(), operations_.end(), [&](const PlannedOperation& planned) {
            const auto* drop = std::get_if<DropIndex>(&planned.operation);
            return drop != nullptr && drop->table == table && drop->index.name == index;
        });
    }

    void render_directly(const Operation& operation) {
        std::visit(Overloaded{
                       [&](const CreateTable& op) { create_table(op.table, op.table.name); },
                       [&](const DropTable& op) { drop_table(op.table.qualified_name()); },
                       [&](const AddColumn& op) {
                           emit("{} ADD COLUMN {}", alter(op.table),
                                column_definition(op.column, KeyPlacement::TableConstraint));
                       },
                       [&](const DropColumn& op) { drop_column(op.table, op.column.name); },
                       [&](const CreateIndex& op) { create_index(op.table, op.index); },
                       [&](const DropIndex& op) { emit("DROP INDEX {}", quote(op.index.name)); },
                       [&](const CreateView& op) { create_view(op.view); },
                       [&](const DropView& op) { drop_view(op.view); },
                       [&](const CreateTrigger& op) { emit("{}", op.trigger.definition); },
                       [&](const DropTrigger& op) { emit("DROP TRIGGER {}", quote(op.trigger.name)); },
                       // Comments: SQLite has none.
                       [](const auto&) {},
                   },
                   operation);
    }

    std::string column_definition(const Column& column, KeyPlacement placement) const {
        std::string definition = quote(column.name) + " " + render_type(dialect_, column.type);
        if (column.collation) definition += " COLLATE " + quote(*column.collation);
        if (column.nullability == Nullability::NotNull) definition += " NOT NULL";
        if (placement == KeyPlacement::InlineAutoincrement) return definition + " PRIMARY KEY AUTOINCREMENT";
        if (column.generated) return definition + " " + generated_clause(*column.generated);
        if (column.server_default) definition += " DEFAULT " + default_value_sql(*column.server_default);
        return definition;
    }

    void create_table(const Table& table, std::string_view created_name) {
        std::vector<std::string> definitions;
        bool key_inline = false;
        for (const auto& column : table.columns) {
            const bool inline_key = inline_autoincrement(table, column);
            key_inline = key_inline || inline_key;
            definitions.push_back(column_definition(
                column, inline_key ? KeyPlacement::InlineAutoincrement : KeyPlacement::TableConstraint));
        }
        const auto clause = key_inline ? PrimaryKeyClause::Omitted : PrimaryKeyClause::Written;
        for (auto& line : table_constraints(dialect_, table, clause, PrimaryKeyName::Written)) {
            definitions.push_back(std::move(line));
        }
        create_table_statement(TableName{table.schema, std::string(created_name)}, definitions,
                               table.options ? " " + *table.options : "");
        if (created_name == table.name) create_indexes(table);
    }

    // The table-recreate sequence: the rows of the shared columns survive; the old indexes go with
    // the old table and the new shape's are created on the renamed one.
    void rebuild(const Table& before, const Table& after) {
        std::string temporary = "_migrator_tmp_" + after.name;
        if (temporary.size() > max_identifier_length) temporary.resize(max_identifier_length);
        create_table(after, temporary);
        std::vector<std::string> shared;
        // A generated column computes its own values: nothing is copied into it.
        for (const auto& column : after.columns) {
            if (before.find_column(column.name) != nullptr && !column.generated)
                shared.push_back(column.name);
        }
        if (!shared.empty()) {
            const std::string columns = quoted_columns(dialect_, shared);
            emit("INSERT INTO {} {} SELECT {} FROM {}", quote(temporary), columns,
                 columns.substr(1, columns.size() - 2), quote(before.name));
        }
        drop_table(before.qualified_name());
        emit("ALTER TABLE {} RENAME TO {}", quote(temporary), quote(after.name));
        create_indexes(after);
    }

    const Schema& before_;
    const Schema& after_;
    const std::vector<PlannedOperation>& operations_;
};

}  // namespace

std::vector<std::string> sqlite_statements(const Dialect& dialect, const Schema& before, const Schema& after,
                                           const std::vector<PlannedOperation>& operations) {
    return SqliteRenderer(dialect, before, after, operations).render();
}

}  // namespace migrator::dialect::ddl
