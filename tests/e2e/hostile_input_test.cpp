// Hostile input: targets with trailing text, NUL bytes, planted symbolic links, file templates that
// would write invisible or enormous files, control characters and invalid UTF-8, short passwords.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

#include "e2e_support.hpp"

namespace fs = std::filesystem;
using e2e::expect_one_line_error;
using e2e::Project;
using Rows = std::vector<std::string>;
using namespace std::string_literals;

namespace {

void applied_project(const Project& project) {
    project.init();
    project.add_script("0001_eeeeeeeeee01_one", "eeeeeeeeee01", "", "CREATE TABLE one (id INTEGER);",
                       "DROP TABLE one;");
    project.add_script("0002_eeeeeeeeee02_two", "eeeeeeeeee02", "eeeeeeeeee01",
                       "CREATE TABLE two (id INTEGER);", "DROP TABLE two;");
    project.add_script("0003_eeeeeeeeee03_three", "eeeeeeeeee03", "eeeeeeeeee02",
                       "CREATE TABLE three (id INTEGER);", "DROP TABLE three;");
    if (project.run({"upgrade", "eeeeeeeeee01"}).exit_code != 0) throw std::runtime_error("setup failed");
}

// Replaces or adds a top-level setting in migrator.yaml.
void set_file_template(const Project& project, const std::string& value) {
    project.write("migrator.yaml", project.read("migrator.yaml") + "file_template: \"" + value + "\"\n");
}

Rows version_files(const Project& project) {
    Rows names;
    for (const auto& entry : fs::directory_iterator(project.dir() / "migrations/versions")) {
        // The header cache's directory may sit beside the scripts.
        if (entry.path().filename() != ".migrator_cache") names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

TEST_CASE("targets with text after the relative number are refused", "[e2e][hostile]") {
    Project project;
    applied_project(project);
    for (const std::string target : {"+2abc", "+1e3", "-1x", "base-1"}) {
        INFO(target);
        const auto command = target.front() == '-' ? "downgrade" : "upgrade";
        expect_one_line_error(project.run({command, target}), "'" + target + "'");
        CHECK(project.versions() == Rows{"eeeeeeeeee01"});
    }
    CHECK(project.tables() == Rows{"migrator_version", "one"});
}

TEST_CASE("a NUL byte in the config's URL is refused, not cut short", "[e2e][hostile]") {
    Project project;
    project.init();
    const auto config = project.read("migrator.yaml");
    const std::string url = "url: sqlite:///app.db";
    const auto at = config.find(url);
    REQUIRE(at != std::string::npos);
    project.write("migrator.yaml",
                  std::string(config).replace(at, url.size(), "url: \"sqlite:///app\\0x.db\""));
    expect_one_line_error(project.run({"current"}), "'database.url' contains a NUL byte");
    CHECK_FALSE(fs::exists(project.dir() / "app"));
}

TEST_CASE("revision does not follow a dangling symbolic link in versions/", "[e2e][hostile]") {
    Project project;
    project.init();
    set_file_template(project, "planted");
    fs::create_symlink(project.dir() / "outside.sql", project.dir() / "migrations/versions/planted.sql");
    expect_one_line_error(project.run({"revision", "-m", "x"}), "a symbolic link is in the way");
    CHECK_FALSE(fs::exists(project.dir() / "outside.sql"));
}

TEST_CASE("a file_template that names hidden files is an error, not an invisible script", "[e2e][hostile]") {
    Project project;
    project.init();
    set_file_template(project, ".{slug}");
    expect_one_line_error(project.run({"revision", "-m", "hidden"}), "setting 'file_template'");
    CHECK(version_files(project).empty());
}

TEST_CASE("a file_template width is bounded", "[e2e][hostile]") {
    Project project;
    project.init();
    set_file_template(project, "{seq:2147483647d}");
    expect_one_line_error(project.run({"revision", "-m", "wide"}), "at most 255 is allowed");
    CHECK(version_files(project).empty());
}

TEST_CASE("control characters and invalid UTF-8 never reach the terminal raw", "[e2e][hostile]") {
    Project project;
    project.init();
    project.write("migrations/versions/0001_eeeeeeeeee01_x.sql",
                  "-- message: \x1b]0;owned\x07 red\x1b[31m \xff\xfe end\r\n-- revision: eeeeeeeeee01\n"
                  "-- down_revision:\n\n-- migrate:upgrade\nCREATE TABLE t (id INTEGER);\n\n"
                  "-- migrate:downgrade\nDROP TABLE t;\n");
    for (const auto& args :
         {std::vector<std::string>{"history"}, {"history", "--verbose"}, {"heads"}, {"upgrade", "head"}}) {
        const auto result = project.run(args);
        INFO(args.front() << " stdout: " << result.out << " stderr: " << result.err);
        CHECK(result.exit_code == 0);
        for (const auto& text : {result.out, result.err}) {
            CHECK(text.find('\x1b') == std::string::npos);
            CHECK(text.find('\x07') == std::string::npos);
            CHECK(text.find('\r') == std::string::npos);
            CHECK(text.find('\xff') == std::string::npos);
        }
    }
    const auto listing = project.run({"history"});
    CHECK(listing.out.find("\\x1b]0;owned\\x07 red\\x1b[31m \\xff\\xfe end") != std::string::npos);

    const auto json = project.run({"history", "--format", "json"});
    INFO("stderr: " << json.err);
    REQUIRE(json.exit_code == 0);
    const auto document = nlohmann::json::parse(json.out);
    const std::string message = document.at("history").at(0).at("message");
    CHECK(message.find("\x1b]0;owned") != std::string::npos);  // JSON escapes it as \u001b
    CHECK(message.find("\xef\xbf\xbd") != std::string::npos);  // U+FFFD for each invalid byte
    CHECK(json.out.find('\x1b') == std::string::npos);

    // In an error message too, and the message is not cut at the first control character.
    const auto error = project.run({"upgrade", "\x1b[2Jx\ty\x80z"});
    INFO("stderr: " << error.err);
    CHECK(error.exit_code != 0);
    CHECK(error.err.find('\x1b') == std::string::npos);
    CHECK(error.err.find("\\x1b[2Jx\ty\\x80z") != std::string::npos);
}

TEST_CASE("a connect failure masks only the password, however short", "[e2e][hostile]") {
    Project project;
    project.init();
    // Port 1 refuses at once. Substring masking turned every "p", "a" or "postgres" into "***".
    const std::vector<std::pair<std::string, std::string>> cases{
        {"postgresql://p:p@127.0.0.1:1/app", "postgresql://p:***@127.0.0.1:1/app"},
        {"postgresql://postgres:postgres@127.0.0.1:1/postgres",
         "postgresql://postgres:***@127.0.0.1:1/postgres"},
        {"mysql://a:a@127.0.0.1:1/a", "mysql://a:***@127.0.0.1:1/a"},
        {"postgresql://secret:secret@127.0.0.1:1/secret?application_name=secret",
         "postgresql://secret:***@127.0.0.1:1/secret?application_name=secret"},
    };
    for (const auto& [url, shown] : cases) {
        const auto result = project.run({"--url", url, "current"});
        INFO("stderr: " << result.err);
        CHECK(result.exit_code != 0);
        const auto error_lines = e2e::lines(result.err);
        REQUIRE(error_lines.size() == 1);
        CHECK(error_lines.front().find("cannot connect to " + shown + ":") != std::string::npos);
        // The URL's mask is the only one: the driver's own words are untouched.
        CHECK(error_lines.front().find("***") == error_lines.front().rfind("***"));
    }
}
