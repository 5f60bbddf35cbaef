#pragma once
// The schema changes autogenerate produces and dialect/ renders as DDL, each carrying enough to be
// inverted exactly.

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "schema/schema.hpp"

namespace migrator::schema {

/// CREATE TABLE with its columns, keys, constraints and indexes.
struct CreateTable {
    Table table;
    bool operator==(const CreateTable&) const = default;
};
/// DROP TABLE; the whole definition is kept so that the inverse can recreate it.
struct DropTable {
    Table table;
    bool operator==(const DropTable&) const = default;
};
/// ALTER TABLE ... ADD COLUMN.
struct AddColumn {
    TableName table;
    Column column;
    bool operator==(const AddColumn&) const = default;
};
/// ALTER TABLE ... DROP COLUMN.
struct DropColumn {
    TableName table;
    Column column;
    bool operator==(const DropColumn&) const = default;
};
/// A change of type, nullability, server default or comment; `from` and `to` share the name.
struct AlterColumn {
    TableName table;
    Column from;
    Column to;
    bool operator==(const AlterColumn&) const = default;
};
/// A primary key added, dropped or changed (either side may be absent).
struct AlterPrimaryKey {
    TableName table;
    std::optional<PrimaryKey> from;
    std::optional<PrimaryKey> to;
    bool operator==(const AlterPrimaryKey&) const = default;
};
/// CREATE [UNIQUE] INDEX.
struct CreateIndex {
    TableName table;
    Index index;
    bool operator==(const CreateIndex&) const = default;
};
/// DROP INDEX.
struct DropIndex {
    TableName table;
    Index index;
    bool operator==(const DropIndex&) const = default;
};
/// ADD CONSTRAINT ... UNIQUE.
struct AddUnique {
    TableName table;
    UniqueConstraint constraint;
    bool operator==(const AddUnique&) const = default;
};
/// DROP CONSTRAINT of a UNIQUE.
struct DropUnique {
    TableName table;
    UniqueConstraint constraint;
    bool operator==(const DropUnique&) const = default;
};
/// ADD CONSTRAINT ... FOREIGN KEY.
struct AddForeignKey {
    TableName table;
    ForeignKey foreign_key;
    bool operator==(const AddForeignKey&) const = default;
};
/// DROP CONSTRAINT of a FOREIGN KEY.
struct DropForeignKey {
    TableName table;
    ForeignKey foreign_key;
    bool operator==(const DropForeignKey&) const = default;
};
/// ADD CONSTRAINT ... CHECK.
struct AddCheck {
    TableName table;
    CheckConstraint check;
    bool operator==(const AddCheck&) const = default;
};
/// DROP CONSTRAINT of a CHECK.
struct DropCheck {
    TableName table;
    CheckConstraint check;
    bool operator==(const DropCheck&) const = default;
};
/// A table comment set, changed or removed.
struct AlterTableComment {
    TableName table;
    std::optional<std::string> from;
    std::optional<std::string> to;
    bool operator==(const AlterTableComment&) const = default;
};

/// CREATE [MATERIALIZED] VIEW.
struct CreateView {
    View view;
    bool operator==(const CreateView&) const = default;
};
/// DROP [MATERIALIZED] VIEW; the definition is kept so that the inverse can recreate it.
struct DropView {
    View view;
    bool operator==(const DropView&) const = default;
};

/// CREATE FUNCTION / PROCEDURE.
struct CreateRoutine {
    Routine routine;
    bool operator==(const CreateRoutine&) const = default;
};
/// DROP FUNCTION / PROCEDURE; the definition is kept for the inverse.
struct DropRoutine {
    Routine routine;
    bool operator==(const DropRoutine&) const = default;
};
/// CREATE TRIGGER.
struct CreateTrigger {
    Trigger trigger;
    bool operator==(const CreateTrigger&) const = default;
};
/// DROP TRIGGER; the definition is kept for the inverse.
struct DropTrigger {
    Trigger trigger;
    bool operator==(const DropTrigger&) const = default;
};

/// MySQL: a table's default collation changed (its columns keep theirs; each is an AlterColumn).
struct AlterTableCollation {
    TableName table;
    std::optional<std::string> from;
    std::optional<std::string> to;
    bool operator==(const AlterTableCollation&) const = default;
};

/// MySQL: a table's engine or options changed.
struct AlterTableOptions {
    TableName table;
    std::optional<std::string> from;
    std::optional<std::string> to;
    bool operator==(const AlterTableOptions&) const = default;
};

/// CREATE SEQUENCE.
struct CreateSequence {
    Sequence sequence;
    bool operator==(const CreateSequence&) const = default;
};

/// DROP SEQUENCE; the definition is kept for the inverse.
struct DropSequence {
    Sequence sequence;
    bool operator==(const DropSequence&) const = default;
};

/// ALTER SEQUENCE to another type, increment, bounds, start, cache or cycle; `from` and `to` share the name.
struct AlterSequence {
    Sequence from;
    Sequence to;
    bool operator==(const AlterSequence&) const = default;
};

/// CREATE TYPE ... AS ENUM.
struct CreateEnumType {
    EnumType type;
    bool operator==(const CreateEnumType&) const = default;
};

/// DROP TYPE; the labels are kept for the inverse.
struct DropEnumType {
    EnumType type;
    bool operator==(const DropEnumType&) const = default;
};

/// Labels added in place (ALTER TYPE ... ADD VALUE) when `from`'s keep their order in `to`; otherwise the
/// type is made again and `columns`, those of the type before the change, are converted to it through text.
struct AlterEnumType {
    EnumType from;
    EnumType to;
    std::vector<EnumColumn> columns;
    /// What the old type is renamed to while a type that loses or moves a label is made again: no table,
    /// view, sequence or type of either schema has it. Empty: `<name>_old`.
    std::string set_aside_name = {};
    bool operator==(const AlterEnumType&) const = default;

    /// Whether `to` keeps every label of `from`, in the same order, so that labels are only added.
    [[nodiscard]] bool only_adds_labels() const;
};

/// One schema change.
using Operation =
    std::variant<CreateTable, DropTable, AddColumn, DropColumn, AlterColumn, AlterPrimaryKey, CreateIndex,
                 DropIndex, AddUnique, DropUnique, AddForeignKey, DropForeignKey, AddCheck, DropCheck,
                 AlterTableComment, CreateView, DropView, CreateRoutine, DropRoutine, CreateTrigger,
                 DropTrigger, AlterTableCollation, CreateSequence, DropSequence, AlterSequence,
                 AlterTableOptions, CreateEnumType, DropEnumType, AlterEnumType>;

/// An operation plus what a human should review before running it (may lose data, may be a rename...).
struct PlannedOperation {
    Operation operation;
    std::vector<std::string> review_notes;
    bool operator==(const PlannedOperation&) const = default;
};

/// The exact inverse of one operation (CreateTable <-> DropTable, AlterColumn with from/to swapped...).
Operation invert(const Operation& operation);

/// The inverse of a whole list: each operation inverted, in reverse order. Review notes are dropped.
std::vector<PlannedOperation> invert(const std::vector<PlannedOperation>& operations);

/// One line for listings and `check`: "add column users.email", "drop table audit_log".
std::string describe(const Operation& operation);

/// The table an operation touches, as TableName::text writes it (a view's, routine's, trigger's,
/// sequence's or type's operations: that object's name).
std::string table_of(const Operation& operation);

}  // namespace migrator::schema
