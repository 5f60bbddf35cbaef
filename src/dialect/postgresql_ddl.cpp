#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "ddl_renderers.hpp"
#include "dialect/ddl.hpp"
#include "util/error.hpp"

namespace migrator::dialect::ddl {

namespace {

using namespace schema;

class PostgresqlRenderer : StatementWriter {
public:
    explicit PostgresqlRenderer(const Dialect& dialect) : StatementWriter(dialect) {}

    std::vector<std::string> render(const Operation& operation) {
        std::visit(
            Overloaded{
                [&](const CreateTable& op) { create_table(op.table); },
                [&](const DropTable& op) { drop_table(op.table.qualified_name()); },
                [&](const AddColumn& op) {
                    emit("{} ADD COLUMN {}", alter(op.table), column_definition(op.column));
                    if (op.column.comment) column_comment(op.table, op.column);
                    if (op.column.statistics_target) statistics_target(op.table, op.column);
                },
                [&](const DropColumn& op) { drop_column(op.table, op.column.name); },
                [&](const AlterColumn& op) { alter_column(op); },
                [&](const AlterPrimaryKey& op) {
                    if (op.from) {
                        const std::string name =
                            op.from->name.empty() ? op.table.name + "_pkey" : op.from->name;
                        emit("{} DROP CONSTRAINT {}", alter(op.table), quote(name));
                    }
                    if (op.to) {
                        emit("{} ADD {}PRIMARY KEY {}", alter(op.table),
                             constraint_prefix(dialect_, op.to->name),
                             quoted_columns(dialect_, op.to->columns));
                    }
                },
                [&](const CreateIndex& op) { create_index(op.table, op.index); },
                [&](const DropIndex& op) {
                    emit("DROP INDEX {}", dialect_.qualified_name(op.table.schema, op.index.name));
                },
                [&](const AddUnique& op) {
                    add_constraint(op.table, unique_definition(dialect_, op.constraint));
                },
                [&](const DropUnique& op) { drop_constraint(op.table, op.constraint.name, "unique"); },
                [&](const AddForeignKey& op) {
                    add_constraint(op.table, foreign_key_definition(dialect_, op.foreign_key));
                },
                [&](const DropForeignKey& op) {
                    drop_constraint(op.table, op.foreign_key.name, "foreign key");
                },
                [&](const AddCheck& op) { add_constraint(op.table, check_definition(dialect_, op.check)); },
                [&](const DropCheck& op) { drop_constraint(op.table, op.check.name, "check"); },
                [&](const AlterTableComment& op) { table_comment(op.table, op.to); },
                // Only MySQL tables have a collation and options of their own.
                [](const AlterTableCollation&) {},
                [](const AlterTableOptions&) {},
                [&](const CreateSequence& op) {
                    emit("CREATE SEQUENCE {} {}", quote(op.sequence.name), sequence_options(op.sequence));
                },
                [&](const DropSequence& op) { emit("DROP SEQUENCE {}", quote(op.sequence.name)); },
                [&](const AlterSequence& op) {
                    emit("ALTER SEQUENCE {} {}", quote(op.to.name), sequence_options(op.to));
                },
                [&](const CreateEnumType& op) { create_enum_type(op.type); },
                [&](const DropEnumType& op) { emit("DROP TYPE {}", quote(op.type.name)); },
                [&](const AlterEnumType& op) { alter_enum_type(op); },
                [&](const CreateView& op) { create_view(op.view); },
                [&](const DropView& op) { drop_view(op.view); },
                [&](const CreateRoutine& op) { emit("{}", op.routine.definition); },
                [&](const DropRoutine& op) {
                    emit("DROP {} {}({})",
                         op.routine.kind == RoutineKind::Procedure ? "PROCEDURE" : "FUNCTION",
                         quote(op.routine.name), op.routine.signature);
                },
                [&](const CreateTrigger& op) { emit("{}", op.trigger.definition); },
                [&](const DropTrigger& op) {
                    emit("DROP TRIGGER {} ON {}", quote(op.trigger.name), quote(op.trigger.table));
                },
            },
            operation);
        return take_statements();
    }

private:
    // Every option written out, so that the sequence does not depend on the defaults of the server's version.
    static std::string sequence_options(const Sequence& sequence) {
        return fmt::format("AS {} INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {} {}",
                           sequence.type, sequence.increment, sequence.min_value, sequence.max_value,
                           sequence.start, sequence.cache,
                           sequence.cycle == SequenceCycle::Cycle ? "CYCLE" : "NO CYCLE");
    }

    void create_enum_type(const EnumType& type) {
        std::vector<std::string> labels;
        labels.reserve(type.labels.size());
        for (const auto& label : type.labels) labels.push_back(dialect_.quote_literal(label));
        emit("CREATE TYPE {} AS ENUM ({})", quote(type.name), fmt::join(labels, ", "));
    }

    // Labels are added in place where ADD VALUE can put them. Removing or moving one needs the type made
    // again: the old one renamed, its columns converted through text (their defaults, bound to the old type,
    // dropped and set again), and then dropped.
    void alter_enum_type(const AlterEnumType& op) {
        const auto name = quote(op.to.name);
        if (op.only_adds_labels()) {
            const auto& labels = op.to.labels;
            for (std::size_t i = 0; i < labels.size(); ++i) {
                const auto& from = op.from.labels;
                if (std::find(from.begin(), from.end(), labels[i]) != from.end()) continue;
                const auto label = dialect_.quote_literal(labels[i]);
                if (i > 0) {
                    emit("ALTER TYPE {} ADD VALUE {} AFTER {}", name, label,
                         dialect_.quote_literal(labels[i - 1]));
                } else if (!from.empty()) {
                    emit("ALTER TYPE {} ADD VALUE {} BEFORE {}", name, label,
                         dialect_.quote_literal(from.front()));
                } else {
                    emit("ALTER TYPE {} ADD VALUE {}", name, label);
                }
            }
            return;
        }
        const auto old_name = op.set_aside_name.empty() ? op.to.name + "_old" : op.set_aside_name;
        emit("ALTER TYPE {} RENAME TO {}", name, quote(old_name));
        create_enum_type(op.to);
        for (const auto& column : op.columns) {
            const auto altered =
                fmt::format("{} ALTER COLUMN {}", alter(TableName{{}, column.table}), quote(column.column));
            if (column.server_default) emit("{} DROP DEFAULT", altered);
            if (column.shape == EnumColumnShape::Array) {
                emit("{} TYPE {}[] USING {}::text[]::{}[]", altered, name, quote(column.column), name);
            } else {
                emit("{} TYPE {} USING {}::text::{}", altered, name, quote(column.column), name);
            }
            if (column.server_default) emit("{} SET DEFAULT {}", altered, *column.server_default);
        }
        emit("DROP TYPE {}", quote(old_name));
    }

    std::string comment_literal(const std::optional<std::string>& comment) const {
        return comment ? dialect_.quote_literal(*comment) : std::string("NULL");
    }

    std::string column_definition(const Column& column) const {
        std::string definition = quote(column.name) + " " + column_type(column);
        if (column.collation) definition += " COLLATE " + quote(*column.collation);
        if (column.nullability == Nullability::NotNull) definition += " NOT NULL";
        if (column.generated) return definition + " " + generated_clause(*column.generated);
        // An identity column cannot also have a default; a serial one has its own.
        if (column.autoincrement == AutoIncrement::Serial) return definition;
        if (column.autoincrement == AutoIncrement::Yes) {
            definition += " GENERATED BY DEFAULT AS IDENTITY";
        } else if (column.server_default) {
            definition += " DEFAULT " + *column.server_default;
        }
        return definition;
    }

    // SERIAL / BIGSERIAL / SMALLSERIAL for a serial integer column (its sequence and default come with it).
    std::string column_type(const Column& column) const {
        if (column.autoincrement == AutoIncrement::Serial) {
            switch (column.type.kind) {
                case TypeKind::Integer:
                    return "SERIAL";
                case TypeKind::BigInt:
                    return "BIGSERIAL";
                case TypeKind::SmallInt:
                    return "SMALLSERIAL";
                default:
                    break;
            }
        }
        return render_type(dialect_, column.type);
    }

    // The sequence serial creates for table.column, as PostgreSQL names it.
    static std::string serial_sequence(std::string_view table, std::string_view column) {
        return fmt::format("{}_{}_seq", table, column);
    }

    void create_table(const Table& table) {
        std::vector<std::string> definitions;
        for (const auto& column : table.columns) definitions.push_back(column_definition(column));
        for (auto& line :
             table_constraints(dialect_, table, PrimaryKeyClause::Written, PrimaryKeyName::Written)) {
            definitions.push_back(std::move(line));
        }
        const auto name = table.qualified_name();
        create_table_statement(name, definitions);
        if (table.comment) table_comment(name, table.comment);
        for (const auto& column : table.columns) {
            if (column.comment) column_comment(name, column);
            if (column.statistics_target) statistics_target(name, column);
        }
        create_indexes(table);
    }

    void alter_column(const AlterColumn& op) {
        const Column& from = op.from;
        const Column& to = op.to;
        const std::string column = fmt::format("{} ALTER COLUMN {}", alter(op.table), quote(to.name));
        const bool type_changed = render_type(dialect_, from.type) != render_type(dialect_, to.type);
        const bool collation_changed = from.collation != to.collation;
        const bool identity_dropped =
            from.autoincrement == AutoIncrement::Yes && to.autoincrement == AutoIncrement::No;
        const bool identity_added =
            from.autoincrement == AutoIncrement::No && to.autoincrement == AutoIncrement::Yes;
        const bool serial_dropped =
            from.autoincrement == AutoIncrement::Serial && to.autoincrement == AutoIncrement::No;
        const bool serial_added =
            from.autoincrement == AutoIncrement::No && to.autoincrement == AutoIncrement::Serial;
        const auto from_default =
            from.autoincrement != AutoIncrement::No ? std::nullopt : from.server_default;
        const auto to_default = to.autoincrement != AutoIncrement::No ? std::nullopt : to.server_default;
        const auto sequence_name = serial_sequence(op.table.name, to.name);
        const auto sequence = dialect_.qualified_name(op.table.schema, sequence_name);
        // The old default may not cast to the new type, so it is dropped first and set again after.
        const bool default_dropped = from_default && (from_default != to_default || type_changed);
        const bool default_set = to_default && (from_default != to_default || type_changed);

        if (identity_dropped) emit("{} DROP IDENTITY", column);
        if (serial_dropped) {
            emit("{} DROP DEFAULT", column);
            emit("DROP SEQUENCE {}", sequence);
        }
        if (default_dropped) emit("{} DROP DEFAULT", column);
        // A collation changes only with the type, and "default" is the type's own.
        if (type_changed || collation_changed) {
            const std::string type = render_type(dialect_, to.type);
            const std::string collation =
                !collation_changed ? std::string()
                                   : " COLLATE " + quote(to.collation.value_or(std::string("default")));
            // A generated column's value is computed again; it takes no USING.
            if (to.generated) {
                emit("{} TYPE {}{}", column, type, collation);
            } else {
                emit("{} TYPE {}{} USING {}::{}", column, type, collation, quote(to.name), type);
            }
        }
        if (from.nullability != to.nullability) {
            emit("{} {} NOT NULL", column, to.nullability == Nullability::NotNull ? "SET" : "DROP");
        }
        if (default_set) emit("{} SET DEFAULT {}", column, *to_default);
        if (identity_added) emit("{} ADD GENERATED BY DEFAULT AS IDENTITY", column);
        if (serial_added) {
            emit("CREATE SEQUENCE {} AS {} OWNED BY {}.{}", sequence, render_type(dialect_, to.type),
                 table_sql(op.table), quote(to.name));
            emit("{} SET DEFAULT nextval({})", column,
                 dialect_.quote_literal(op.table.schema.empty() ? sequence_name : sequence));
        }
        if (from.comment != to.comment) column_comment(op.table, to);
        if (from.statistics_target != to.statistics_target) statistics_target(op.table, to);
    }

    void drop_constraint(const TableName& table, std::string_view name, std::string_view what) {
        if (name.empty()) {
            throw Error(fmt::format("cannot drop an unnamed {} constraint of table {} on postgresql", what,
                                    table.text()));
        }
        emit("{} DROP CONSTRAINT {}", alter(table), quote(name));
    }

    void table_comment(const TableName& table, const std::optional<std::string>& comment) {
        emit("COMMENT ON TABLE {} IS {}", table_sql(table), comment_literal(comment));
    }

    // -1 sets the server's default_statistics_target again.
    void statistics_target(const TableName& table, const Column& column) {
        emit("{} ALTER COLUMN {} SET STATISTICS {}", alter(table), quote(column.name),
             column.statistics_target.value_or(-1));
    }

    void column_comment(const TableName& table, const Column& column) {
        emit("COMMENT ON COLUMN {}.{} IS {}", table_sql(table), quote(column.name),
             comment_literal(column.comment));
    }
};

}  // namespace

std::vector<std::string> postgresql_statements(const Dialect& dialect, const Operation& operation) {
    return PostgresqlRenderer(dialect).render(operation);
}

}  // namespace migrator::dialect::ddl
