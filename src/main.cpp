#include "migrator/cli/app.hpp"

int main(int argc, char** argv) {
    return migrator::cli::run(argc, argv);
}
