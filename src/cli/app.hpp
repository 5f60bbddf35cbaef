#pragma once
// The command line: parses arguments, dispatches to a command, and is the one place that
// turns exceptions into "error: ..." and an exit code.

namespace migrator::cli {

/// Runs migrator with the given arguments and returns the process exit code.
int run(int argc, char** argv);

}  // namespace migrator::cli
