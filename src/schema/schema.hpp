#pragma once
// The schema model that autogenerate and the DDL renderers share: what the models declare and what a
// live database holds.
// Both sides are described with the same structs so that comparing them is plain data work.

#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace migrator::schema {

/// The portable column types of the model file; Raw carries one dialect's own type text.
enum class TypeKind {
    Integer,
    BigInt,
    SmallInt,
    Boolean,
    String,
    Text,
    Numeric,
    Float,
    Double,
    Date,
    Time,
    DateTime,
    Json,
    Blob,
    Uuid,
    Raw,
};

/// Whether a time or datetime carries a time zone.
enum class TimeZone { Without, With };

/// A column type: the kind plus the parameters that kind takes.
struct ColumnType {
    TypeKind kind = TypeKind::Integer;
    std::optional<int> length;               // String(n)
    std::optional<int> precision;            // Numeric(p, s)
    std::optional<int> scale;                // Numeric(p, s)
    TimeZone time_zone = TimeZone::Without;  // Time, DateTime
    std::string raw;                         // Raw: the type as the dialect spells it, e.g. "tsvector"
    bool operator==(const ColumnType&) const = default;
};

/// Whether a column accepts NULL.
enum class Nullability { Nullable, NotNull };

/// Whether the database generates the column's values (identity, AUTO_INCREMENT, AUTOINCREMENT). Serial is
/// PostgreSQL's serial / bigserial, a sequence owned by the column behind its nextval default, kept as such
/// so that the database matches a schema file loaded by psql; it compares equal to Yes.
enum class AutoIncrement { No, Yes, Serial };

/// One column of a table.
/// Where a generated column's value lives: computed when read, or written with the row.
enum class GeneratedStorage { Virtual, Stored };

/// GENERATED ALWAYS AS (expression): the expression as the database prints it back (SQLite: as written).
struct Generated {
    std::string expression;
    GeneratedStorage storage = GeneratedStorage::Stored;
    bool operator==(const Generated&) const = default;
};

struct Column {
    std::string name;
    ColumnType type;
    Nullability nullability = Nullability::Nullable;
    std::optional<std::string> server_default;  // an SQL expression: "0", "'draft'", "CURRENT_TIMESTAMP"
    AutoIncrement autoincrement = AutoIncrement::No;
    std::optional<std::string> comment;
    // COLLATE, as the database names it (SQLite's upper-cased); none: the type's or the table's default.
    std::optional<std::string> collation = std::nullopt;
    // PostgreSQL's SET STATISTICS; none: the server's default_statistics_target.
    std::optional<int> statistics_target = std::nullopt;
    // A generated column has no default: its value is the expression's.
    std::optional<Generated> generated = std::nullopt;
    bool operator==(const Column&) const = default;
};

/// The primary key; `name` is empty when the database or model gives none.
struct PrimaryKey {
    std::string name;
    std::vector<std::string> columns;
    // MySQL key prefix lengths as Index has them (a BLOB key column needs one); empty when none has one.
    std::vector<int> prefix_lengths = {};
    bool operator==(const PrimaryKey&) const = default;
};

/// When a constraint is checked: at each statement, or (PostgreSQL) at commit if the transaction asks or by
/// default.
enum class Deferral { NotDeferrable, InitiallyImmediate, InitiallyDeferred };

/// A UNIQUE constraint (as opposed to a unique index).
struct UniqueConstraint {
    std::string name;
    std::vector<std::string> columns;
    Deferral deferral = Deferral::NotDeferrable;
    bool operator==(const UniqueConstraint&) const = default;
};

/// Whether an index enforces uniqueness.
enum class IndexKind { Plain, Unique };

/// The order of one index column.
enum class SortOrder { Ascending, Descending };

/// An index created with CREATE [UNIQUE] INDEX.
struct Index {
    std::string name;
    std::vector<std::string> columns;
    IndexKind kind = IndexKind::Plain;
    // MySQL key prefix lengths, one per column (0: the whole column); empty when no column has one.
    std::vector<int> prefix_lengths;
    // An index its columns do not describe (partial, on expressions; on PostgreSQL also another method or
    // INCLUDE columns, an operator class, a sort order or NULLS FIRST; on SQLite an index COLLATE): its
    // whole CREATE INDEX statement as the database prints it (pg_get_indexdef without the schema's name,
    // sqlite_master.sql), compared and written as is. Empty otherwise.
    std::string definition;
    // One per column (DESC on SQLite and MySQL); empty when every column is ascending.
    std::vector<SortOrder> sort_orders = {};
    bool operator==(const Index&) const = default;
};

/// ON DELETE / ON UPDATE behaviour of a foreign key.
enum class ReferentialAction { NoAction, Restrict, Cascade, SetNull, SetDefault };

/// A foreign key from `columns` of this table to `referred_columns` of `referred_table`.
struct ForeignKey {
    std::string name;
    std::vector<std::string> columns;
    std::string referred_table;
    std::vector<std::string> referred_columns;
    ReferentialAction on_delete = ReferentialAction::NoAction;
    ReferentialAction on_update = ReferentialAction::NoAction;
    Deferral deferral = Deferral::NotDeferrable;
    // The referred table's schema; empty: the default schema.
    std::string referred_schema = {};
    bool operator==(const ForeignKey&) const = default;
};

/// A CHECK constraint; compared by name, since databases rewrite the expression text.
struct CheckConstraint {
    std::string name;
    std::string expression;
    bool operator==(const CheckConstraint&) const = default;
};

/// A table's name and, when it is not in the connection's default schema (PostgreSQL's current_schema(),
/// MySQL's DATABASE()), its schema.
struct TableName {
    std::string schema;  // empty: the default schema
    std::string name;
    bool operator==(const TableName&) const = default;
    friend bool operator<(const TableName& a, const TableName& b) {
        return std::tie(a.schema, a.name) < std::tie(b.schema, b.name);
    }

    /// "billing.invoices", or "invoices" in the default schema: for messages and listings.
    [[nodiscard]] std::string text() const;
};

/// One table with everything attached to it.
struct Table {
    std::string name;
    std::vector<Column> columns;
    std::optional<PrimaryKey> primary_key;
    std::vector<UniqueConstraint> uniques;
    std::vector<Index> indexes;
    std::vector<ForeignKey> foreign_keys;
    std::vector<CheckConstraint> checks;
    std::optional<std::string> comment;
    // MySQL: the table's default collation (and so its character set); none elsewhere.
    std::optional<std::string> collation = std::nullopt;
    // The options after CREATE TABLE's closing parenthesis, as it takes them: MySQL's engine and the others
    // ("ENGINE=InnoDB ROW_FORMAT=DYNAMIC"), SQLite's "WITHOUT ROWID" and "STRICT" ("WITHOUT ROWID, STRICT");
    // none on PostgreSQL.
    std::optional<std::string> options = std::nullopt;
    // The schema the table is in (include_schemas); empty: the default schema.
    std::string schema = {};
    bool operator==(const Table&) const = default;

    /// The column called `column_name`, or nullptr.
    [[nodiscard]] const Column* find_column(std::string_view column_name) const;

    /// The table's schema and name.
    [[nodiscard]] TableName qualified_name() const { return {schema, name}; }
};

/// An object of the database that the schema model does not describe (a view, a trigger, a routine...):
/// a comparison leaves it out and says so. `kind` is singular: "view", "trigger", "partial or expression
/// index".
struct UncomparedObject {
    std::string kind;
    std::string name;
    bool operator==(const UncomparedObject&) const = default;
    friend bool operator<(const UncomparedObject& a, const UncomparedObject& b) {
        return std::tie(a.kind, a.name) < std::tie(b.kind, b.name);
    }
};

/// A view's flavour: PostgreSQL's materialized views keep their rows.
enum class ViewKind { Plain, Materialized };

/// A view. `definition` is its query as the database prints it back (pg_get_viewdef,
/// information_schema.VIEWS without the database's own name, the text after AS in sqlite_master), so
/// that a view read back equals the one it was created from.
struct View {
    std::string name;
    std::string definition;
    ViewKind kind = ViewKind::Plain;
    std::vector<std::string> columns;  // SQLite's `CREATE VIEW v (a, b) AS`; empty: the query's names
    bool operator==(const View&) const = default;
};

/// Whether a routine is a function or a procedure.
enum class RoutineKind { Function, Procedure };

/// A function or procedure. `definition` is its whole CREATE statement as the database prints it back
/// (pg_get_functiondef without the schema's name, SHOW CREATE without the DEFINER clause); `signature`
/// tells PostgreSQL's overloads apart ("integer, text") and names them in DROP.
struct Routine {
    std::string name;
    RoutineKind kind = RoutineKind::Function;
    std::string signature;
    std::string definition;
    bool operator==(const Routine&) const = default;
};

/// A trigger on `table` (a table or a view). `definition` is its whole CREATE TRIGGER statement as the
/// database prints it back (pg_get_triggerdef, information_schema.TRIGGERS, sqlite_master).
struct Trigger {
    std::string name;
    std::string table;
    std::string definition;
    bool operator==(const Trigger&) const = default;
};

/// Whether a sequence starts again at its minimum after its maximum.
enum class SequenceCycle { NoCycle, Cycle };

/// A PostgreSQL sequence that no column owns (a serial or identity column's own comes with the column).
/// The numbers are as pg_sequences prints them, so that a sequence read back equals the one created.
struct Sequence {
    std::string name;
    std::string type = "bigint";
    std::string start = "1";
    std::string increment = "1";
    std::string min_value = "1";
    std::string max_value = "9223372036854775807";
    std::string cache = "1";
    SequenceCycle cycle = SequenceCycle::NoCycle;
    bool operator==(const Sequence&) const = default;
};

/// A PostgreSQL enum type: its labels in their sort order.
struct EnumType {
    std::string name;
    std::vector<std::string> labels;
    bool operator==(const EnumType&) const = default;
};

/// Whether a column holds one value of an enum type or an array of them.
enum class EnumColumnShape { Scalar, Array };

/// A column of an enum type, with the default that a type made again must set again.
struct EnumColumn {
    std::string table;
    std::string column;
    EnumColumnShape shape = EnumColumnShape::Scalar;
    std::optional<std::string> server_default;
    bool operator==(const EnumColumn&) const = default;
};

/// A whole schema: the tables in declaration (or catalog) order, then the views, routines, triggers,
/// sequences and enum types.
struct Schema {
    std::vector<Table> tables;
    std::vector<View> views;
    std::vector<Routine> routines;
    std::vector<Trigger> triggers;
    std::vector<Sequence> sequences = {};
    std::vector<EnumType> enum_types = {};
    bool operator==(const Schema&) const = default;

    /// The table called `table_name` in the default schema, or nullptr.
    [[nodiscard]] const Table* find_table(std::string_view table_name) const;

    /// The table called `table_name.name` in `table_name.schema`, or nullptr.
    [[nodiscard]] const Table* find_table(const TableName& table_name) const;

    /// The view called `view_name`, or nullptr.
    [[nodiscard]] const View* find_view(std::string_view view_name) const;
};

/// "integer", "string(255)", "numeric(10, 2)", "timestamp with time zone", "raw tsvector": for messages.
std::string describe_type(const ColumnType& type);

}  // namespace migrator::schema
