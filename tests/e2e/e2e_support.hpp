#pragma once
// Running the real binary in a throw-away project directory, and looking into its database:
// a SQLite file, or a fresh database on the PostgreSQL / MariaDB servers the environment names.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace e2e {

/// The database a Project runs against.
enum class Backend { Sqlite, Postgresql, Mysql };

/// "sqlite", "postgresql" or "mysql".
std::string backend_name(Backend backend);

/// The server URL for a backend from MIGRATOR_TEST_POSTGRESQL_URL / MIGRATOR_TEST_MYSQL_URL; nullopt when
/// unset or SQLite.
std::optional<std::string> server_url(Backend backend);

/// The environment variable that names a server backend's URL.
std::string server_url_variable(Backend backend);

/// The Galera cluster's node URLs from MIGRATOR_TEST_GALERA_URLS (space-separated); empty when unset.
std::vector<std::string> galera_urls();

/// Whether MIGRATOR_TEST_MYSQL_URL names one of the Galera cluster's nodes (a case run on a Galera node).
bool mysql_server_is_galera_node();

/// What one run of the binary produced.
struct RunResult {
    int exit_code = -1;
    std::string out;  // stdout
    std::string err;  // stderr
};

/// A temporary directory that is removed when the test ends; on a server backend also a fresh
/// database, created on the server named by server_url() and dropped when the test ends.
class Project {
public:
    Project();
    /// A project on the given backend; throws when a server backend's URL is not set.
    explicit Project(Backend backend);
    ~Project();
    Project(const Project&) = delete;
    Project& operator=(const Project&) = delete;

    /// The directory the binary runs in.
    [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

    /// Runs `migrator ARGS...` in dir() with the given extra environment.
    RunResult run(const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& env = {}) const;

    /// Runs `migrator ARGS...` with stderr on a pseudo-terminal (stdout stays a file); `err` is what the
    /// terminal received.
    RunResult run_on_terminal(const std::vector<std::string>& args,
                              const std::map<std::string, std::string>& env = {}) const;

    /// Starts every `migrator ARGS...` at once and waits for all; the results in the same order.
    [[nodiscard]] std::vector<RunResult> run_concurrently(
        const std::vector<std::vector<std::string>>& commands) const;

    /// Writes a file relative to dir(), creating parent directories.
    void write(const std::filesystem::path& relative, const std::string& text) const;

    /// The content of a file relative to dir().
    [[nodiscard]] std::string read(const std::filesystem::path& relative) const;

    /// The backend this project's database lives on.
    [[nodiscard]] Backend backend() const { return backend_; }

    /// Our database's name on the server (empty on SQLite).
    [[nodiscard]] const std::string& database() const { return database_; }
    /// The URL of this project's database: `sqlite:///app.db` or the fresh server database.
    [[nodiscard]] const std::string& url() const { return url_; }

    /// `migrator init migrations` plus a config pointing at url(); asserts success.
    void init() const;

    /// Writes a script with the given header values and SQL into migrations/versions.
    void add_script(const std::string& file_name, const std::string& revision,
                    const std::string& down_revision, const std::string& upgrade_sql,
                    const std::string& downgrade_sql, const std::string& extra_header = "") const;

    /// Runs a query and returns the rows, columns joined by '|' (NULL as "NULL"). On SQLite `db` names
    /// the file in dir(); a server backend always queries the project's database.
    [[nodiscard]] std::vector<std::string> query(const std::string& sql,
                                                 const std::string& db = "app.db") const;

    /// Runs a query on the server at `url` (same backend, same user), rows as query() returns them: for a
    /// cluster, whose nodes hold the same database under different URLs.
    [[nodiscard]] std::vector<std::string> query_at(const std::string& url, const std::string& sql) const {
        return server_query(url, sql);
    }

    /// Runs a statement that changes the database behind migrator's back (`db` as for query()).
    void execute(const std::string& sql, const std::string& db = "app.db") const;

    /// The sorted version_num rows of the version table.
    [[nodiscard]] std::vector<std::string> versions(const std::string& table = "migrator_version") const;

    /// The names of the user tables and the version table, sorted (`db` as for query()); the history table
    /// (migrator_history) is left out, integrity_test looks at it, and so is a Galera cluster's lock table.
    [[nodiscard]] std::vector<std::string> tables(const std::string& db = "app.db") const;

    /// Runs statements, and psql / mariadb client commands such as `\! shell command`, one after the other
    /// in a single server session (server backends only), so a command can run while the session holds a
    /// lock.
    void run_in_session(const std::vector<std::string>& statements) const;

    /// The column names of a table in their declared order.
    [[nodiscard]] std::vector<std::string> columns(const std::string& table) const;

private:
    std::vector<std::string> server_query(const std::string& url, const std::string& sql) const;

    std::filesystem::path dir_;
    Backend backend_ = Backend::Sqlite;
    std::string server_admin_url_;  // the URL from the environment; the database that creates ours
    std::string database_;          // our database's name on the server
    std::string url_ = "sqlite:///app.db";
};

/// The revision id in a "Generating <path> ... done" line (the file name's second part).
std::string generated_revision(const RunResult& result);

/// The path in a "Generating <path> ... done" line.
std::filesystem::path generated_path(const RunResult& result);

/// Lines of text, without the trailing empty one.
std::vector<std::string> lines(const std::string& text);

/// Whether `part` occurs in `text`.
bool contains(const std::string& text, const std::string& part);

/// Requires `check` to exit 0 reporting no operations (`when` says at which step, in the failure).
void require_clean_check(const Project& project, const std::string& when);

/// `rows` in ascending order, for results whose order the database does not promise.
std::vector<std::string> sorted(std::vector<std::string> rows);

/// Checks that `result` failed with exactly one line on stderr, "error: ..." containing `names`.
void expect_one_line_error(const RunResult& result, const std::string& names);

/// A table `doubled` with an attribute that no inspector of `backend` reads, and how check names it.
struct UnreadObject {
    std::string sql;
    std::string kind;  // "index sort order"
    std::string name;  // "doubled.PRIMARY"
};
UnreadObject unread_object(Backend backend);

}  // namespace e2e

namespace e2e {

/// Replaces the template's "-- write the upgrade/downgrade SQL here" hints in a generated script.
void fill_script(const Project& project, const std::filesystem::path& script, const std::string& upgrade_sql,
                 const std::string& downgrade_sql);

/// Generates a revision with `migrator revision ARGS...`, fills in its SQL and returns its id.
std::string new_revision(const Project& project, const std::vector<std::string>& args,
                         const std::string& upgrade_sql, const std::string& downgrade_sql);

}  // namespace e2e
