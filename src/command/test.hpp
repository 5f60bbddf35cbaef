#pragma once
// `migrator test [-r START:END] [--allow-multiple-heads]`: the CI gate for downgrades. On a scratch
// database, never the configured one, each revision is upgraded, downgraded and upgraded again, and the
// schema after each downgrade must equal the schema before its upgrade (command/round_trip).

#include <string>

#include "command/command.hpp"
#include "command/scratch_database.hpp"
#include "render/test_report.hpp"

namespace migrator::command {

/// Whether a graph with several heads may be tested (`--allow-multiple-heads`).
enum class MultipleHeads { Refused, Allowed };

/// Options of `test`; the scratch server is the global `--url`.
struct TestOptions {
    std::string range;  // -r START:END; empty: base to heads
    MultipleHeads multiple_heads = MultipleHeads::Refused;
    render::OutputFormat format = render::OutputFormat::Text;
};

/// Registers `test`: exit 0 when every check passes, 1 when one fails, 2 on errors.
CommandAction setup_test(CLI::App& root, Workspace& workspace);

/// Runs the checks in a scratch database opened through `connect` (a SQLite temporary file, or with the
/// global --url a new database on that server) and removes it afterwards, also on failure and on a
/// signal. Throws Error for bad input (no scripts, an unknown revision), util::Interrupted on a signal.
render::TestReport run_test(Workspace& workspace, const TestOptions& options, const ScratchConnect& connect);

}  // namespace migrator::command
