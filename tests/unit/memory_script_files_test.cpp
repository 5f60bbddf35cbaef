#include <catch2/catch.hpp>

#include "script/memory_script_files.hpp"
#include "util/error.hpp"

using migrator::script::MemoryScriptFiles;

TEST_CASE("MemoryScriptFiles lists the *.sql files directly in a directory, by name", "[script]") {
    MemoryScriptFiles files;
    files.add("versions/0002_b.sql", "b");
    files.add("versions/0001_a.sql", "a");
    files.add("versions/.0003_hidden.sql", "h");
    files.add("versions/notes.txt", "n");
    files.add("versions/sub/0004_d.sql", "d");
    files.add("other/0001_x.sql", "x");
    const std::vector<std::filesystem::path> expected{"versions/0001_a.sql", "versions/0002_b.sql"};
    CHECK(files.list_sql_files("versions") == expected);
    CHECK(files.list_sql_files("./versions/") == expected);
    CHECK(files.list_sql_files("versions/sub") ==
          std::vector<std::filesystem::path>{"versions/sub/0004_d.sql"});
}

TEST_CASE("MemoryScriptFiles reads what was added and names what was not", "[script]") {
    MemoryScriptFiles files;
    files.add("versions/0001_a.sql", "text");
    CHECK(files.read("versions/0001_a.sql").value() == "text");
    CHECK(files.read_path("versions/../versions/0001_a.sql").value() == "text");
    const auto missing = files.read("versions/0002_b.sql");
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().message == "versions/0002_b.sql: cannot open: no such script");
}

TEST_CASE("MemoryScriptFiles knows a directory only when it was added or holds a file", "[script]") {
    MemoryScriptFiles files;
    CHECK_THROWS_WITH(files.list_sql_files("versions"), "version directory 'versions' does not exist");
    files.add_directory("versions");
    CHECK(files.list_sql_files("versions").empty());
}
