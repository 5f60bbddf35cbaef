#pragma once
// The audit table beside the version table (migrator_history): one row per step that ran, written with
// the step's version-table change. The version table keeps Alembic's shape; this one is migrator's own.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/connection.hpp"
#include "dialect/dialect.hpp"
#include "migrator/results.hpp"
#include "runtime/version_table.hpp"

namespace migrator::runtime {

/// What a history row records; its text is the `direction` column.
enum class HistoryDirection { Upgrade, Downgrade, Stamp, Accept };

/// Whether the step committed.
enum class HistoryOutcome { Success, Failed };

/// "upgrade", "downgrade", "stamp", "accept".
std::string_view direction_name(HistoryDirection direction);

/// One row to write.
struct HistoryRecord {
    std::string revision;
    HistoryDirection direction = HistoryDirection::Upgrade;
    std::optional<std::string> upgrade_checksum;    // "sha256:<hex>"; none for a stamp
    std::optional<std::string> downgrade_checksum;  // likewise
    std::string started_at;                         // UTC, ISO-8601 with milliseconds
    std::int64_t duration_ms = 0;
    HistoryOutcome outcome = HistoryOutcome::Success;
    std::optional<std::string> error;
    std::string actor;  // user@host, or MIGRATOR_ACTOR
};

/// The checksums a revision was last applied (or accepted) with.
struct RecordedChecksums {
    std::optional<std::string> upgrade;
    std::optional<std::string> downgrade;
};

/// Reads and writes the history table through a Connection.
class HistoryTable {
public:
    /// `schema` may be empty (the version table's schema); names are checked by the dialect.
    HistoryTable(db::Connection& connection, const dialect::Dialect& dialect, std::string schema,
                 std::string table, Mode mode = Mode::Online);

    /// Whether the table exists (online only).
    [[nodiscard]] bool exists();
    /// Creates the table when missing; offline, always emits a CREATE TABLE IF NOT EXISTS.
    void ensure();
    /// Inserts one row with bound parameters.
    void record(const HistoryRecord& record);
    /// Rows newest first, at most `limit` (0: all), only `revision`'s when given; none when the table is
    /// missing.
    [[nodiscard]] std::vector<HistoryEntry> rows(std::size_t limit,
                                                 const std::optional<std::string>& revision);
    /// For each revision, the checksums of its latest successful upgrade or accept row that has them.
    [[nodiscard]] std::map<std::string, RecordedChecksums> recorded_checksums();

    /// The schema-qualified, quoted table name.
    [[nodiscard]] std::string qualified_name() const;

private:
    db::Connection& connection_;
    const dialect::Dialect& dialect_;
    std::string schema_;
    std::string table_;
    Mode mode_;
};

/// Now in UTC as "YYYY-MM-DDTHH:MM:SS.mmmZ".
std::string utc_timestamp_now();

}  // namespace migrator::runtime
