#pragma once
// Running the real binary in a throw-away project directory, and looking into SQLite files.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace e2e {

/// What one run of the binary produced.
struct RunResult {
    int exit_code = -1;
    std::string out;  // stdout
    std::string err;  // stderr
};

/// A temporary directory that is removed when the test ends.
class Project {
public:
    Project();
    ~Project();
    Project(const Project&) = delete;
    Project& operator=(const Project&) = delete;

    /// The directory the binary runs in.
    [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

    /// Runs `migrator ARGS...` in dir() with the given extra environment.
    RunResult run(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {}) const;

    /// Writes a file relative to dir(), creating parent directories.
    void write(const std::filesystem::path& relative, const std::string& text) const;

    /// The content of a file relative to dir().
    [[nodiscard]] std::string read(const std::filesystem::path& relative) const;

    /// `migrator init migrations` plus a config pointing at `app.db`; asserts success.
    void init() const;

    /// Writes a script with the given header values and SQL into migrations/versions.
    void add_script(const std::string& file_name, const std::string& revision, const std::string& down_revision,
                    const std::string& upgrade_sql, const std::string& downgrade_sql,
                    const std::string& extra_header = "") const;

    /// Runs a query on a SQLite file in dir() and returns the rows, columns joined by '|'.
    [[nodiscard]] std::vector<std::string> query(const std::string& sql, const std::string& db = "app.db") const;

    /// Runs a statement that changes a SQLite file in dir(), behind migrator's back.
    void execute(const std::string& sql, const std::string& db = "app.db") const;

    /// The sorted version_num rows of the version table.
    [[nodiscard]] std::vector<std::string> versions(const std::string& table = "migrator_version") const;

    /// The names of the user tables in the SQLite file, sorted.
    [[nodiscard]] std::vector<std::string> tables(const std::string& db = "app.db") const;

private:
    std::filesystem::path dir_;
};

/// The revision id in a "Generating <path> ... done" line (the file name's second part).
std::string generated_revision(const RunResult& result);

/// The path in a "Generating <path> ... done" line.
std::filesystem::path generated_path(const RunResult& result);

/// Lines of text, without the trailing empty one.
std::vector<std::string> lines(const std::string& text);

}  // namespace e2e

namespace e2e {

/// Replaces the template's "-- write the upgrade/downgrade SQL here" hints in a generated script.
void fill_script(const Project& project, const std::filesystem::path& script, const std::string& upgrade_sql,
                 const std::string& downgrade_sql);

/// Generates a revision with `migrator revision ARGS...`, fills in its SQL and returns its id.
std::string new_revision(const Project& project, const std::vector<std::string>& args, const std::string& upgrade_sql,
                         const std::string& downgrade_sql);

}  // namespace e2e
