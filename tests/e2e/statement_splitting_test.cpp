// No SQL is silently dropped: an unterminated construct or a NUL byte in a script stops `upgrade` and
// `upgrade --sql` with an error naming the file and line. Every script of the run is checked before the
// first statement runs or is printed, so a bad script later in the chain leaves the database unchanged.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "backend_cases.hpp"
#include "e2e_support.hpp"

using e2e::Backend;
using e2e::lines;
using e2e::make_case;
using e2e::Project;
using Rows = std::vector<std::string>;

namespace {

// add_script puts the upgrade SQL on line 6 of the file.
constexpr const char* first_script = "0001_bbbbbbbbbbb1_one";
constexpr const char* second_script = "0002_bbbbbbbbbbb2_two";

void write_first(const Project& project) {
    project.add_script(first_script, "bbbbbbbbbbb1", "", "CREATE TABLE one (id INTEGER);", "DROP TABLE one;");
}

void write_second(const Project& project, const std::string& upgrade_sql) {
    project.add_script(second_script, "bbbbbbbbbbb2", "bbbbbbbbbbb1", upgrade_sql, "DROP TABLE two;");
}

// No table at all; on SQLite, possibly not even the file.
void check_untouched(const Project& project) {
    if (project.backend() == Backend::Sqlite && !std::filesystem::exists(project.dir() / "app.db")) return;
    CHECK(project.tables().empty());
}

// The last line of stderr, which must be the one-line error.
std::string error_line(const e2e::RunResult& result) {
    const auto error_lines = lines(result.err);
    return error_lines.empty() ? std::string() : error_lines.back();
}

void check_names_file_and_line(const e2e::RunResult& result, const std::string& what) {
    const std::string error = error_line(result);
    INFO(result.err);
    CHECK(result.exit_code != 0);
    CHECK(error.rfind("error: ", 0) == 0);
    CHECK(error.find(std::string(second_script) + ".sql:" + what) != std::string::npos);
}

void unclosed_comment_stops_upgrade(Backend backend) {
    Project project(backend);
    project.init();
    write_first(project);
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);
    write_second(project,
                 "CREATE TABLE two (id INTEGER);\n/* closed */ INSERT INTO two VALUES (1);\n"
                 "/* never closed\nCREATE TABLE three (id INTEGER);");

    check_names_file_and_line(project.run({"upgrade", "head"}), "8: unterminated /* comment");
    CHECK(project.versions() == Rows{"bbbbbbbbbbb1"});
    CHECK(project.tables() == Rows{"migrator_version", "one"});
}

void unclosed_string_stops_upgrade_from_base(Backend backend) {
    Project project(backend);
    project.init();
    write_first(project);
    write_second(project, "CREATE TABLE two (id INTEGER);\nINSERT INTO two VALUES ('never closed);");

    // Both migrations in one run and one transaction; the scripts are checked before it begins, so even
    // MySQL, which commits DDL, never sees the first one.
    project.write("migrator.yaml",
                  "script_location: migrations\ntransaction_per_migration: false\n"
                  "database:\n  url: " +
                      project.url() + "\n");
    check_names_file_and_line(project.run({"upgrade", "head"}), "7: unterminated quoted string");
    check_untouched(project);
}

// One transaction per migration: before the pre-flight check, 0001 was committed before 0002 failed.
void bad_later_script_applies_nothing(Backend backend) {
    Project project(backend);
    project.init();
    write_first(project);
    write_second(project,
                 "CREATE TABLE two (id INTEGER);\n/* never closed\nCREATE TABLE three (id INTEGER);");

    const auto result = project.run({"upgrade", "head"});
    check_names_file_and_line(result, "7: unterminated /* comment");
    CHECK(result.err.find("Running upgrade") == std::string::npos);
    // Not even the version table is created.
    check_untouched(project);
}

// Each broken script is named, in plan order, in the one error line.
void every_bad_script_is_named(Backend backend) {
    Project project(backend);
    project.init();
    write_first(project);
    write_second(project, "CREATE TABLE two (id INTEGER);\n/* never closed");
    project.add_script("0003_bbbbbbbbbbb3_three", "bbbbbbbbbbb3", "bbbbbbbbbbb2", "SELECT 'never closed;",
                       "SELECT 1;");

    const auto result = project.run({"upgrade", "head"});
    check_names_file_and_line(result, "7: unterminated /* comment");
    const std::string error = error_line(result);
    const auto second = error.find(std::string(second_script) + ".sql:7:");
    const auto third = error.find("0003_bbbbbbbbbbb3_three.sql:6: unterminated quoted string");
    CHECK(third != std::string::npos);
    CHECK(second < third);
    check_untouched(project);
}

// A downgrade checks the downgrade sections it will run the same way.
void bad_downgrade_script_reverts_nothing(Backend backend) {
    Project project(backend);
    project.init();
    // 0001's downgrade SQL starts on line 9.
    project.add_script(first_script, "bbbbbbbbbbb1", "", "CREATE TABLE one (id INTEGER);",
                       "DROP TABLE one;\n/* never closed");
    write_second(project, "CREATE TABLE two (id INTEGER);");
    REQUIRE(project.run({"upgrade", "head"}).exit_code == 0);

    const auto result = project.run({"downgrade", "base"});
    INFO(result.err);
    CHECK(result.exit_code != 0);
    CHECK(error_line(result).find(std::string(first_script) + ".sql:10: unterminated /* comment") !=
          std::string::npos);
    CHECK(project.versions() == Rows{"bbbbbbbbbbb2"});
    CHECK(project.tables() == Rows{"migrator_version", "one", "two"});
}

void unclosed_comment_stops_offline_sql(Backend backend) {
    Project project(backend);
    project.init();
    write_first(project);
    write_second(project,
                 "CREATE TABLE two (id INTEGER);\n/* never closed\nCREATE TABLE three (id INTEGER);");

    // With --tag too, whose comment is the first thing --sql prints.
    const auto result = project.run({"upgrade", "head", "--sql", "--tag", "release-1"});
    check_names_file_and_line(result, "7: unterminated /* comment");
    // Nothing at all is printed, not even 0001's SQL: a half script is worse than none.
    CHECK(result.out.empty());
    check_untouched(project);
}

void nul_byte_is_an_error(Backend backend) {
    Project project(backend);
    project.init();
    write_first(project);
    const std::string sql = std::string("CREATE TABLE two (id INTEGER);\nINSERT INTO two VALUES (1)") + '\0' +
                            "; DROP TABLE one;";
    write_second(project, sql);

    for (const auto& args :
         {std::vector<std::string>{"upgrade", "head"}, std::vector<std::string>{"upgrade", "head", "--sql"},
          std::vector<std::string>{"history"}}) {
        INFO(args.front() << " " << args.back());
        check_names_file_and_line(project.run(args), "7: NUL byte");
    }
    check_untouched(project);
}

// mysqldump writes /*!40101 ... */ statements; they are SQL the server runs, never skipped as comments.
void mysql_conditional_comments_run(Backend backend) {
    Project project(backend);
    project.init();
    write_first(project);
    write_second(project,
                 "CREATE TABLE two (id INTEGER);\n/*!40101 INSERT INTO two VALUES (7) */;\n"
                 "# a comment line\nINSERT INTO two VALUES (8);");
    const auto result = project.run({"upgrade", "head"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(project.query("SELECT id FROM two ORDER BY id") == Rows{"7", "8"});
}

// DELIMITER lines, as the mysql client reads them.
void mysql_delimiter_lines(Backend backend) {
    Project project(backend);
    project.init();
    write_first(project);
    write_second(project,
                 "CREATE TABLE two (id INTEGER);\nDELIMITER //\n"
                 "CREATE PROCEDURE add_two(IN n INT)\nBEGIN\n  INSERT INTO two VALUES (n);\n"
                 "  INSERT INTO two VALUES (n + 1);\nEND//\nDELIMITER ;\nCALL add_two(1);\n"
                 "DROP PROCEDURE add_two;");
    const auto result = project.run({"upgrade", "head"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(project.query("SELECT id FROM two ORDER BY id") == Rows{"1", "2"});
}

const bool registered = [] {
    e2e::register_backend_cases({
        make_case<unclosed_comment_stops_upgrade>(
            "an unclosed /* comment fails upgrade naming file and line, nothing of it is applied",
            "[splitter]"),
        make_case<unclosed_string_stops_upgrade_from_base>(
            "an unclosed string fails upgrade naming file and line, nothing is applied", "[splitter]"),
        make_case<bad_later_script_applies_nothing>(
            "a malformed script later in the chain stops upgrade before anything is applied", "[splitter]"),
        make_case<every_bad_script_is_named>("every malformed script of the run is named in one error",
                                             "[splitter]"),
        make_case<bad_downgrade_script_reverts_nothing>(
            "a malformed downgrade section stops downgrade before anything is reverted", "[splitter]"),
        make_case<unclosed_comment_stops_offline_sql>(
            "an unclosed /* comment fails upgrade --sql naming file and line, nothing is printed",
            "[splitter]"),
        make_case<nul_byte_is_an_error>("a NUL byte in a script is an error naming file and line",
                                        "[splitter]"),
        e2e::BackendCase{
            "MySQL conditional comments /*! */ and # comments are handled as the mysql client does",
            "[splitter]", nullptr, nullptr, &e2e::on_backend<Backend::Mysql, mysql_conditional_comments_run>},
        e2e::BackendCase{"MySQL DELIMITER lines set the statement delimiter", "[splitter]", nullptr, nullptr,
                         &e2e::on_backend<Backend::Mysql, mysql_delimiter_lines>},
    });
    return true;
}();

}  // namespace
