// A real 3-node MariaDB Galera cluster (scripts/db-servers.sh start-galera, MIGRATOR_TEST_GALERA_URLS):
// the migration lock holds across nodes, every node ends with the same version and history, and a node
// killed in the middle of an upgrade leaves a cluster the next run finishes, and a runner that lost its
// lease stops. Registered only when the
// cluster is named; MIGRATOR_REQUIRE_SERVERS=1 turns a missing cluster into a failing case.
#include <signal.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "backend_cases.hpp"
#include "e2e_support.hpp"

namespace {

using e2e::Backend;
using e2e::galera_urls;
using e2e::Project;
using Rows = std::vector<std::string>;

std::string environment(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : std::string(value);
}

// Project creates its database on MIGRATOR_TEST_MYSQL_URL's server: here, the first node. DDL replicates,
// so the database then exists on every node.
std::unique_ptr<Project> project_on_cluster() {
    const auto urls = galera_urls();
    REQUIRE(urls.size() == 3);
    const std::string saved = environment("MIGRATOR_TEST_MYSQL_URL");
    ::setenv("MIGRATOR_TEST_MYSQL_URL", urls[0].c_str(), 1);
    auto project = std::make_unique<Project>(Backend::Mysql);
    ::setenv("MIGRATOR_TEST_MYSQL_URL", saved.c_str(), 1);
    project->init();
    return project;
}

// The project's database as each node serves it.
Rows node_urls(const Project& project) {
    Rows out;
    for (const auto& url : galera_urls())
        out.push_back(url.substr(0, url.rfind('/') + 1) + project.database());
    return out;
}

// wsrep_sync_wait: the node first applies everything the cluster committed before the query.
Rows read_on(const Project& project, const std::string& url, const std::string& sql) {
    return project.query_at(url, "SET SESSION wsrep_sync_wait = 1; " + sql);
}

const std::string versions_sql = "SELECT version_num FROM migrator_version ORDER BY version_num";
const std::string history_sql = "SELECT * FROM migrator_history ORDER BY 1";

void eight_runners_over_three_nodes() {
    const auto project = project_on_cluster();
    project->add_script("0001_9a0000000001_one", "9a0000000001", "",
                        "CREATE TABLE counter (n INTEGER PRIMARY KEY);\nINSERT INTO counter VALUES (1);\n"
                        "SELECT SLEEP(0.5);",
                        "DROP TABLE counter;");
    project->add_script("0002_9a0000000002_two", "9a0000000002", "9a0000000001",
                        "INSERT INTO counter VALUES (2);", "DELETE FROM counter WHERE n = 2;");
    const auto urls = node_urls(*project);
    std::vector<std::vector<std::string>> commands;
    for (std::size_t runner = 0; runner < 8; ++runner) {
        commands.push_back({"--url", urls[runner % urls.size()], "upgrade", "head"});
    }
    const auto results = project->run_concurrently(commands);
    REQUIRE(results.size() == commands.size());
    int ran_first = 0;
    int ran_second = 0;
    for (const auto& result : results) {
        INFO(result.err);
        CHECK(result.exit_code == 0);
        if (result.err.find("Running upgrade  -> 9a0000000001") != std::string::npos) ++ran_first;
        if (result.err.find("Running upgrade 9a0000000001 -> 9a0000000002") != std::string::npos)
            ++ran_second;
    }
    CHECK(ran_first == 1);
    CHECK(ran_second == 1);
    const auto history = read_on(*project, urls[0], history_sql);
    CHECK(history.size() == 2);
    for (const auto& url : urls) {
        INFO(url);
        CHECK(read_on(*project, url, "SELECT n FROM counter ORDER BY n") == Rows{"1", "2"});
        CHECK(read_on(*project, url, versions_sql) == Rows{"9a0000000002"});
        CHECK(read_on(*project, url, history_sql) == history);
    }
}

std::string slurp(const std::string& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

void node_killed_during_an_upgrade() {
    const auto project = project_on_cluster();
    const auto urls = node_urls(*project);
    project->add_script("0001_9b0000000001_one", "9b0000000001", "",
                        "CREATE TABLE one (id INTEGER PRIMARY KEY);", "DROP TABLE one;");
    // Only the third node is slow, so the runner there is caught in the middle; the next run is not.
    project->add_script("0002_9b0000000002_two", "9b0000000002", "9b0000000001",
                        "SELECT SLEEP(IF(@@wsrep_node_name = 'node3', 120, 0));\n"
                        "CREATE TABLE two (id INTEGER PRIMARY KEY);",
                        "DROP TABLE two;");
    project->add_script("0003_9b0000000003_three", "9b0000000003", "9b0000000002",
                        "CREATE TABLE three (id INTEGER PRIMARY KEY);", "DROP TABLE three;");
    const auto pid_file = read_on(*project, urls[2], "SELECT @@pid_file");
    REQUIRE(pid_file.size() == 1);
    const auto pid = std::stoi(slurp(pid_file[0]));

    e2e::RunResult interrupted;
    std::thread runner([&] { interrupted = project->run({"--url", urls[2], "upgrade", "head"}); });
    // Polls the third node until the runner is inside the second migration.
    bool sleeping = false;
    for (int attempt = 0; attempt < 600 && !sleeping; ++attempt) {
        sleeping = project->query_at(urls[2],
                                     "SELECT COUNT(*) FROM information_schema.PROCESSLIST "
                                     "WHERE INFO LIKE 'SELECT SLEEP(IF(%'") == Rows{"1"};
        if (!sleeping) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (sleeping) ::kill(pid, SIGKILL);
    runner.join();
    REQUIRE(sleeping);
    CHECK(interrupted.exit_code != 0);

    // The dead runner still holds the lock row; its lease must run out before the next run takes it over:
    // 2 s here, not the default 30.
    CHECK(read_on(*project, urls[0], "SELECT holder <> '' FROM migrator_lock") == Rows{"1"});
    const auto next = project->run({"--url", urls[0] + "?lock_lease=2", "upgrade", "head"});
    INFO(next.err);
    CHECK(next.exit_code == 0);
    const Rows head{"9b0000000003"};
    const Rows tables{"migrator_history", "migrator_lock", "migrator_version", "one", "three", "two"};
    const auto history = read_on(*project, urls[0], history_sql);
    CHECK(history.size() == 3);
    for (std::size_t node = 0; node < 2; ++node) {
        INFO(urls[node]);
        CHECK(read_on(*project, urls[node], versions_sql) == head);
        CHECK(read_on(*project, urls[node], "SHOW TABLES") == tables);
        CHECK(read_on(*project, urls[node], history_sql) == history);
    }

    // The killed node rejoins and catches up.
    const std::string script = environment("MIGRATOR_TEST_GALERA_SCRIPT");
    REQUIRE(!script.empty());
    REQUIRE(std::system((script + " start-galera").c_str()) == 0);
    CHECK(read_on(*project, urls[2], versions_sql) == head);
    CHECK(read_on(*project, urls[2], "SHOW TABLES") == tables);
    CHECK(read_on(*project, urls[2], history_sql) == history);
}

// The runner's own first migration plays the other migrator: it rewrites the lock row's holder, as a
// takeover after a stalled heartbeat would. The runner must notice before it commits anything more.
void lease_taken_over_while_running() {
    const auto project = project_on_cluster();
    const auto urls = node_urls(*project);
    // Outside a transaction, so that the lock row is not held by the runner's own open transaction.
    project->write("migrations/versions/0001_9c0000000001_takeover.sql",
                   "-- message: takeover\n-- revision: 9c0000000001\n-- down_revision:\n\n"
                   "-- migrate:upgrade transaction=false\n"
                   "UPDATE migrator_lock SET holder = 'another-host:1:0000000000000000';\n\n"
                   "-- migrate:downgrade\nSELECT 1;\n");
    project->add_script("0002_9c0000000002_two", "9c0000000002", "9c0000000001",
                        "CREATE TABLE two (id INTEGER PRIMARY KEY);", "DROP TABLE two;");
    const auto result = project->run({"--url", urls[0], "upgrade", "head"});
    INFO(result.err);
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("error: another migrator took over the Galera lock") != std::string::npos);
    CHECK(result.err.find("stopped before running more") != std::string::npos);
    // Neither the first step's version change nor anything after it was committed.
    CHECK(read_on(*project, urls[1], versions_sql).empty());
    CHECK(read_on(*project, urls[1], "SHOW TABLES LIKE 'two'").empty());
    CHECK(read_on(*project, urls[1], "SELECT holder FROM migrator_lock") ==
          Rows{"another-host:1:0000000000000000"});
}

void cluster_required() {
    FAIL(
        "MIGRATOR_REQUIRE_SERVERS=1 but MIGRATOR_TEST_GALERA_URLS is not set; run scripts/db-servers.sh "
        "start-galera and eval \"$(scripts/db-servers.sh env-galera)\"");
}

void add_case(void (*function)(), const char* name) {
    e2e::register_case(function, Backend::Mysql, name, "[galera]");
}

// One case, so that ctest never runs the node kill while other runners use that node.
void cluster_flows() {
    SECTION("eight concurrent upgrades spread over three nodes run each migration exactly once") {
        eight_runners_over_three_nodes();
    }
    SECTION("a node killed during an upgrade leaves a consistent cluster the next run finishes") {
        node_killed_during_an_upgrade();
    }
    SECTION("a runner whose lease another migrator took over stops before committing more") {
        lease_taken_over_while_running();
    }
}

const bool registered = [] {
    if (!galera_urls().empty()) {
        add_case(cluster_flows,
                 "galera: concurrent runners over three nodes, and a node killed during an upgrade");
    } else if (environment("MIGRATOR_REQUIRE_SERVERS") == "1") {
        add_case(cluster_required, "galera: the cluster is required");
    }
    return true;
}();

}  // namespace
