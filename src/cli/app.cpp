#include "migrator/cli/app.hpp"

namespace migrator::cli {
int run(int /*argc*/, char** /*argv*/) { return 0; }
}  // namespace migrator::cli
