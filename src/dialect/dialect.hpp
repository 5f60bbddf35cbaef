#pragma once
// Where SQLite, PostgreSQL and MySQL differ: quoting, version-table DDL, transactions.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migrator::dialect {

/// The database families migrator speaks.
enum class DialectKind { Sqlite, Postgresql, Mysql };

/// A catalog query whose names are bound to its `?` placeholders, never spliced into the text.
struct CatalogQuery {
    std::string sql;
    std::vector<std::optional<std::string>> params;
    bool operator==(const CatalogQuery&) const = default;
};

/// SQL generation that differs per database. Stateless; one instance per kind.
class Dialect {
public:
    virtual ~Dialect() = default;

    /// The kind this dialect renders for.
    [[nodiscard]] virtual DialectKind kind() const = 0;
    /// Lower-case name as used in URLs and docs: "sqlite", "postgresql", "mysql".
    [[nodiscard]] virtual std::string_view name() const = 0;
    /// Whether DDL can be rolled back inside a transaction.
    [[nodiscard]] virtual bool transactional_ddl() const = 0;

    /// An identifier quoted for this database; throws Error if it cannot be a name.
    [[nodiscard]] virtual std::string quote_identifier(std::string_view name) const = 0;
    /// A string literal quoted for this database.
    [[nodiscard]] virtual std::string quote_literal(std::string_view value) const = 0;
    /// `schema.table` quoted, or just `table` when schema is empty.
    [[nodiscard]] virtual std::string qualified_name(std::string_view schema,
                                                     std::string_view table) const = 0;

    /// The statement that opens a transaction.
    [[nodiscard]] virtual std::string begin_transaction() const = 0;
    /// The statement that opens a transaction that will write, run on a live database. SQLite takes the
    /// write lock at once: its busy handler (?timeout=) is not called when a read lock must be upgraded.
    [[nodiscard]] virtual std::string begin_write_transaction() const { return begin_transaction(); }
    /// The statement that commits it.
    [[nodiscard]] virtual std::string commit_transaction() const { return "COMMIT"; }
    /// The statement that rolls it back.
    [[nodiscard]] virtual std::string rollback_transaction() const { return "ROLLBACK"; }

    /// DDL for the version table, shaped like alembic_version.
    [[nodiscard]] virtual std::string create_version_table(std::string_view schema,
                                                           std::string_view table) const = 0;
    /// A query returning one row when the version table exists, none otherwise; throws Error for a
    /// name that cannot be a table's.
    [[nodiscard]] virtual CatalogQuery version_table_exists(std::string_view schema,
                                                            std::string_view table) const = 0;
};

/// The dialect for a kind; the instances live for the whole program.
const Dialect& dialect_for(DialectKind kind);

}  // namespace migrator::dialect
