#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "ddl_renderers.hpp"
#include "dialect/ddl.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace migrator::dialect::ddl {

namespace {

using namespace schema;

class MysqlRenderer : StatementWriter {
public:
    explicit MysqlRenderer(const Dialect& dialect) : StatementWriter(dialect) {}

    std::vector<std::string> render(const Operation& operation) {
        std::visit(
            Overloaded{
                [&](const CreateTable& op) { create_table(op.table); },
                [&](const DropTable& op) { drop_table(op.table.qualified_name()); },
                [&](const AddColumn& op) {
                    emit("{} ADD COLUMN {}", alter(op.table), column_definition(op.column));
                },
                [&](const DropColumn& op) { drop_column(op.table, op.column.name); },
                // MODIFY replaces the whole definition: what it leaves out (a default, a comment) is removed.
                [&](const AlterColumn& op) {
                    emit("{} MODIFY COLUMN {}", alter(op.table), column_definition(op.to));
                },
                [&](const AlterPrimaryKey& op) {
                    // One statement, so that an AUTO_INCREMENT column is never left without a key.
                    std::vector<std::string> changes;
                    if (op.from) changes.emplace_back("DROP PRIMARY KEY");
                    if (op.to) {
                        changes.push_back("ADD PRIMARY KEY " +
                                          key_columns(dialect_, op.to->columns, op.to->prefix_lengths));
                    }
                    if (!changes.empty()) emit("{} {}", alter(op.table), util::join(changes));
                },
                [&](const CreateIndex& op) { create_index(op.table, op.index); },
                [&](const DropIndex& op) {
                    emit("DROP INDEX {} ON {}", quote(op.index.name), table_sql(op.table));
                },
                [&](const AddUnique& op) {
                    add_constraint(op.table, unique_definition(dialect_, op.constraint));
                },
                // A UNIQUE constraint is an index on MySQL.
                [&](const DropUnique& op) {
                    emit("{} DROP INDEX {}", alter(op.table),
                         quote(named(op.table, op.constraint.name, "unique")));
                },
                [&](const AddForeignKey& op) {
                    add_constraint(op.table, foreign_key_definition(dialect_, op.foreign_key));
                },
                // MySQL keeps the index it created for the key under the key's name; it goes too (MariaDB's
                // IF EXISTS: an index the models declared was used instead and has its own name).
                [&](const DropForeignKey& op) {
                    const auto name = quote(named(op.table, op.foreign_key.name, "foreign key"));
                    emit("{} DROP FOREIGN KEY {}", alter(op.table), name);
                    emit("{} DROP INDEX IF EXISTS {}", alter(op.table), name);
                },
                [&](const AddCheck& op) { add_constraint(op.table, check_definition(dialect_, op.check)); },
                // DROP CONSTRAINT works on MariaDB and MySQL 8.0.19+; DROP CHECK is MySQL-only.
                [&](const DropCheck& op) {
                    emit("{} DROP CONSTRAINT {}", alter(op.table),
                         quote(named(op.table, op.check.name, "check")));
                },
                [&](const AlterTableComment& op) {
                    emit("{} COMMENT = {}", alter(op.table), dialect_.quote_literal(op.to.value_or("")));
                },
                [&](const CreateSequence& op) {
                    emit("CREATE SEQUENCE {} {}", quote(op.sequence.name), sequence_options(op.sequence));
                },
                [&](const DropSequence& op) { emit("DROP SEQUENCE {}", quote(op.sequence.name)); },
                [&](const AlterSequence& op) {
                    emit("ALTER SEQUENCE {} {}", quote(op.to.name), sequence_options(op.to));
                },
                // MySQL has no enum types of its own (an ENUM column's type names its labels), so no
                // comparison makes these.
                [](const CreateEnumType&) { unsupported("enum types"); },
                [](const DropEnumType&) { unsupported("enum types"); },
                [](const AlterEnumType&) { unsupported("enum types"); },
                [&](const AlterTableOptions& op) { alter_options(op); },
                // The database's default when the models name none.
                [&](const AlterTableCollation& op) {
                    emit("{} DEFAULT COLLATE = {}", alter(op.table), op.to.value_or("DEFAULT"));
                },
                [&](const CreateView& op) { create_view(op.view); },
                [&](const DropView& op) { drop_view(op.view); },
                // The body's BEGIN ... END stays whole in the script splitter, without DELIMITER.
                [&](const CreateRoutine& op) { emit("{}", op.routine.definition); },
                [&](const DropRoutine& op) {
                    emit("DROP {} {}", op.routine.kind == RoutineKind::Procedure ? "PROCEDURE" : "FUNCTION",
                         quote(op.routine.name));
                },
                [&](const CreateTrigger& op) { emit("{}", op.trigger.definition); },
                [&](const DropTrigger& op) { emit("DROP TRIGGER {}", quote(op.trigger.name)); },
            },
            operation);
        return take_statements();
    }

private:
    // The options `to` sets, and DEFAULT for each one `from` had that `to` does not name.
    void alter_options(const AlterTableOptions& op) {
        const auto options_of = [](const std::optional<std::string>& options) {
            std::vector<std::pair<std::string, std::string>> found;  // key, "KEY=value"
            if (!options) return found;
            for (auto option : util::split_list(*options, ' ')) {
                const auto equals = option.find('=');
                if (equals != std::string::npos)
                    found.emplace_back(option.substr(0, equals), std::move(option));
            }
            return found;
        };
        const auto wanted = options_of(op.to);
        std::vector<std::string> changes;
        changes.reserve(wanted.size());
        for (const auto& [key, option] : wanted) changes.push_back(option);
        for (const auto& [key, option] : options_of(op.from)) {
            const bool named = std::any_of(wanted.begin(), wanted.end(),
                                           [&key = key](const auto& other) { return other.first == key; });
            if (!named) changes.push_back(key + "=DEFAULT");
        }
        if (!changes.empty()) emit("{} {}", alter(op.table), util::join(changes, " "));
    }

    // MariaDB's: every option written out, without AS (a MariaDB 10.11 sequence is a BIGINT). A cache of 0 is
    // NOCACHE, as SHOW CREATE SEQUENCE prints it: a Galera cluster refuses any other cache.
    static std::string sequence_options(const Sequence& sequence) {
        return fmt::format("INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} {} {}", sequence.increment,
                           sequence.min_value, sequence.max_value, sequence.start,
                           sequence.cache == "0" ? std::string("NOCACHE") : "CACHE " + sequence.cache,
                           sequence.cycle == SequenceCycle::Cycle ? "CYCLE" : "NOCYCLE");
    }

    [[noreturn]] static void unsupported(std::string_view what) {
        throw Error(fmt::format("{} are not generated on mysql; write them in the migration by hand", what));
    }

    static std::string_view named(const TableName& table, std::string_view name, std::string_view what) {
        if (name.empty()) {
            throw Error(
                fmt::format("cannot drop an unnamed {} constraint of table {} on mysql", what, table.text()));
        }
        return name;
    }

    std::string column_definition(const Column& column) const {
        std::string definition = quote(column.name) + " " + render_type(dialect_, column.type);
        if (column.collation) definition += " COLLATE " + *column.collation;
        // MariaDB takes neither NOT NULL nor a default on a generated column.
        if (column.generated) {
            definition += " " + generated_clause(*column.generated);
        } else {
            if (column.nullability == Nullability::NotNull) definition += " NOT NULL";
            if (column.server_default) definition += " DEFAULT " + default_value_sql(*column.server_default);
        }
        if (column.autoincrement == AutoIncrement::Yes) definition += " AUTO_INCREMENT";
        if (column.comment) definition += " COMMENT " + dialect_.quote_literal(*column.comment);
        return definition;
    }

    void create_table(const Table& table) {
        std::vector<std::string> definitions;
        for (const auto& column : table.columns) definitions.push_back(column_definition(column));
        // MySQL names every primary key PRIMARY.
        for (auto& line :
             table_constraints(dialect_, table, PrimaryKeyClause::Written, PrimaryKeyName::Omitted)) {
            definitions.push_back(std::move(line));
        }
        std::string suffix = table.options ? " " + *table.options : "";
        if (table.collation) suffix += " DEFAULT COLLATE = " + *table.collation;
        if (table.comment) suffix += " COMMENT = " + dialect_.quote_literal(*table.comment);
        create_table_statement(table.qualified_name(), definitions, suffix);
        create_indexes(table);
    }
};

}  // namespace

std::vector<std::string> mysql_statements(const Dialect& dialect, const Operation& operation) {
    return MysqlRenderer(dialect).render(operation);
}

}  // namespace migrator::dialect::ddl
