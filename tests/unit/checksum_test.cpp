#include <catch2/catch.hpp>

#include "script/checksum.hpp"

using migrator::script::normalise_section;
using migrator::script::section_checksum;

TEST_CASE("line endings, a BOM, trailing white space and outer blank lines do not count", "[checksum]") {
    const std::string plain = "CREATE TABLE t (a VARCHAR(50));\nINSERT INTO t VALUES ('x');\n";
    CHECK(normalise_section(plain) == plain);
    CHECK(section_checksum("\xEF\xBB\xBF"
                           "CREATE TABLE t (a VARCHAR(50));\r\nINSERT INTO t VALUES ('x');\r\n") ==
          section_checksum(plain));
    CHECK(
        section_checksum("\n\n  \nCREATE TABLE t (a VARCHAR(50));  \t\nINSERT INTO t VALUES ('x');\n\n\n") ==
        section_checksum(plain));
    CHECK(section_checksum("CREATE TABLE t (a VARCHAR(50));\rINSERT INTO t VALUES ('x');") ==
          section_checksum(plain));
}

TEST_CASE("anything in the SQL counts", "[checksum]") {
    const auto base = section_checksum("CREATE TABLE t (a VARCHAR(50));\n");
    CHECK(section_checksum("CREATE TABLE t (a VARCHAR(80));\n") != base);
    CHECK(section_checksum("  CREATE TABLE t (a VARCHAR(50));\n") != base);  // indentation
    CHECK(section_checksum("CREATE TABLE t (a VARCHAR(50));\n-- note\n") != base);
    CHECK(section_checksum("CREATE TABLE t\n\n(a VARCHAR(50));\n") !=
          section_checksum("CREATE TABLE t\n(a VARCHAR(50));\n"));
}

TEST_CASE("a checksum names its algorithm and is SHA-256 of the normalised text", "[checksum]") {
    // sha256("") and sha256("abc\n"), as `sha256sum` prints them.
    CHECK(section_checksum("") == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(section_checksum("abc") ==
          "sha256:edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb34982ddf0efd18cb");
}

TEST_CASE("sha256_hex digests the text exactly as given", "[checksum]") {
    CHECK(migrator::script::sha256_hex("abc") ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(migrator::script::sha256_hex("abc ") != migrator::script::sha256_hex("abc"));
}
