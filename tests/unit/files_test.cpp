#include "util/files.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "temp_dir.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;
using migrator::util::write_new_file;

namespace {

std::string read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

TEST_CASE("write_new_file creates a file with the text", "[files]") {
    const test::TempDir dir;
    const auto path = dir.path() / "new.sql";
    write_new_file(path, "select 1;\n");
    CHECK(read_all(path) == "select 1;\n");
}

TEST_CASE("write_new_file never replaces an existing file", "[files]") {
    const test::TempDir dir;
    const auto path = dir.path() / "old.sql";
    write_new_file(path, "old");
    CHECK_THROWS_WITH(write_new_file(path, "new"),
                      Catch::Contains("already exists") && Catch::Contains("old.sql"));
    CHECK(read_all(path) == "old");
}

TEST_CASE("write_new_file does not follow a dangling symbolic link", "[files]") {
    const test::TempDir dir;
    const auto target = dir.path() / "outside.txt";
    const auto link = dir.path() / "link.sql";
    fs::create_symlink(target, link);
    CHECK_THROWS_WITH(write_new_file(link, "text"),
                      Catch::Contains("link.sql") && Catch::Contains("a symbolic link is in the way"));
    CHECK_FALSE(fs::exists(target));
    CHECK(fs::is_symlink(link));
}

TEST_CASE("write_new_file names the path when the directory is missing", "[files]") {
    const test::TempDir dir;
    CHECK_THROWS_WITH(write_new_file(dir.path() / "no" / "x.sql", "text"),
                      Catch::Contains("cannot create") && Catch::Contains("x.sql"));
}
