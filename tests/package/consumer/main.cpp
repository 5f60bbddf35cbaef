// A program that uses an installed migrator through its public header only: it upgrades the database
// DATABASE_URL to the newest of the scripts in SCRIPT_LOCATION/versions, then prints where it is. Linking
// it pulls in every dependency the installed package declares (SOCI, SQLite, yaml-cpp, libpg_query, fmt).
#include <migrator/migrator.hpp>

#include <iostream>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: consumer DATABASE_URL SCRIPT_LOCATION\n";
        return 2;
    }
    try {
        migrator::Settings settings;
        settings.url = argv[1];
        settings.script_location = argv[2];
        migrator::Project project(settings);
        const auto result = project.upgrade("head");
        std::cout << result.steps.size() << " applied;";
        for (const auto& revision : project.current()) std::cout << ' ' << revision.revision;
        std::cout << '\n';
    } catch (const migrator::Error& error) {
        std::cerr << "error: " << error.message() << '\n';
        return 1;
    }
    return 0;
}
