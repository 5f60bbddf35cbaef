#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "script/revision_id.hpp"
#include "script/script_loader.hpp"
#include "temp_dir.hpp"
#include "util/error.hpp"

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

namespace {

using migrator::script::FileStamp;

// FakeScriptFiles with stat data and a header cache per directory; counts the files read.
class CachingScriptFiles final : public ScriptFiles {
public:
    FakeScriptFiles files;
    std::map<std::string, std::optional<FileStamp>> stamp_of;  // by path; a missing path has none
    mutable std::map<fs::path, std::string> caches;
    mutable std::vector<std::string> reads;
    mutable int cache_writes = 0;

    std::vector<fs::path> list_sql_files(const fs::path& dir) const override {
        return files.list_sql_files(dir);
    }
    Expected<std::string> read(const fs::path& file) const override {
        reads.push_back(file.string());
        return files.read(file);
    }
    std::vector<std::optional<FileStamp>> stamps(const fs::path& /*dir*/,
                                                 const std::vector<std::string>& paths) const override {
        std::vector<std::optional<FileStamp>> stamps;
        for (const auto& path : paths) {
            const auto found = stamp_of.find(path);
            stamps.push_back(found == stamp_of.end() ? std::nullopt : found->second);
        }
        return stamps;
    }
    std::string read_header_cache(const fs::path& dir) const override {
        const auto found = caches.find(dir);
        return found == caches.end() ? std::string() : found->second;
    }
    void write_header_cache(const fs::path& dir, std::string_view text) const override {
        ++cache_writes;
        caches[dir] = std::string(text);
    }

    // Adds a file whose stamp is its content's size and `version`.
    void add(const fs::path& dir, const std::string& name, const std::string& text,
             std::int64_t version = 1) {
        files.add(dir, name, text);
        stamp_of[(dir / name).string()] = FileStamp{text.size(), version, version, 7, 1};
    }
    void change(const fs::path& dir, const std::string& name, const std::string& text, std::int64_t version) {
        files.contents[dir / name] = text;
        stamp_of[(dir / name).string()] = FileStamp{text.size(), version, version, 7, 1};
    }
};

CachingScriptFiles caching_files() {
    CachingScriptFiles caching;
    const FakeScriptFiles full = files_with_full_headers();
    for (const auto& [dir, paths] : full.directories) {
        caching.files.directories[dir];
        for (const auto& path : paths) caching.add(dir, path.filename().string(), full.contents.at(path));
    }
    return caching;
}

}  // namespace

TEST_CASE("load_script_catalog: a second load takes every unchanged header from the cache", "[script]") {
    const CachingScriptFiles files = caching_files();
    const auto first = load_script_catalog({"v1", "empty", "v2"}, files);
    REQUIRE(first);
    CHECK(files.reads.size() == 3);
    CHECK(files.cache_writes == 2);  // v1 and v2; the empty directory has nothing to keep
    files.reads.clear();
    const auto second = load_script_catalog({"v1", "empty", "v2"}, files);
    REQUIRE(second);
    CHECK(files.reads.empty());
    CHECK(files.cache_writes == 2);  // nothing changed, nothing written
    check_same_headers(*second, *load_scripts({"v1", "empty", "v2"}, files.files));
}

TEST_CASE("load_script_catalog: a changed, added or removed file is seen, and the cache follows",
          "[script]") {
    CachingScriptFiles files = caching_files();
    REQUIRE(load_script_catalog({"v1", "v2"}, files));
    // The same size, another header: only the stamp tells.
    files.change("v1", "0002_b.sql", valid_script("x", "a"), 2);
    files.add("v1", "0003_d.sql", valid_script("d", "x"));
    files.files.directories["v2"].clear();
    files.reads.clear();
    const auto changed = load_script_catalog({"v1", "v2"}, files);
    REQUIRE(changed);
    CHECK(files.reads == std::vector<std::string>{(fs::path("v1") / "0002_b.sql").string(),
                                                  (fs::path("v1") / "0003_d.sql").string()});
    check_same_headers(*changed, *load_scripts({"v1", "v2"}, files.files));
    // What was rewritten is what the next load uses: no file is read again.
    files.reads.clear();
    const auto again = load_script_catalog({"v1", "v2"}, files);
    REQUIRE(again);
    CHECK(files.reads.empty());
    check_same_headers(*again, *load_scripts({"v1", "v2"}, files.files));
    CHECK(files.caches.at("v2").find(".sql") == std::string::npos);
}

TEST_CASE("load_script_catalog: a file without a stamp is read every time and never kept", "[script]") {
    CachingScriptFiles files = caching_files();
    files.stamp_of[(fs::path("v1") / "0002_b.sql").string()] = std::nullopt;
    REQUIRE(load_script_catalog({"v1"}, files));
    CHECK(files.caches.at("v1").find("0002_b.sql") == std::string::npos);
    files.reads.clear();
    REQUIRE(load_script_catalog({"v1"}, files));
    CHECK(files.reads == std::vector<std::string>{(fs::path("v1") / "0002_b.sql").string()});
}

TEST_CASE("load_script_catalog: a damaged cache is read around and replaced", "[script]") {
    CachingScriptFiles files = caching_files();
    REQUIRE(load_script_catalog({"v1"}, files));
    std::string& cache = files.caches.at("v1");
    cache.resize(cache.size() - 3);
    files.reads.clear();
    const auto loaded = load_script_catalog({"v1"}, files);
    REQUIRE(loaded);
    CHECK(files.reads.size() == 2);
    check_same_headers(*loaded, *load_scripts({"v1"}, files.files));
    files.reads.clear();
    REQUIRE(load_script_catalog({"v1"}, files));
    CHECK(files.reads.empty());
}

TEST_CASE("load_script_catalog: a broken script fails the load and writes no cache", "[script]") {
    CachingScriptFiles files = caching_files();
    files.add("v1", "0003_typo.sql", "-- revision: t\n-- down_revison: b\n");
    const auto loaded = load_script_catalog({"v1"}, files);
    REQUIRE_FALSE(loaded);
    CHECK(loaded.error().message.find("0003_typo.sql") != std::string::npos);
    CHECK(files.cache_writes == 0);
}

TEST_CASE("disk_script_files keeps the header cache in a directory git ignores", "[script]") {
    test::TempDir dir;
    dir.write("0001_a.sql", valid_script("a"));
    dir.write("0002_b.sql", valid_script("b", "a"));
    const auto files = migrator::script::make_disk_script_files(std::chrono::nanoseconds(0));
    REQUIRE(load_script_catalog({dir.path()}, *files));
    const fs::path cache_dir = dir.path() / ".migrator_cache";
    REQUIRE(fs::is_regular_file(cache_dir / "headers"));
    std::ifstream ignore(cache_dir / ".gitignore");
    std::string lines((std::istreambuf_iterator<char>(ignore)), std::istreambuf_iterator<char>());
    CHECK(lines.find("\n*\n") != std::string::npos);
    CHECK(std::distance(fs::directory_iterator(cache_dir), fs::directory_iterator()) ==
          2);  // nothing left aside

    // An editor's save (a new file renamed over the old one) of the same size is seen.
    dir.write("0002_b.sql.new", valid_script("c", "a"));
    fs::rename(dir.path() / "0002_b.sql.new", dir.path() / "0002_b.sql");
    const auto loaded = load_script_catalog({dir.path()}, *files);
    REQUIRE(loaded);
    CHECK(loaded->text(1, ScriptCatalog::Field::Revision) == "c");
}

TEST_CASE("disk_script_files reads a file changed just now every time, even at the same size", "[script]") {
    test::TempDir dir;
    dir.write("0001_a.sql", valid_script("a"));
    REQUIRE(load_script_catalog({dir.path()}, disk_script_files()));
    // Rewritten in place within the same clock tick, size, inode and maybe timestamps unchanged.
    dir.write("0001_a.sql", valid_script("b"));
    const auto loaded = load_script_catalog({dir.path()}, disk_script_files());
    REQUIRE(loaded);
    CHECK(loaded->text(0, ScriptCatalog::Field::Revision) == "b");
    CHECK_FALSE(fs::exists(dir.path() / ".migrator_cache" / "headers"));
}
