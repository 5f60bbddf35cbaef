// Every command's --format json output against its example in docs/json.md: the same keys, the same types.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <sstream>

#include "e2e_support.hpp"

using e2e::Project;
using nlohmann::json;

namespace {

// "### `name`" followed by a ```json block.
std::map<std::string, json> documented_examples() {
    std::ifstream file(std::string(MIGRATOR_SOURCE_DIR) + "/docs/json.md");
    std::stringstream text;
    text << file.rdbuf();
    const std::string doc = text.str();
    std::map<std::string, json> examples;
    std::size_t at = 0;
    while ((at = doc.find("### `", at)) != std::string::npos) {
        const auto name_end = doc.find('`', at + 5);
        const auto name = doc.substr(at + 5, name_end - at - 5);
        const auto start = doc.find("```json\n", name_end) + 8;
        const auto end = doc.find("```", start);
        examples[name] = json::parse(doc.substr(start, end - start));
        at = end;
    }
    return examples;
}

// "<where>.<key>", the place of a member in messages.
std::string member_path(const std::string& where, const std::string& key) {
    std::string path = where;
    path += '.';
    path += key;
    return path;
}

// Where `actual` differs in shape from `example`; "" when it matches. A null example allows anything.
std::string shape_difference(const json& example, const json& actual, const std::string& where) {
    if (example.is_null()) return "";
    const bool same_type = example.type() == actual.type() || (example.is_number() && actual.is_number());
    if (!same_type) {
        return where + ": " + actual.type_name() + " where docs/json.md shows " + example.type_name();
    }
    if (example.is_object()) {
        for (const auto& [key, value] : example.items()) {
            if (!actual.contains(key)) return member_path(where, key) + ": missing";
            if (auto d = shape_difference(value, actual.at(key), member_path(where, key)); !d.empty())
                return d;
        }
        for (const auto& [key, value] : actual.items()) {
            if (!example.contains(key)) return member_path(where, key) + ": not in docs/json.md";
        }
    }
    if (example.is_array() && !example.empty()) {
        for (const auto& item : actual) {
            if (auto d = shape_difference(example.front(), item, where + "[]"); !d.empty()) return d;
        }
    }
    return "";
}

void check_against_docs(const std::map<std::string, json>& examples, const std::string& name,
                        const e2e::RunResult& result) {
    INFO(name << ": " << result.out << result.err);
    REQUIRE(examples.contains(name));
    const auto actual = json::parse(result.out);
    CHECK(shape_difference(examples.at(name), actual, name).empty());
}

}  // namespace

TEST_CASE("every command's JSON output has the shape docs/json.md documents", "[e2e][cli][json]") {
    const auto examples = documented_examples();
    Project project;
    check_against_docs(examples, "init", project.run({"init", "migrations", "--format", "json"}));
    const auto first =
        e2e::new_revision(project, {"-m", "first"}, "CREATE TABLE a (x INTEGER);", "DROP TABLE a;");
    const auto made = project.run({"revision", "-m", "second", "--format", "json"});
    check_against_docs(examples, "revision", made);
    const auto second_path = json::parse(made.out)["script"]["path"].get<std::string>();
    e2e::fill_script(project, second_path, "CREATE TABLE b (x INTEGER);", "DROP TABLE b;");
    e2e::new_revision(project, {"-m", "side", "--head", first, "--splice"}, "CREATE TABLE c (x INTEGER);",
                      "DROP TABLE c;");
    check_against_docs(examples, "merge", project.run({"merge", "-m", "join", "heads", "--format", "json"}));
    check_against_docs(examples, "ensure_version", project.run({"ensure_version", "--format", "json"}));
    check_against_docs(examples, "upgrade", project.run({"upgrade", "heads", "--format", "json"}));
    check_against_docs(examples, "downgrade", project.run({"downgrade", first, "--format", "json"}));
    check_against_docs(examples, "stamp", project.run({"stamp", "heads", "--format", "json"}));
    check_against_docs(examples, "current", project.run({"current", "--format", "json"}));
    check_against_docs(examples, "branches", project.run({"branches", "--format", "json"}));
    check_against_docs(examples, "heads", project.run({"heads", "--format", "json"}));
    check_against_docs(examples, "history", project.run({"history", "--format", "json"}));
    check_against_docs(examples, "show", project.run({"show", first, "--format", "json"}));
    check_against_docs(examples, "verify", project.run({"verify", "--format", "json"}));
    check_against_docs(examples, "log", project.run({"log", "--format", "json"}));
    check_against_docs(examples, "status", project.run({"status", "--format", "json"}));
    check_against_docs(examples, "error", project.run({"upgrade", "haed", "--format", "json"}));
    e2e::new_revision(project, {"-m", "drop a"}, "DROP TABLE a;", "CREATE TABLE a (x INTEGER);");
    check_against_docs(examples, "lint", project.run({"lint", "--format", "json"}));
    project.write(
        "models.yaml",
        "tables:\n  - name: users\n    columns:\n      - {name: id, type: integer, primary_key: true}\n");
    project.write("migrator.yaml", project.read("migrator.yaml") + "\nmodels: models.yaml\n");
    check_against_docs(examples, "check", project.run({"check", "--format", "json"}));
    project.write("migrator.yaml", project.read("migrator.yaml") + "targets:\n  one: sqlite:///one.db\n");
    check_against_docs(examples, "fleet",
                       project.run({"upgrade", "heads", "--all-targets", "--format", "json"}));

    // A failing round trip, so that the failure object is checked too.
    Project round_trip;
    round_trip.init();
    round_trip.add_script("0001_aaaaaaaaaaa1_users", "aaaaaaaaaaa1", "", "CREATE TABLE users (id INTEGER);",
                          "DROP TABLE users;");
    round_trip.add_script("0002_bbbbbbbbbbb2_email", "bbbbbbbbbbb2", "aaaaaaaaaaa1",
                          "ALTER TABLE users ADD COLUMN email TEXT;", "SELECT 1;");
    check_against_docs(examples, "test", round_trip.run({"test", "--format", "json"}));
}
