#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "migrator/script/revision_id.hpp"
#include "migrator/script/script_loader.hpp"
#include "migrator/util/error.hpp"
#include "temp_dir.hpp"

using migrator::Error;
using migrator::Expected;
using migrator::fail;
using migrator::script::disk_script_files;
using migrator::script::load_scripts;
using migrator::script::ScriptFiles;
namespace fs = std::filesystem;

namespace {

// Directories map to file lists; a file mapped to "!reason" cannot be read.
class FakeScriptFiles final : public ScriptFiles {
public:
    std::map<fs::path, std::vector<fs::path>> directories;
    std::map<fs::path, std::string> contents;

    std::vector<fs::path> list_sql_files(const fs::path& dir) const override {
        const auto found = directories.find(dir);
        if (found == directories.end())
            throw Error("version directory '" + dir.string() + "' does not exist");
        return found->second;
    }

    Expected<std::string> read(const fs::path& file) const override {
        const auto found = contents.find(file);
        if (found == contents.end()) return fail(file.string() + ": cannot open: no such file");
        if (!found->second.empty() && found->second[0] == '!')
            return fail(file.string() + ": " + found->second.substr(1));
        return found->second;
    }

    void add(const fs::path& dir, const std::string& name, std::string text) {
        directories[dir].push_back(dir / name);
        contents[dir / name] = std::move(text);
    }
};

std::string valid_script(const std::string& revision, const std::string& parent = "") {
    return "-- revision: " + revision + "\n-- down_revision: " + parent +
           "\n-- migrate:upgrade\nSELECT 1;\n-- migrate:downgrade\n";
}

}  // namespace

TEST_CASE("load_scripts reads every location in order", "[script]") {
    FakeScriptFiles files;
    files.add("v1", "0001_a.sql", valid_script("a"));
    files.add("v1", "0002_b.sql", valid_script("b", "a"));
    files.add("v2", "0001_c.sql", valid_script("c", "a"));
    files.directories["empty"] = {};

    const auto scripts = load_scripts({"v1", "empty", "v2"}, files);
    REQUIRE(scripts.has_value());
    REQUIRE(scripts->size() == 3);
    CHECK((*scripts)[0].revision == "a");
    CHECK((*scripts)[1].down_revisions == std::vector<std::string>{"a"});
    CHECK((*scripts)[2].revision == "c");
    CHECK((*scripts)[2].path == fs::path("v2") / "0001_c.sql");
}

TEST_CASE("load_scripts leaves graph problems to the revision map", "[script]") {
    FakeScriptFiles files;
    files.add("v", "1.sql", valid_script("same"));
    files.add("v", "2.sql", valid_script("same", "missing_parent"));
    const auto scripts = load_scripts({"v"}, files);
    REQUIRE(scripts.has_value());
    CHECK(scripts->size() == 2);
}

TEST_CASE("load_scripts reports every broken file in one line", "[script]") {
    FakeScriptFiles files;
    files.add("v", "0001_ok.sql", valid_script("a"));
    files.add("v", "0002_typo.sql", "-- revision: b\n-- down_revison: a\n");
    files.add("v", "0003_unreadable.sql", "!cannot read: permission denied");
    files.add("v", "0004_nosection.sql", "-- revision: d\n-- migrate:upgrade\n");

    const auto scripts = load_scripts({"v", "gone"}, files);
    REQUIRE_FALSE(scripts.has_value());
    const auto v = fs::path("v");
    CHECK(scripts.error().message ==
          (v / "0002_typo.sql").string() + ":2: unknown header key 'down_revison'; " +
              (v / "0003_unreadable.sql").string() + ": cannot read: permission denied; " +
              (v / "0004_nosection.sql").string() + ":2: missing section '-- migrate:downgrade'; " +
              "version directory 'gone' does not exist");
}

TEST_CASE("load_scripts shows the first five failures and counts the rest", "[script]") {
    FakeScriptFiles files;
    for (int i = 1; i <= 8; ++i) files.add("v", std::to_string(i) + ".sql", "broken");
    const auto scripts = load_scripts({"v"}, files);
    REQUIRE_FALSE(scripts.has_value());
    const std::string& message = scripts.error().message;
    CHECK_THAT(message, Catch::Contains("5.sql:1:") && Catch::EndsWith("; and 3 more"));
    CHECK_THAT(message, !Catch::Contains("6.sql"));
    CHECK(message.find('\n') == std::string::npos);
}

TEST_CASE("load_scripts handles ten thousand scripts", "[script]") {
    FakeScriptFiles files;
    constexpr int count = 10000;
    for (int i = 0; i < count; ++i) {
        files.add("v", std::to_string(100000 + i) + ".sql", valid_script("r" + std::to_string(i)));
    }
    const auto scripts = load_scripts({"v"}, files);
    REQUIRE(scripts.has_value());
    REQUIRE(scripts->size() == count);
    CHECK(scripts->back().revision == "r9999");
}

TEST_CASE("disk_script_files lists *.sql files directly in the directory, sorted", "[script]") {
    const test::TempDir dir;
    dir.write("0002_b.sql", "two");
    dir.write("0001_a.sql", "one");
    dir.write(".#0001_a.sql", "lock");
    dir.write("notes.txt", "x");
    dir.write("0003.sql.bak", "x");
    fs::create_directories(dir.path() / "sub.sql");
    dir.write("sub.sql/0004_nested.sql", "x");

    const auto& files = disk_script_files();
    const auto listed = files.list_sql_files(dir.path());
    CHECK(listed == std::vector<fs::path>{dir.path() / "0001_a.sql", dir.path() / "0002_b.sql"});

    const auto content = files.read(dir.path() / "0002_b.sql");
    REQUIRE(content.has_value());
    CHECK(*content == "two");

    const auto missing_file = files.read(dir.path() / "nope.sql");
    REQUIRE_FALSE(missing_file.has_value());
    CHECK_THAT(missing_file.error().message, Catch::Contains("nope.sql"));
}

TEST_CASE("disk_script_files names a missing or non-directory version location", "[script]") {
    const test::TempDir dir;
    dir.write("file.sql", "x");
    CHECK_THROWS_WITH(disk_script_files().list_sql_files(dir.path() / "versions"),
                      Catch::Contains("versions") && Catch::Contains("does not exist"));
    CHECK_THROWS_WITH(disk_script_files().list_sql_files(dir.path() / "file.sql"),
                      Catch::Contains("is not a directory"));

    const auto scripts = load_scripts({dir.path() / "versions"}, disk_script_files());
    REQUIRE_FALSE(scripts.has_value());
    CHECK_THAT(scripts.error().message, Catch::Contains((dir.path() / "versions").string()));
}

TEST_CASE("load_scripts reads real files from disk", "[script]") {
    const test::TempDir dir;
    dir.write("0001_a.sql", valid_script("a"));
    dir.write("0002_b.sql", valid_script("b", "a"));
    const auto scripts = load_scripts({dir.path()}, disk_script_files());
    REQUIRE(scripts.has_value());
    REQUIRE(scripts->size() == 2);
    CHECK((*scripts)[1].down_revisions == std::vector<std::string>{"a"});
}

TEST_CASE("load_scripts keeps the headers only; load_sql_bodies reads the sections back", "[script]") {
    FakeScriptFiles files;
    files.add("v", "0001_a.sql",
              "-- revision: a\n-- down_revision:\n\n-- migrate:upgrade\nCREATE TABLE t (x INT);\n"
              "-- migrate:downgrade transaction=false\nDROP TABLE t;\n");
    auto scripts = load_scripts({"v"}, files);
    REQUIRE(scripts.has_value());
    const auto& header_only = scripts->front();
    CHECK(header_only.bodies == migrator::script::SqlBodies::InFile);
    CHECK(header_only.upgrade.sql.empty());
    CHECK(header_only.upgrade.line == 4);
    CHECK(header_only.downgrade.transaction == migrator::script::TransactionMode::NonTransactional);

    const auto full = migrator::script::load_sql_bodies(header_only.path, header_only.revision, files);
    REQUIRE(full.has_value());
    CHECK(full->bodies == migrator::script::SqlBodies::InMemory);
    CHECK(full->upgrade.sql == "CREATE TABLE t (x INT);\n");
    CHECK(full->upgrade.line == 4);
    CHECK(full->downgrade.sql == "DROP TABLE t;\n");
    CHECK(full->downgrade.line == 6);

    files.contents[fs::path("v") / "0001_a.sql"] = valid_script("b");
    const auto changed = migrator::script::load_sql_bodies(header_only.path, header_only.revision, files);
    REQUIRE_FALSE(changed.has_value());
    CHECK(changed.error().message == (fs::path("v") / "0001_a.sql").string() +
                                         ": now declares revision b instead of a; run the command again");
}

TEST_CASE("disk_script_files reads files longer than one read() in full", "[script]") {
    const test::TempDir dir;
    const std::string long_sql(100 * 1024, 'x');
    dir.write("0001_a.sql",
              "-- revision: a\n-- migrate:upgrade\n" + long_sql + "\n-- migrate:downgrade\nSELECT 1;\n");
    dir.write("0002_b.sql", valid_script("b", "a"));
    const auto scripts = load_scripts({dir.path()}, disk_script_files());
    REQUIRE(scripts.has_value());
    REQUIRE(scripts->size() == 2);
    CHECK((*scripts)[0].path == (dir.path() / "0001_a.sql").string());
    const auto full =
        migrator::script::load_sql_bodies((*scripts)[0].path, (*scripts)[0].revision, disk_script_files());
    REQUIRE(full.has_value());
    CHECK(full->upgrade.sql == long_sql + "\n");
    CHECK(full->downgrade.line == 4);
}
