#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "script/script_loader.hpp"
#include "script/script_parser.hpp"
#include "script/script_writer.hpp"
#include "script/statement_splitter.hpp"

using migrator::script::default_file_template;
using migrator::script::default_script_template;
using migrator::script::FileNameFields;
using migrator::script::NewScript;
using migrator::script::next_sequence_number;
using migrator::script::parse_script;
using migrator::script::render_file_name;
using migrator::script::render_script;
using migrator::script::slugify;
using migrator::script::split_statements;

namespace {

using Strings = std::vector<std::string>;
const std::map<std::string, std::string> no_x;

std::string render_default(const NewScript& script) {
    auto text = render_script(default_script_template(), script, no_x, "script.sql.tmpl");
    REQUIRE(text.has_value());
    return *text;
}

std::string render_error(std::string_view template_text, const NewScript& script,
                         const std::map<std::string, std::string>& x = no_x) {
    const auto text = render_script(template_text, script, x, "env/script.sql.tmpl");
    REQUIRE_FALSE(text.has_value());
    return text.error().message;
}

NewScript simple_script() {
    NewScript script;
    script.revision = "3f2a9c1b7d4e";
    script.message = "add email column to users";
    script.create_date = "2026-11-24 10:15:02";
    return script;
}

}  // namespace

TEST_CASE("default template renders exactly the documented format", "[script]") {
    NewScript script = simple_script();
    script.down_revisions = {"9b1c2d3e4f5a"};
    script.upgrade_sql = "ALTER TABLE users ADD COLUMN email VARCHAR(100);";
    script.downgrade_sql = "ALTER TABLE users DROP COLUMN email;\n";
    CHECK(render_default(script) ==
          "-- message: add email column to users\n"
          "-- revision: 3f2a9c1b7d4e\n"
          "-- down_revision: 9b1c2d3e4f5a\n"
          "-- branch_labels:\n"
          "-- depends_on:\n"
          "-- create_date: 2026-11-24 10:15:02\n"
          "\n"
          "-- migrate:upgrade\n"
          "ALTER TABLE users ADD COLUMN email VARCHAR(100);\n"
          "\n"
          "-- migrate:downgrade\n"
          "ALTER TABLE users DROP COLUMN email;\n");
}

TEST_CASE("a rendered script parses back to the same fields", "[script]") {
    NewScript script = simple_script();
    script.down_revisions = {"aaa111", "bbb222"};
    script.branch_labels = {"main", "feature_x"};
    script.depends_on = {"other", "ccc333"};
    script.upgrade_sql = "CREATE TABLE a (x INT);\nCREATE TABLE b (y INT);";
    script.downgrade_sql = "DROP TABLE b;\nDROP TABLE a;";

    const auto parsed = parse_script(render_default(script), "versions/0003_x.sql");
    REQUIRE(parsed.has_value());
    CHECK(parsed->revision == script.revision);
    CHECK(parsed->down_revisions == script.down_revisions);
    CHECK(parsed->branch_labels == script.branch_labels);
    CHECK(parsed->depends_on == script.depends_on);
    CHECK(parsed->message == script.message);
    CHECK(parsed->create_date == script.create_date);
    const auto upgrade = split_statements(parsed->upgrade.sql, migrator::dialect::DialectKind::Sqlite,
                                          {"", parsed->upgrade.line + 1})
                             .value_or_throw();
    REQUIRE(upgrade.size() == 2);
    CHECK(upgrade[1].sql == "CREATE TABLE b (y INT)");
    CHECK(upgrade[1].line == 10);
    CHECK(split_statements(parsed->downgrade.sql, migrator::dialect::DialectKind::Sqlite)
              .value_or_throw()
              .size() == 2);
}

TEST_CASE("a base script without SQL renders hints that hold no statements", "[script]") {
    NewScript script = simple_script();
    const std::string text = render_default(script);
    CHECK(text.find(" \n") == std::string::npos);  // no trailing blanks after empty values
    CHECK_THAT(text, Catch::Contains("-- write the upgrade SQL here"));
    const auto parsed = parse_script(text, "v.sql");
    REQUIRE(parsed.has_value());
    CHECK(parsed->down_revisions.empty());
    CHECK(split_statements(parsed->upgrade.sql, migrator::dialect::DialectKind::Sqlite)
              .value_or_throw()
              .empty());
    CHECK(split_statements(parsed->downgrade.sql, migrator::dialect::DialectKind::Sqlite)
              .value_or_throw()
              .empty());
}

TEST_CASE("a multi-line message stays on its header line", "[script]") {
    NewScript script = simple_script();
    script.message = "first line\nsecond line\r\n";
    const auto parsed = parse_script(render_default(script), "v.sql");
    REQUIRE(parsed.has_value());
    CHECK(parsed->message == "first line second line");
}

TEST_CASE("render_script fills -x values and leaves other text alone", "[script]") {
    const auto text = render_script("-- tenant: ${x.tenant} $$ $1 ${ revision }\n", simple_script(),
                                    {{"tenant", "acme"}}, "t.tmpl");
    REQUIRE(text.has_value());
    CHECK(*text == "-- tenant: acme $$ $1 3f2a9c1b7d4e\n");
}

TEST_CASE("render_script names the template, line and placeholder on failure", "[script]") {
    CHECK(render_error("a\nb ${x.tenant}\n", simple_script()) ==
          "env/script.sql.tmpl:2: placeholder '${x.tenant}' needs a value: pass -x tenant=...");
    CHECK(render_error("\n\n${mesage}", simple_script()) ==
          "env/script.sql.tmpl:3: unknown placeholder '${mesage}'");
    CHECK_THAT(render_error("${message\n}", simple_script()),
               Catch::StartsWith("env/script.sql.tmpl:1: unterminated placeholder"));
    CHECK_THAT(render_error("x ${", simple_script()),
               Catch::StartsWith("env/script.sql.tmpl:1: unterminated"));
}

TEST_CASE("render_script refuses ids the version table or the target grammar cannot hold", "[script]") {
    NewScript script = simple_script();
    script.revision = std::string(33, 'a');
    CHECK_THAT(render_error(default_script_template(), script), Catch::Contains("at most 32"));
    script.revision = "heads";
    CHECK_THAT(render_error(default_script_template(), script),
               Catch::Contains("'heads' is a reserved word"));
    script.revision = "ok";
    script.down_revisions = {"bad-id"};
    CHECK_THAT(render_error(default_script_template(), script),
               Catch::StartsWith("down_revision: revision id 'bad-id'"));
    script.down_revisions = {};
    script.branch_labels = {"a@b"};
    CHECK_THAT(render_error(default_script_template(), script), Catch::StartsWith("branch_labels:"));
}

TEST_CASE("slugify lowercases and joins words with single underscores", "[script]") {
    CHECK(slugify("Add email column to users", 40) == "add_email_column_to_users");
    CHECK(slugify("  --Add   'email'  (users)!! ", 40) == "add_email_users");
    CHECK(slugify("v2.1: fix FK", 40) == "v2_1_fix_fk");
    CHECK(slugify("", 40).empty());
    CHECK(slugify("?!-", 40).empty());
    CHECK(slugify("caf\xC3\xA9 cr\xC3\xA8me", 40) == "caf_cr_me");
}

TEST_CASE("slugify cuts long messages at a word boundary", "[script]") {
    CHECK(slugify("add email column to users", 12) == "add_email");  // cut inside "column"
    CHECK(slugify("add email column to users", 9) == "add_email");   // cut exactly at a boundary
    CHECK(slugify("add email column to users", 10) == "add_email");  // cut just after a boundary
    CHECK(slugify("supercalifragilistic words", 5) == "super");      // a single long first word
    CHECK(slugify("add email column to users", 0) == "add_email_column_to_users");  // no limit
    const std::string slug = slugify(std::string(100, 'x') + " y", 40);
    CHECK(slug.size() == 40);
}

TEST_CASE("render_file_name uses fmt named arguments and appends .sql", "[script]") {
    FileNameFields fields;
    fields.seq = 7;
    fields.rev = "3f2a9c1b7d4e";
    fields.slug = "add_email";
    fields.year = 2026;
    fields.month = 3;
    fields.day = 4;
    fields.hour = 5;
    fields.minute = 6;
    fields.second = 9;
    const auto plain = render_file_name(default_file_template, fields);
    REQUIRE(plain.has_value());
    CHECK(*plain == "0007_3f2a9c1b7d4e_add_email.sql");

    const auto dated = render_file_name(
        "{year}_{month:02d}_{day:02d}_{hour:02d}{minute:02d}{second:02d}-{rev}-{slug}", fields);
    REQUIRE(dated.has_value());
    CHECK(*dated == "2026_03_04_050609-3f2a9c1b7d4e-add_email.sql");

    fields.seq = 12345;
    CHECK(*render_file_name("{seq:04d}", fields) == "12345.sql");
    CHECK(*render_file_name("{{{rev}}}", fields) == "{3f2a9c1b7d4e}.sql");
}

TEST_CASE("render_file_name refuses bad templates naming the setting", "[script]") {
    const FileNameFields fields{};
    for (const char* bad :
         {"{seq:04d}_{revision}", "{seq", "{}_{rev}", "{0}", "{:d}", "{slug:d}", "{seq}/{slug}", ""}) {
        const auto name = render_file_name(bad, fields);
        REQUIRE_FALSE(name.has_value());
        CHECK_THAT(name.error().message, Catch::StartsWith("setting 'file_template'"));
    }
}

TEST_CASE("next_sequence_number continues after the largest leading number", "[script]") {
    CHECK(next_sequence_number({}) == 1);
    CHECK(next_sequence_number({"README.md", "abc_0005.sql"}) == 1);
    CHECK(next_sequence_number({"0001_a.sql", "0010_c.sql", "0003_b.sql", "notes.sql"}) == 11);
    CHECK(next_sequence_number({"versions/0041_x.sql", "12.sql"}) == 42);
    CHECK(next_sequence_number({"0000_init.sql"}) == 1);
    CHECK(next_sequence_number({"99999999999999999999_huge.sql", "0002_x.sql"}) == 3);
}

TEST_CASE("render_file_name refuses names the loader would ignore", "[script]") {
    FileNameFields fields{};
    fields.slug = "x";
    for (const char* hidden : {".{slug}", ".hidden_{seq}"}) {
        INFO(hidden);
        const auto name = render_file_name(hidden, fields);
        REQUIRE_FALSE(name.has_value());
        CHECK_THAT(name.error().message, Catch::StartsWith("setting 'file_template'") &&
                                             Catch::Contains("the script loader would ignore"));
    }
    // Every name render_file_name accepts is one the loader reads.
    const auto plain = render_file_name("{slug}", fields);
    REQUIRE(plain.has_value());
    CHECK(migrator::script::is_script_file_name(*plain));
    CHECK_FALSE(migrator::script::is_script_file_name(".x.sql"));
    CHECK_FALSE(migrator::script::is_script_file_name(".sql"));
    CHECK_FALSE(migrator::script::is_script_file_name("x.sql~"));
}

TEST_CASE("render_file_name bounds widths and the length of the name", "[script]") {
    FileNameFields fields{};
    fields.slug = std::string(300, 's');
    for (const char* huge :
         {"{seq:2147483647d}", "{seq:0256}", "{slug:.99999999999999999999}", "{rev:>1000}"}) {
        INFO(huge);
        const auto name = render_file_name(huge, fields);
        REQUIRE_FALSE(name.has_value());
        CHECK_THAT(name.error().message,
                   Catch::StartsWith("setting 'file_template'") && Catch::Contains("at most 255 is allowed"));
    }
    const auto wide = render_file_name("{seq:0250d}", fields);
    REQUIRE(wide.has_value());
    CHECK(wide->size() == 254);
    const auto long_name = render_file_name("{slug}", fields);
    REQUIRE_FALSE(long_name.has_value());
    CHECK(long_name.error().message ==
          "setting 'file_template' ('{slug}') gives a file name of 304 bytes; at most 255 are allowed");
    // "{{" and digits outside fields are text, not widths.
    const auto literal = render_file_name("{{9999}}_{seq}", fields);
    REQUIRE(literal.has_value());
    CHECK(*literal == "{9999}_1.sql");
}
