#pragma once
// One migration script as parsed from disk: header keys plus the two SQL sections.

#include <cstddef>
#include <string>
#include <vector>

namespace migrator::script {

/// Whether a section runs inside the migration's transaction (`transaction=false` opts out).
enum class TransactionMode { Transactional, NonTransactional };

/// Whether a script holds its SQL sections' text, or left it in its file until a migration runs
/// (load_scripts does, so that 10,000 scripts cost their headers only).
enum class SqlBodies { InMemory, InFile };

/// One SQL statement cut out of a section, with the 1-based line it starts on in the file.
struct Statement {
    std::string sql;
    std::size_t line = 0;
};

/// The body of `-- migrate:upgrade` or `-- migrate:downgrade`.
struct Section {
    std::string sql;       // raw text of the section, without the marker line; empty under SqlBodies::InFile
    std::size_t line = 0;  // 1-based line of the marker in the file
    TransactionMode transaction = TransactionMode::Transactional;
};

/// A migration script: the header keys keep Alembic's meaning.
struct Script {
    std::string revision;                     // 12 lowercase hex characters by default
    std::vector<std::string> down_revisions;  // empty for a base, several for a merge point
    std::vector<std::string> branch_labels;
    std::vector<std::string> depends_on;  // revision ids or branch labels
    std::string message;
    std::string create_date;
    std::string
        path;  // where the script was read from (a plain string: a path object stores every component)
    Section upgrade;
    Section downgrade;
    SqlBodies bodies = SqlBodies::InMemory;  // InFile: read the sections with parse_sql_bodies
};

}  // namespace migrator::script
