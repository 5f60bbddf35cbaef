#pragma once
// One migration script as parsed from disk: header keys plus the two SQL sections.

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace migrator::script {

/// Whether a section runs inside the migration's transaction (`transaction=false` opts out).
enum class TransactionMode { Transactional, NonTransactional };

/// One SQL statement cut out of a section, with the 1-based line it starts on in the file.
struct Statement {
    std::string sql;
    std::size_t line = 0;
};

/// The body of `-- migrate:upgrade` or `-- migrate:downgrade`.
struct Section {
    std::string sql;       // raw text of the section, without the marker line
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
    std::filesystem::path path;  // where the script was read from
    Section upgrade;
    Section downgrade;
};

}  // namespace migrator::script
