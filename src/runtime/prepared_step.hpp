#pragma once
// One step of a plan ready to run: its script read, parsed and split, and its log line formatted.

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "script/script.hpp"

namespace migrator::runtime {

/// One step ready to run.
struct PreparedStep {
    std::string subject;       // "migration 0002_add_email.sql (3f2a9c1b7d4e)", for error messages
    std::string announcement;  // "Running upgrade 9b1c2d3e4f5a -> 3f2a9c1b7d4e, add email"
    std::vector<script::Statement> statements;  // the section's statements; none for a stamp
    script::TransactionMode transaction = script::TransactionMode::Transactional;
    std::optional<std::string>
        failure;  // set when the script could not be read, parsed or split; names the file
    std::optional<std::string> upgrade_checksum;    // of the script as run, for the history table
    std::optional<std::string> downgrade_checksum;  // none for a stamp
    bool placeholder_only = false;  // an upgrade section with nothing but the template's comment in it
};

/// The first steps of a plan, prepared, in plan order.
using PreparedSteps = std::deque<PreparedStep>;

}  // namespace migrator::runtime
