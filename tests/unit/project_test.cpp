// The embedding API (src/api/project.cpp) on real SQLite files: results, callbacks, errors, embedded
// scripts, and two projects on two threads.
#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

#include "migrator/migrator.hpp"
#include "temp_dir.hpp"

namespace {

using migrator::ErrorKind;
using migrator::LogLevel;
using migrator::Project;
using migrator::Settings;
using migrator::StepKind;

std::string script(const std::string& revision, const std::string& down, const std::string& message,
                   const std::string& upgrade, const std::string& downgrade) {
    return "-- message: " + message + "\n-- revision: " + revision + "\n-- down_revision: " + down +
           "\n-- branch_labels:\n-- depends_on:\n-- create_date: 2026-12-03 10:00:00\n\n-- "
           "migrate:upgrade\n" +
           upgrade + "\n\n-- migrate:downgrade\n" + downgrade + "\n";
}

const std::string rev_a = "aaaaaaaaaaaa";
const std::string rev_b = "bbbbbbbbbbbb";

// Two scripts in dir/migrations/versions; `tag` goes into table names and messages.
void write_scripts(const test::TempDir& dir, const std::string& tag = "t") {
    dir.write("migrations/versions/0001_a.sql",
              script(rev_a, "", "create " + tag, "CREATE TABLE " + tag + "_one (id INTEGER);",
                     "DROP TABLE " + tag + "_one;"));
    dir.write("migrations/versions/0002_b.sql",
              script(rev_b, rev_a, "second " + tag, "CREATE TABLE " + tag + "_two (id INTEGER);",
                     "DROP TABLE " + tag + "_two;"));
}

Settings settings_for(const test::TempDir& dir) {
    Settings settings;
    settings.url = "sqlite:///" + (dir.path() / "app.db").string();
    settings.script_location = (dir.path() / "migrations").string();
    return settings;
}

std::vector<std::string> ids(const std::vector<migrator::Revision>& revisions) {
    std::vector<std::string> out;
    out.reserve(revisions.size());
    for (const auto& revision : revisions) out.push_back(revision.revision);
    return out;
}

}  // namespace

TEST_CASE("a project built in code upgrades, reports its steps and reads where the database is", "[api]") {
    const test::TempDir dir;
    write_scripts(dir);
    Project project(settings_for(dir));
    std::vector<migrator::AppliedStep> progress;
    project.on_progress([&](const migrator::AppliedStep& step) { progress.push_back(step); });

    // As on the command line, a read never creates the SQLite file; upgrade does.
    CHECK_THROWS_WITH(project.current(), Catch::Contains("does not exist"));
    const auto result = project.upgrade("head");
    CHECK(result.heads_before.empty());
    CHECK(result.heads_after == std::vector<std::string>{rev_b});
    REQUIRE(result.steps.size() == 2);
    CHECK(result.steps[0].kind == StepKind::Upgrade);
    CHECK(result.steps[0].revision == rev_a);
    CHECK(result.steps[0].message == "create t");
    CHECK(result.steps[1].revision == rev_b);
    CHECK(result.steps[0].duration.count() > 0);
    REQUIRE(progress.size() == 2);
    CHECK(progress[1].revision == rev_b);

    const auto current = project.current();
    REQUIRE(current.size() == 1);
    CHECK(current[0].revision == rev_b);
    CHECK(current[0].is_current);
    CHECK(ids(project.heads()) == std::vector<std::string>{rev_b});
    CHECK(ids(project.history()) == std::vector<std::string>{rev_b, rev_a});

    const auto down = project.downgrade("-1");
    REQUIRE(down.steps.size() == 1);
    CHECK(down.steps[0].kind == StepKind::Downgrade);
    CHECK(down.heads_after == std::vector<std::string>{rev_a});
    CHECK(ids(project.current()) == std::vector<std::string>{rev_a});

    const auto stamped = project.stamp("head");
    REQUIRE(stamped.steps.size() == 1);
    CHECK(stamped.steps[0].kind == StepKind::Stamp);
    CHECK(stamped.steps[0].to == std::vector<std::string>{rev_b});
    CHECK(project.upgrade("head").steps.empty());

    // What ran, newest first: the stamp, the downgrade, then the two upgrades.
    const auto log = project.log();
    REQUIRE(log.size() == 4);
    CHECK(log[0].direction == "stamp");
    CHECK(log[1].direction == "downgrade");
    CHECK(log[1].revision == rev_b);
    CHECK(log[3].direction == "upgrade");
    CHECK(log[3].revision == rev_a);
    CHECK(log[3].outcome == "success");
    CHECK(log[3].upgrade_checksum.value_or("").rfind("sha256:", 0) == 0);
    CHECK(project.log(1).size() == 1);
}

TEST_CASE("a project's failures are one Error with a kind and a one-line message", "[api]") {
    const test::TempDir dir;
    write_scripts(dir);

    SECTION("an unknown target") {
        Project project(settings_for(dir));
        try {
            project.upgrade("cccccccccccc");
            FAIL("no error");
        } catch (const migrator::Error& error) {
            CHECK(error.kind() == ErrorKind::Invalid);
            CHECK_THAT(error.message(), Catch::Contains("cccccccccccc"));
        }
    }
    SECTION("a failing statement names the script and leaves the earlier migration applied") {
        dir.write("migrations/versions/0002_b.sql",
                  script(rev_b, rev_a, "broken", "CREATE TABLE t_one (id INTEGER);", "SELECT 1;"));
        Project project(settings_for(dir));
        try {
            project.upgrade("head");
            FAIL("no error");
        } catch (const migrator::Error& error) {
            CHECK(error.kind() == ErrorKind::Database);
            CHECK_THAT(error.message(), Catch::Contains("0002_b.sql") && Catch::Contains("t_one"));
        }
        CHECK(ids(project.current()) == std::vector<std::string>{rev_a});
    }
    SECTION("a server that does not answer is a Connection error without the password") {
        Settings settings = settings_for(dir);
        settings.url = "postgresql://app:hunter2@127.0.0.1:1/app?connect_timeout=2";
        Project project(settings);
        try {
            project.upgrade("head");
            FAIL("no error");
        } catch (const migrator::Error& error) {
            CHECK(error.kind() == ErrorKind::Connection);
            CHECK_THAT(error.message(), !Catch::Contains("hunter2"));
        }
    }
    SECTION("a missing config file") {
        try {
            static_cast<void>(Project::from_config((dir.path() / "nope.yaml").string()));
            FAIL("no error");
        } catch (const migrator::Error& error) {
            CHECK(error.kind() == ErrorKind::Invalid);
            CHECK_THAT(error.message(), Catch::Contains("nope.yaml"));
        }
    }
    SECTION("no URL") {
        Settings settings;
        CHECK_THROWS_AS(Project(settings), migrator::Error);
    }
}

TEST_CASE("a project read from a config file runs like the command line", "[api]") {
    const test::TempDir dir;
    write_scripts(dir);
    dir.write("migrator.yaml", "script_location: migrations\ndatabase:\n  url: sqlite:///" +
                                   (dir.path() / "app.db").string() + "\n");
    auto project = Project::from_config((dir.path() / "migrator.yaml").string());
    CHECK(project.upgrade("+1").heads_after == std::vector<std::string>{rev_a});
    CHECK(ids(project.current()) == std::vector<std::string>{rev_a});
}

TEST_CASE("scripts compiled in are planned and run like scripts on disk", "[api]") {
    const test::TempDir dir;
    const std::string first =
        script(rev_a, "", "create", "CREATE TABLE e_one (id INTEGER);", "DROP TABLE e_one;");
    const std::string second =
        script(rev_b, rev_a, "second", "CREATE TABLE e_two (id INTEGER);", "DROP TABLE e_two;");
    const migrator::EmbeddedScript scripts[] = {{"0001_a.sql", first.data(), first.size()},
                                                {"0002_b.sql", second.data(), second.size()}};
    Settings settings;
    settings.url = "sqlite:///" + (dir.path() / "app.db").string();
    Project project(settings);
    project.use_scripts(migrator::ScriptBundle{"versions", scripts, 2});
    const auto result = project.upgrade("head");
    REQUIRE(result.steps.size() == 2);
    CHECK(result.heads_after == std::vector<std::string>{rev_b});
    const auto history = project.history();
    REQUIRE(history.size() == 2);
    CHECK(history[1].path == "versions/0001_a.sql");
    CHECK(project.downgrade("base").heads_after.empty());
}

TEST_CASE("a broken embedded script is reported by its name in the bundle", "[api]") {
    const test::TempDir dir;
    const std::string broken = "-- message: x\n-- revision: " + rev_a + "\n";
    const migrator::EmbeddedScript scripts[] = {{"0001_a.sql", broken.data(), broken.size()}};
    Settings settings;
    settings.url = "sqlite:///" + (dir.path() / "app.db").string();
    Project project(settings);
    project.use_scripts(migrator::ScriptBundle{"versions", scripts, 1});
    CHECK_THROWS_WITH(project.upgrade("head"), Catch::Contains("versions/0001_a.sql"));
}

TEST_CASE("two projects on two threads each log only their own lines, passwords masked", "[api]") {
    const test::TempDir dir_a;
    const test::TempDir dir_b;
    // The messages carry a secret, as a careless message might: each project's sink masks it.
    dir_a.write("migrations/versions/0001_a.sql",
                script(rev_a, "", "rotate password=alpha-secret", "CREATE TABLE a_one (id INTEGER);",
                       "DROP TABLE a_one;"));
    dir_b.write("migrations/versions/0001_a.sql",
                script(rev_b, "", "rotate password=beta-secret", "CREATE TABLE b_one (id INTEGER);",
                       "DROP TABLE b_one;"));
    struct Run {
        std::vector<std::string> lines;
        migrator::MigrationResult result;
    };
    Run run_a;
    Run run_b;
    const auto migrate = [](const test::TempDir& dir, Run& run) {
        Project project(settings_for(dir));
        project.on_log([&run](LogLevel, std::string_view line) { run.lines.emplace_back(line); },
                       LogLevel::Debug);
        // Several rounds, so that the two threads overlap.
        for (int round = 0; round < 20; ++round) {
            run.result = project.upgrade("head");
            static_cast<void>(project.downgrade("base"));
        }
        run.result = project.upgrade("head");
    };
    std::thread thread_a(migrate, std::cref(dir_a), std::ref(run_a));
    std::thread thread_b(migrate, std::cref(dir_b), std::ref(run_b));
    thread_a.join();
    thread_b.join();

    CHECK(run_a.result.heads_after == std::vector<std::string>{rev_a});
    CHECK(run_b.result.heads_after == std::vector<std::string>{rev_b});
    const auto check_lines = [](const Run& run, const std::string& own, const std::string& other) {
        REQUIRE(!run.lines.empty());
        bool masked = false;
        for (const auto& line : run.lines) {
            CHECK_THAT(line, !Catch::Contains("secret"));
            CHECK_THAT(line, !Catch::Contains(other));
            masked = masked || line.find("password=***") != std::string::npos;
        }
        CHECK(masked);
        bool own_seen = false;
        for (const auto& line : run.lines) own_seen = own_seen || line.find(own) != std::string::npos;
        CHECK(own_seen);
    };
    check_lines(run_a, rev_a, rev_b);
    check_lines(run_b, rev_b, rev_a);
}
