#pragma once
// What init, revision, merge and ensure_version created, for --format json.

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace migrator::render {

/// A script that revision or merge wrote.
struct NewScriptReport {
    std::string path;
    std::string revision;
    std::vector<std::string> down_revisions;
    std::string message;
};

/// Files, directories or tables a command created, and those it found and left alone.
struct ChangeReport {
    std::string command;
    std::vector<std::string> created;
    std::vector<std::string> existing;
    std::optional<NewScriptReport> script;  // revision and merge
    [[nodiscard]] bool changed() const { return !created.empty(); }
};

/// Prints the report as one JSON object with "schema_version".
void print_json(std::ostream& out, const ChangeReport& report);

}  // namespace migrator::render
