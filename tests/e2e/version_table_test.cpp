// The version table on every backend: purging duplicate rows, naming its settings when it cannot be
// used, and catalog lookups that bind its name.
#include <catch2/catch.hpp>

#include "backend_cases.hpp"

using e2e::Backend;
using e2e::lines;
using e2e::Project;
using Rows = std::vector<std::string>;

namespace {

// Sets a top-level key of the project's migrator.yaml (init writes these two commented out).
void set_config(const Project& project, const std::string& key, const std::string& value) {
    auto config = project.read("migrator.yaml");
    if (config.find("\n" + key + ":") != std::string::npos)
        throw std::runtime_error("migrator.yaml sets " + key);
    project.write("migrator.yaml", config + "\n" + key + ": " + value + "\n");
}

void purge_clears_duplicate_rows(Backend backend) {
    Project project(backend);
    project.init();
    project.add_script("0001_aaaaaaaaaaa1_one", "aaaaaaaaaaa1", "", "CREATE TABLE one (id INTEGER);",
                       "DROP TABLE one;");
    // A version table without its primary key (made by hand or by an older tool) can hold duplicates.
    project.execute("CREATE TABLE migrator_version (version_num VARCHAR(32) NOT NULL)");
    project.execute("INSERT INTO migrator_version (version_num) VALUES ('aaaaaaaaaaa1')");
    project.execute("INSERT INTO migrator_version (version_num) VALUES ('aaaaaaaaaaa1')");
    project.execute("INSERT INTO migrator_version (version_num) VALUES ('deadbeef0000')");
    const auto result = project.run({"stamp", "--purge", "head"});
    CHECK(result.exit_code == 0);
    CHECK(result.err.find("error") == std::string::npos);
    CHECK(project.versions() == Rows{"aaaaaaaaaaa1"});
}

void missing_schema_names_the_setting(Backend backend) {
    Project project(backend);
    project.init();
    project.add_script("0001_aaaaaaaaaaa1_one", "aaaaaaaaaaa1", "", "CREATE TABLE one (id INTEGER);",
                       "DROP TABLE one;");
    set_config(project, "version_table_schema", "nosuch");
    const auto result = project.run({"upgrade", "head"});
    CHECK(result.exit_code == 2);
    const auto error = lines(result.err).back();
    CHECK(error.find("the version table (settings: version_table_schema 'nosuch', version_table "
                     "'migrator_version')") != std::string::npos);
    CHECK(error.find("migration") == std::string::npos);
    CHECK(project.tables().empty());
}

// With standard_conforming_strings off, a backslash escapes a quote in a string literal: a version
// table name spliced into the catalog query would end the literal and run the rest as SQL.
void crafted_name_is_bound(Backend backend) {
    Project project(backend);
    project.init();
    project.add_script("0001_aaaaaaaaaaa1_one", "aaaaaaaaaaa1", "", "CREATE TABLE one (id INTEGER);",
                       "DROP TABLE one;");
    const std::string table = "x\\' OR true--";
    set_config(project, "version_table", "'x\\'' OR true--'");  // YAML single quotes: '' is one quote
    const std::string separator = project.url().find('?') == std::string::npos ? "?" : "&";
    const std::vector<std::string> url{
        "--url", project.url() + separator + "options=-c%20standard_conforming_strings%3Doff"};
    const auto with_url = [&](Rows args) {
        args.insert(args.begin(), url.begin(), url.end());
        return project.run(args);
    };
    const auto before = with_url({"current"});
    CHECK(before.exit_code == 0);
    CHECK(before.err.find("error") == std::string::npos);
    const auto upgraded = with_url({"upgrade", "head"});
    CHECK(upgraded.exit_code == 0);
    CHECK(upgraded.err.find("error") == std::string::npos);
    CHECK(project.versions("\"" + table + "\"") == Rows{"aaaaaaaaaaa1"});
    CHECK(with_url({"current"}).out.find("aaaaaaaaaaa1") != std::string::npos);
}

const bool registered = e2e::register_backend_cases({
    e2e::make_case<purge_clears_duplicate_rows>("stamp --purge deletes duplicate version rows too",
                                                "[version_table]"),
    e2e::make_case<missing_schema_names_the_setting>(
        "a version_table_schema that does not exist is reported as the setting, not as migration 1",
        "[version_table]"),
    {"a crafted version_table name is bound in catalog lookups even with standard_conforming_strings off",
     "[version_table][security]", nullptr, &e2e::on_backend<Backend::Postgresql, crafted_name_is_bound>,
     nullptr},
});

}  // namespace
