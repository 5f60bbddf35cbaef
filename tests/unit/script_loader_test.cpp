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

// One good script and three broken ones (a typo, an unreadable file, a missing section), all in "v".
FakeScriptFiles files_with_three_broken() {
    FakeScriptFiles files;
    files.add("v", "0001_ok.sql", valid_script("a"));
    files.add("v", "0002_typo.sql", "-- revision: b\n-- down_revison: a\n");
    files.add("v", "0003_unreadable.sql", "!cannot read: permission denied");
    files.add("v", "0004_nosection.sql", "-- revision: d\n-- migrate:upgrade\n");
    return files;
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
    const auto files = files_with_three_broken();

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

TEST_CASE("load_scripts reads real files from disk", "[script]") {
    const test::TempDir dir;
    dir.write("0001_a.sql", valid_script("a"));
    dir.write("0002_b.sql", valid_script("b", "a"));
    const auto scripts = load_scripts({dir.path()}, disk_script_files());
    REQUIRE(scripts.has_value());
    REQUIRE(scripts->size() == 2);
    CHECK((*scripts)[1].down_revisions == std::vector<std::string>{"a"});
}

TEST_CASE("ScriptFiles::read_in_order reads each file through read_path when asked", "[script]") {
    FakeScriptFiles files;
    files.add("v", "0001_a.sql", "first");
    files.add("v", "0002_b.sql", "!cannot read: broken");
    const std::vector<std::string> order = {(fs::path("v") / "0002_b.sql").string(),
                                            (fs::path("v") / "0001_a.sql").string()};
    const auto sequence = files.read_in_order(order.size(), [&](std::size_t i) { return order[i]; });
    const auto broken = sequence->next();
    REQUIRE_FALSE(broken.has_value());
    CHECK(broken.error().message == order[0] + ": cannot read: broken");
    const auto first = sequence->next();
    REQUIRE(first.has_value());
    CHECK(*first == "first");
    CHECK_FALSE(sequence->next().has_value());
}

TEST_CASE("load_scripts keeps the headers only, parse_sql_bodies reads the sections back", "[script]") {
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

    const auto full = migrator::script::parse_sql_bodies(files.read_path(header_only.path).value(),
                                                         header_only.path, header_only.revision);
    REQUIRE(full.has_value());
    CHECK(full->bodies == migrator::script::SqlBodies::InMemory);
    CHECK(full->upgrade.sql == "CREATE TABLE t (x INT);\n");
    CHECK(full->upgrade.line == 4);
    CHECK(full->downgrade.sql == "DROP TABLE t;\n");
    CHECK(full->downgrade.line == 6);

    files.contents[fs::path("v") / "0001_a.sql"] = valid_script("b");
    const auto changed = migrator::script::parse_sql_bodies(files.read_path(header_only.path).value(),
                                                            header_only.path, header_only.revision);
    REQUIRE_FALSE(changed.has_value());
    CHECK(changed.error().message == (fs::path("v") / "0001_a.sql").string() +
                                         ": now declares revision b instead of a; run the command again");
}

namespace {

using migrator::script::load_script_catalog;
using migrator::script::Script;
using migrator::script::ScriptCatalog;

// Scripts with every header key, several list items and a body that must not reach the catalog.
FakeScriptFiles files_with_full_headers() {
    FakeScriptFiles files;
    files.add("v1", "0001_a.sql",
              "-- revision: a\n-- message: first — ünïcode\n-- create_date: 2024-01-02 03:04:05\n"
              "-- branch_labels: lib, core\n-- migrate:upgrade\nCREATE TABLE SQL_MARKER_ONE (x INT);\n"
              "-- migrate:downgrade\nDROP TABLE SQL_MARKER_ONE;\n");
    files.add("v1", "0002_b.sql", valid_script("b", "a"));
    files.add("v2", "0001_c.sql",
              "-- revision: c\n-- down_revision: a, b\n-- depends_on: lib, b\n-- message: merge\n"
              "-- migrate:upgrade\n" +
                  std::string(4096, 'S') + "\n-- migrate:downgrade\nSELECT 'SQL_MARKER_TWO';\n");
    files.directories["empty"] = {};
    return files;
}

void check_same_headers(const ScriptCatalog& catalog, const std::vector<Script>& scripts) {
    using Field = ScriptCatalog::Field;
    using List = ScriptCatalog::List;
    REQUIRE(catalog.size() == scripts.size());
    for (std::size_t i = 0; i < scripts.size(); ++i) {
        const Script& s = scripts[i];
        INFO("script " << s.path);
        CHECK(catalog.text(i, Field::Revision) == s.revision);
        CHECK(catalog.text(i, Field::Message) == s.message);
        CHECK(catalog.text(i, Field::CreateDate) == s.create_date);
        CHECK(catalog.path(i) == s.path);
        CHECK(catalog.text(i, Field::FileName) == fs::path(s.path).filename().string());
        const std::pair<List, const std::vector<std::string>*> lists[] = {
            {List::DownRevisions, &s.down_revisions},
            {List::BranchLabels, &s.branch_labels},
            {List::DependsOn, &s.depends_on}};
        for (const auto& [list, expected] : lists) {
            std::vector<std::string> got;
            for (std::size_t k = 0; k < catalog.count(i, list); ++k)
                got.emplace_back(catalog.item(i, list, k));
            CHECK(got == *expected);
        }
    }
}

}  // namespace

TEST_CASE("load_script_catalog reads the same headers as load_scripts", "[script]") {
    const FakeScriptFiles files = files_with_full_headers();
    const auto scripts = load_scripts({"v1", "empty", "v2"}, files);
    const auto catalog = load_script_catalog({"v1", "empty", "v2"}, files);
    REQUIRE(scripts.has_value());
    REQUIRE(catalog.has_value());
    REQUIRE(scripts->size() == 3);
    // The fixture's headers really are all there, so that the comparison below compares something.
    CHECK((*scripts)[0].message == "first — ünïcode");
    CHECK((*scripts)[0].branch_labels == std::vector<std::string>{"lib", "core"});
    CHECK((*scripts)[2].down_revisions == std::vector<std::string>{"a", "b"});
    CHECK((*scripts)[2].depends_on == std::vector<std::string>{"lib", "b"});
    check_same_headers(*catalog, *scripts);
}

TEST_CASE("load_script_catalog reads the same headers from disk", "[script]") {
    const test::TempDir dir;
    dir.write("0001_a.sql", "-- revision: a\n-- message: on disk\n-- migrate:upgrade\n" +
                                std::string(std::size_t{40} * 1024, 'x') +
                                "\n-- migrate:downgrade\nSELECT 1;\n");
    dir.write("0002_b.sql", valid_script("b", "a"));
    const auto scripts = load_scripts({dir.path()}, disk_script_files());
    const auto catalog = load_script_catalog({dir.path()}, disk_script_files());
    REQUIRE(scripts.has_value());
    REQUIRE(catalog.has_value());
    REQUIRE(scripts->size() == 2);
    CHECK((*scripts)[0].message == "on disk");
    check_same_headers(*catalog, *scripts);
}

TEST_CASE("load_script_catalog keeps none of the SQL", "[script]") {
    const FakeScriptFiles files = files_with_full_headers();
    const auto scripts = load_scripts({"v1", "v2"}, files);
    auto catalog = load_script_catalog({"v1", "v2"}, files);
    REQUIRE(scripts.has_value());
    REQUIRE(catalog.has_value());
    // The text holds the header fields (of a path, the file name: directories are kept apart) and the
    // list items, back to back.
    std::size_t header_bytes = 0;
    for (const Script& s : *scripts) {
        header_bytes += s.revision.size() + s.message.size() + s.create_date.size() +
                        fs::path(s.path).filename().string().size();
        for (const auto* list : {&s.down_revisions, &s.branch_labels, &s.depends_on})
            for (const std::string& item : *list) header_bytes += item.size();
    }
    REQUIRE(header_bytes > 0);
    const std::vector<char> text = std::move(*catalog).release().text;
    CHECK(text.size() == header_bytes);
    const std::string_view all(text.data(), text.size());
    CHECK(all.find("SQL_MARKER") == std::string_view::npos);
    CHECK(all.find("SSSS") == std::string_view::npos);
}

TEST_CASE("load_script_catalog reports broken files exactly as load_scripts does", "[script]") {
    const auto files = files_with_three_broken();

    const auto scripts = load_scripts({"v", "gone"}, files);
    const auto catalog = load_script_catalog({"v", "gone"}, files);
    REQUIRE_FALSE(scripts.has_value());
    REQUIRE_FALSE(catalog.has_value());
    const auto v = fs::path("v");
    CHECK(catalog.error().message ==
          (v / "0002_typo.sql").string() + ":2: unknown header key 'down_revison'; " +
              (v / "0003_unreadable.sql").string() + ": cannot read: permission denied; " +
              (v / "0004_nosection.sql").string() + ":2: missing section '-- migrate:downgrade'; " +
              "version directory 'gone' does not exist");
    CHECK(catalog.error().message == scripts.error().message);

    FakeScriptFiles many;
    for (int i = 1; i <= 8; ++i) many.add("v", std::to_string(i) + ".sql", "broken");
    const auto many_scripts = load_scripts({"v"}, many);
    const auto many_catalog = load_script_catalog({"v"}, many);
    REQUIRE_FALSE(many_scripts.has_value());
    REQUIRE_FALSE(many_catalog.has_value());
    CHECK_THAT(many_catalog.error().message, Catch::EndsWith("; and 3 more"));
    CHECK(many_catalog.error().message == many_scripts.error().message);
}
