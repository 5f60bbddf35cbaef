// Runs migrator's command line from inside another program: linking it pulls in every dependency the
// installed package declares (SOCI, SQLite, yaml-cpp, libpg_query, fmt).
#include "cli/app.hpp"

int main(int argc, char** argv) {
    return migrator::cli::run(argc, argv);
}
