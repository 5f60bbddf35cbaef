#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "migrator/script/script_loader.hpp"
#include "temp_dir.hpp"

using migrator::Expected;
using migrator::script::disk_script_files;
using migrator::script::load_scripts;
namespace fs = std::filesystem;

namespace {

std::string valid_script(const std::string& revision, const std::string& parent = "") {
    return "-- revision: " + revision + "\n-- down_revision: " + parent +
           "\n-- migrate:upgrade\nSELECT 1;\n-- migrate:downgrade\n";
}

// Drops a file's pages out of the page cache, as memory pressure would, so that reading them waits
// for the disk. Returns false if it cannot.
bool evict_from_page_cache(const fs::path& file) {
    const int fd = open(file.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) return false;
    // Only clean pages can be dropped.
    const bool evicted = fdatasync(fd) == 0 && posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0;
    close(fd);
    return evicted;
}

// Leaves the file's first page alone in the page cache: read on its own, without read-ahead.
bool cache_first_page_only(const fs::path& file) {
    if (!evict_from_page_cache(file)) return false;
    const int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    char byte = 0;
    const bool cached = posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM) == 0 && pread(fd, &byte, 1, 0) == 1;
    close(fd);
    return cached;
}

// What read_each handed over for each index, in the order it did.
struct Taken {
    std::size_t index;
    bool ok;
    std::string text;  // the content, or the failure's message
};

std::vector<Taken> read_each(const fs::path& dir, const std::vector<std::string>& paths) {
    std::vector<Taken> taken;
    disk_script_files().read_each(dir, paths, [&](std::size_t i, const Expected<std::string_view>& text) {
        taken.push_back(text ? Taken{i, true, std::string(*text)} : Taken{i, false, text.error().message});
    });
    return taken;
}

}  // namespace

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

TEST_CASE("disk_script_files sorts names byte by byte, as strings compare", "[script]") {
    const test::TempDir dir;
    // Names shorter and longer than 8 bytes, sharing their first 8 bytes or beginning one another,
    // upper case before lower case, and UTF-8 bytes above 0x7F after ASCII.
    const std::string e_acute = "\xc3\xa9";
    const std::string e_grave = "\xc3\xa8";
    const std::vector<std::string> names = {"b.sql",
                                            "a.sql",
                                            "ab.sql",
                                            "Z.sql",
                                            "~.sql",
                                            "\x7f.sql",
                                            "0001_x.sql",
                                            "0001_xy.sql",
                                            "0001_xa.sql",
                                            "00010.sql",
                                            "0001_x.sql.sql",
                                            "abcdefg.sql",
                                            "abcdefgh.sql",
                                            "abcdefgh1.sql",
                                            "abcdefgh_.sql",
                                            "a-very-long-name-indeed.sql",
                                            "a.sql.sql",
                                            e_acute + ".sql",
                                            e_grave + ".sql",
                                            e_acute + "z.sql",
                                            "a" + e_acute + "b.sql",
                                            "a" + e_acute + "a.sql"};
    std::vector<std::string> expected;
    for (const auto& name : names) {
        dir.write(name, "x");
        expected.push_back((dir.path() / name).string());
    }
    std::sort(expected.begin(), expected.end());
    CHECK(disk_script_files().list_sql_paths(dir.path()) == expected);
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

TEST_CASE("disk_script_files reads files longer than one read() in full", "[script]") {
    const test::TempDir dir;
    const std::string long_sql(std::size_t{100} * 1024, 'x');
    dir.write("0001_a.sql",
              "-- revision: a\n-- migrate:upgrade\n" + long_sql + "\n-- migrate:downgrade\nSELECT 1;\n");
    dir.write("0002_b.sql", valid_script("b", "a"));
    const auto scripts = load_scripts({dir.path()}, disk_script_files());
    REQUIRE(scripts.has_value());
    REQUIRE(scripts->size() == 2);
    CHECK((*scripts)[0].path == (dir.path() / "0001_a.sql").string());
    const auto full =
        migrator::script::parse_sql_bodies(disk_script_files().read_path((*scripts)[0].path).value(),
                                           (*scripts)[0].path, (*scripts)[0].revision);
    REQUIRE(full.has_value());
    CHECK(full->upgrade.sql == long_sql + "\n");
    CHECK(full->downgrade.line == 4);
}

TEST_CASE("disk_script_files reads every file in full and in order, cached or not", "[script]") {
    const test::TempDir dir;
    // More files than the read-ahead keeps open, with sizes at the page and read-buffer boundaries.
    const std::vector<std::size_t> sizes = {0, 1, 293, 4095, 4096, 4097, 8192, 16383, 16384, 16385, 40000};
    constexpr std::size_t count = 200;
    std::vector<std::string> expected;
    for (std::size_t i = 0; i < count; ++i) {
        std::string text(sizes[i % sizes.size()], static_cast<char>('a' + i % 26));
        if (!text.empty()) text.front() = static_cast<char>('0' + i % 10);
        expected.push_back(text);
        dir.write(fmt::format("{:04}.sql", i), text);
    }
    const auto paths = disk_script_files().list_sql_paths(dir.path());
    REQUIRE(paths.size() == count);
    // The first ten files stay cached. The eleventh (40000 bytes) keeps its first page only, so the
    // first read that must not wait stops there, short of the end of the file. The rest are not cached.
    REQUIRE(expected[10].size() == 40000);
    CHECK(cache_first_page_only(paths[10]));
    for (std::size_t i = 11; i < count; ++i) {
        INFO(paths[i]);
        CHECK(evict_from_page_cache(paths[i]));
    }

    const auto taken = read_each(dir.path(), paths);
    REQUIRE(taken.size() == count);
    for (std::size_t i = 0; i < count; ++i) {
        INFO(paths[i]);
        CHECK(taken[i].index == i);
        CHECK(taken[i].ok);
        CHECK(taken[i].text.size() == expected[i].size());
        CHECK(taken[i].text == expected[i]);
    }
}

TEST_CASE("disk_script_files reports a file gone since the listing at its place", "[script]") {
    const test::TempDir dir;
    for (int i = 0; i < 100; ++i) dir.write(fmt::format("{:04}.sql", i), valid_script(fmt::format("r{}", i)));
    const auto paths = disk_script_files().list_sql_paths(dir.path());
    REQUIRE(paths.size() == 100);
    for (const auto& path : paths) evict_from_page_cache(path);
    fs::remove(paths[70]);

    const auto taken = read_each(dir.path(), paths);
    REQUIRE(taken.size() == 100);
    for (std::size_t i = 0; i < taken.size(); ++i) {
        INFO(paths[i]);
        CHECK(taken[i].index == i);
        CHECK(taken[i].ok == (i != 70));
    }
    CHECK(taken[70].text == paths[70] + ": cannot open: No such file or directory");
    CHECK(taken[71].text == valid_script("r71"));
}

TEST_CASE("disk_script_files reads a sequence of files from several directories in the order given",
          "[script]") {
    const test::TempDir dir;
    // A plan's order is not the file name order, and its scripts may come from several locations.
    constexpr int count = 150;
    std::vector<std::string> paths;
    std::vector<std::string> expected;
    for (int i = 0; i < count; ++i) {
        const auto name = fmt::format("{}/{:04}.sql", i % 2 == 0 ? "v1" : "v2", count - i);
        const std::string text(static_cast<std::size_t>(100 + i * 97), static_cast<char>('a' + i % 26));
        dir.write(name, text);
        paths.push_back((dir.path() / name).string());
        expected.push_back(text);
    }
    for (int i = 5; i < count; ++i) CHECK(evict_from_page_cache(paths[static_cast<std::size_t>(i)]));
    fs::remove(paths[90]);

    const auto sequence =
        disk_script_files().read_in_order(paths.size(), [&](std::size_t i) { return paths[i]; });
    for (std::size_t i = 0; i < paths.size(); ++i) {
        INFO(paths[i]);
        const auto text = sequence->next();
        if (i == 90) {
            REQUIRE_FALSE(text.has_value());
            CHECK(text.error().message == paths[90] + ": cannot open: No such file or directory");
            continue;
        }
        REQUIRE(text.has_value());
        CHECK(*text == expected[i]);
    }
    const auto past_end = sequence->next();
    REQUIRE_FALSE(past_end.has_value());
    CHECK(past_end.error().message == "read past the end of a script sequence");
}
