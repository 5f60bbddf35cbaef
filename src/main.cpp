#include "migrator/cli/app.hpp"
#include "migrator/db/connect.hpp"

int main(int argc, char** argv) {
    migrator::db::use_sqlite_multithread_mode();  // the CLI uses each connection from one thread
    return migrator::cli::run(argc, argv);
}
