#include <catch2/catch.hpp>

#include "util/strings.hpp"

using migrator::util::split_list;
using migrator::util::trim;

TEST_CASE("trim removes surrounding white space only", "[strings]") {
    CHECK(trim("  a b \t\n") == "a b");
    CHECK(trim("").empty());
    CHECK(trim("   ").empty());
}

TEST_CASE("split_list trims items and drops empty ones", "[strings]") {
    CHECK(split_list("a, b ,c") == std::vector<std::string>{"a", "b", "c"});
    CHECK(split_list("").empty());
    CHECK(split_list(" , ,").empty());
    CHECK(split_list("only") == std::vector<std::string>{"only"});
}

TEST_CASE("printable escapes what a terminal would act on and keeps the rest", "[strings]") {
    using migrator::util::LineBreaks;
    using migrator::util::printable;
    using namespace std::string_literals;
    CHECK(printable("\x1b[2Jgone") == "\\x1b[2Jgone");
    CHECK(printable("a\rb\nc\td") == "a\\rb\\nc\td");
    CHECK(printable("a\nb", LineBreaks::Keep) == "a\nb");
    CHECK(printable("a\rb", LineBreaks::Keep) == "a\\rb");
    CHECK(printable("nul\0after"s) == "nul\\x00after");
    CHECK(printable("del\x7f") == "del\\x7f");
    // Invalid UTF-8: a lone continuation byte, a truncated sequence, an overlong '/', a surrogate.
    CHECK(printable("\x80x") == "\\x80x");
    CHECK(printable("caf\xc3") == "caf\\xc3");
    CHECK(printable("\xc0\xaf") == "\\xc0\\xaf");
    CHECK(printable("\xed\xa0\x80") == "\\xed\\xa0\\x80");
    // C1 CSI (U+009B) and a right-to-left override are escaped; other UTF-8 is kept.
    CHECK(printable("\xc2\x9b"
                    "31m") == "\\u{009b}31m");
    CHECK(printable("a\xe2\x80\xae"
                    "b") == "a\\u{202e}b");
    CHECK(printable("caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x99\x82 C:\\dir") ==
          "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x99\x82 C:\\dir");
}
