#pragma once
// Checks a plan's scripts before any of them runs, so that a malformed one leaves the database (and the
// --sql output) untouched rather than stopping the run halfway.

#include <cstddef>
#include <memory>

#include "dialect/dialect.hpp"
#include "runtime/plan.hpp"
#include "util/expected.hpp"

namespace migrator::script {
class ScriptFiles;
class ScriptSequence;
}  // namespace migrator::script

namespace migrator::runtime {

/// The scripts of the plan's steps that have a revision (stamps have none), read in plan order.
std::unique_ptr<script::ScriptSequence> read_plan_scripts(const Plan& plan, const script::ScriptFiles& files);

/// Reads, parses and splits (by `dialect`'s rules) the section each step of `plan` runs, one script at a
/// time, keeping nothing. Returns how many scripts were checked, or one failure listing the broken
/// scripts, each as `file:line: ...`.
Expected<std::size_t> check_plan_scripts(const Plan& plan, const script::ScriptFiles& files,
                                         dialect::DialectKind dialect);

}  // namespace migrator::runtime
