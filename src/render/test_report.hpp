#pragma once
// What `migrator test` found: the graph checks, each revision's round trip, and the first failure.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "schema/operations.hpp"

namespace migrator::render {

/// The check that failed, in the order `test` runs them.
enum class TestCheck {
    Heads,           // more than one head without --allow-multiple-heads
    Scripts,         // a script of the range does not parse or split
    Upgrade,         // a revision's upgrade failed
    Downgrade,       // its downgrade failed
    SchemaRestored,  // the downgrade left the schema different from before the upgrade
    Reupgrade,       // the upgrade failed when run again after its downgrade
    EndToEnd,        // downgrading the whole range, or upgrading it again, failed or changed the schema
};

/// A stable snake_case name for JSON: "heads", "scripts", "upgrade", "downgrade", "schema_restored"...
std::string_view check_name(TestCheck check);

/// The first failure; `revision` and `path` are empty for a check of the whole graph.
struct TestFailure {
    TestCheck check = TestCheck::Heads;
    std::string revision;
    std::string path;
    std::string message;
    /// For SchemaRestored and EndToEnd: what would turn the schema after the downgrade back into the schema
    /// before the upgrade, in `check`'s words; objects the inspector does not read are named in `message`.
    std::vector<schema::PlannedOperation> differences;
};

/// The result of `migrator test`.
struct TestReport {
    std::string scratch;  // where it ran: "a SQLite temporary file", "PostgreSQL database migrator_test_..."
    std::vector<std::string> heads;
    std::size_t revisions = 0;    // in the tested range
    std::size_t round_trips = 0;  // revisions whose round trip passed
    bool end_to_end = false;      // the range downgraded and upgraded again as single runs
    std::optional<TestFailure> failure;
    std::int64_t duration_ms = 0;
    [[nodiscard]] bool passed() const { return !failure.has_value(); }
};

/// A summary line on success; on failure "FAILED: <check> ..." with the differences below it.
void print_text(std::ostream& out, const TestReport& report);

/// One JSON object with "schema_version" (docs/json.md).
void print_json(std::ostream& out, const TestReport& report);

}  // namespace migrator::render
