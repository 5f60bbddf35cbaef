#include "script/script_catalog.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "script/revision_map.hpp"

using migrator::script::RevisionMap;
using migrator::script::Script;
using migrator::script::ScriptCatalog;
using Field = ScriptCatalog::Field;
using List = ScriptCatalog::List;

namespace {

Script header(std::string revision, std::vector<std::string> down, std::string path) {
    Script script;
    script.revision = std::move(revision);
    script.down_revisions = std::move(down);
    script.path = std::move(path);
    return script;
}

// Scripts that differ in every field and list length, so that a record pointing at its neighbour's
// text or items shows.
std::vector<Script> varied_scripts() {
    std::vector<Script> out;

    out.emplace_back();  // every field and list empty

    Script several = header("ae1011", {"a", "b", "c"}, "v/0002_é.sql");
    several.message = "Añadir tabla — 表 ✓";
    several.create_date = "2024-01-02 03:04:05.000006";
    several.branch_labels = {"x", "y"};
    several.depends_on = {"lbl", "", "ae"};  // an empty item among others
    out.push_back(several);

    Script long_message = header("ff00", {}, "v/0003_long.sql");
    long_message.message = std::string(70000, 'm') + "!";
    long_message.depends_on = {"only"};
    out.push_back(long_message);

    Script labels_only;
    labels_only.branch_labels = {"l1", "l2", "l3", "l4"};
    labels_only.create_date = "x";
    labels_only.path = "bare_name.sql";  // no directory at all
    out.push_back(labels_only);

    Script nested = header("n1", {"ae1011"}, "/abs/v/sub/0005_n.sql");
    nested.message = "same directory as none before";
    out.push_back(nested);
    return out;
}

const std::vector<std::string>& declared(const Script& script, List list) {
    switch (list) {
        case List::DownRevisions:
            return script.down_revisions;
        case List::BranchLabels:
            return script.branch_labels;
        case List::DependsOn:
            return script.depends_on;
    }
    return script.depends_on;
}

std::vector<std::string> items_of(const ScriptCatalog& catalog, std::size_t index, List list) {
    std::vector<std::string> out;
    for (std::size_t k = 0; k < catalog.count(index, list); ++k)
        out.emplace_back(catalog.item(index, list, k));
    return out;
}

std::string directory_of(const std::string& path) {
    return path.substr(0, path.find_last_of('/') + 1);
}

std::string file_name_of(const std::string& path) {
    return path.substr(path.find_last_of('/') + 1);
}

// Every field and list of catalog entry `index` equals `script`'s.
void check_entry(const ScriptCatalog& catalog, std::size_t index, const Script& script) {
    INFO("catalog entry " << index << " (revision '" << script.revision << "')");
    CHECK(catalog.text(index, Field::Revision) == script.revision);
    CHECK(catalog.text(index, Field::Message) == script.message);
    CHECK(catalog.text(index, Field::CreateDate) == script.create_date);
    CHECK(catalog.path(index) == script.path);
    CHECK(catalog.directory(index) == directory_of(script.path));
    CHECK(catalog.text(index, Field::FileName) == file_name_of(script.path));
    for (const List list : {List::DownRevisions, List::BranchLabels, List::DependsOn}) {
        CHECK(catalog.count(index, list) == declared(script, list).size());
        CHECK(items_of(catalog, index, list) == declared(script, list));
    }
}

// The text buffer holds the header fields (a path's file name only: each directory is kept once,
// outside it) and the list items back to back.
std::size_t header_bytes(const std::vector<Script>& scripts) {
    std::size_t total = 0;
    for (const Script& s : scripts) {
        total += s.revision.size() + s.message.size() + s.create_date.size() + file_name_of(s.path).size();
        for (const auto* list : {&s.down_revisions, &s.branch_labels, &s.depends_on})
            for (const std::string& item : *list) total += item.size();
    }
    return total;
}

ScriptCatalog catalog_of(const std::vector<Script>& scripts) {
    ScriptCatalog catalog;
    for (const Script& script : scripts) catalog.add(script);
    return catalog;
}

}  // namespace

TEST_CASE("ScriptCatalog::add keeps every header field and declared list in order", "[script]") {
    const auto scripts = varied_scripts();
    const ScriptCatalog catalog = catalog_of(scripts);
    REQUIRE(catalog.size() == scripts.size());
    for (std::size_t i = 0; i < scripts.size(); ++i) check_entry(catalog, i, scripts[i]);

    CHECK(catalog.count(0, List::DownRevisions) == 0);
    CHECK(catalog.text(1, Field::Message) == "Añadir tabla — 表 ✓");
    CHECK(catalog.item(1, List::DependsOn, 1).empty());
    CHECK(catalog.item(1, List::DependsOn, 2) == "ae");
    CHECK(catalog.text(2, Field::Message).size() == 70001);
    CHECK(catalog.item(3, List::BranchLabels, 3) == "l4");
    CHECK(catalog.path(3) == "bare_name.sql");
    CHECK(catalog.directory(3).empty());
    CHECK(catalog.directory(4) == "/abs/v/sub/");
    CHECK(catalog.text(4, Field::FileName) == "0005_n.sql");
    CHECK(ScriptCatalog().size() == 0);
}

TEST_CASE("ScriptCatalog::permute reorders whole scripts", "[script]") {
    const auto scripts = varied_scripts();
    ScriptCatalog catalog = catalog_of(scripts);
    const std::vector<std::uint32_t> order = {1, 2, 3, 4, 0};
    catalog.permute(order);
    REQUIRE(catalog.size() == scripts.size());
    for (std::size_t i = 0; i < order.size(); ++i) check_entry(catalog, i, scripts[order[i]]);

    // Permuting again composes: back to the added order.
    catalog.permute({4, 0, 1, 2, 3});
    for (std::size_t i = 0; i < scripts.size(); ++i) check_entry(catalog, i, scripts[i]);
}

TEST_CASE("ScriptCatalog::path_less orders whole paths, not directory then name", "[script]") {
    // "v/b.sql" > "v/a/z.sql" although "v/" < "v/a/"; '/' sorts before '0'; a prefix sorts first.
    const std::vector<std::string> paths = {"v/b.sql", "v/a/z.sql", "v/a0.sql", "v/a/0001.sql",  "v/a",
                                            "b.sql",   "v/",        "w/a.sql",  "v/\xc3\xa9.sql"};
    std::vector<Script> scripts;
    scripts.reserve(paths.size());
    for (const std::string& path : paths) scripts.push_back(header("r", {}, path));
    const ScriptCatalog catalog = catalog_of(scripts);
    for (std::size_t a = 0; a < paths.size(); ++a) {
        for (std::size_t b = 0; b < paths.size(); ++b) {
            INFO(paths[a] << " < " << paths[b]);
            CHECK(catalog.path_less(a, b) == (paths[a] < paths[b]));
        }
    }
    CHECK(catalog.path_less(1, 0));
    CHECK_FALSE(catalog.path_less(0, 1));
}

TEST_CASE("ScriptCatalog::shrink_to_fit keeps the contents", "[script]") {
    const auto scripts = varied_scripts();
    ScriptCatalog catalog = catalog_of(scripts);
    catalog.permute({4, 3, 2, 1, 0});
    catalog.shrink_to_fit();
    REQUIRE(catalog.size() == scripts.size());
    for (std::size_t i = 0; i < scripts.size(); ++i) check_entry(catalog, i, scripts[scripts.size() - 1 - i]);

    // Adding after shrinking still works and leaves the earlier entries alone.
    const Script extra = header("e1", {"ae1011"}, "v/0005_e1.sql");
    catalog.add(extra);
    REQUIRE(catalog.size() == scripts.size() + 1);
    check_entry(catalog, scripts.size(), extra);
    check_entry(catalog, 0, scripts.back());
}

TEST_CASE("ScriptCatalog views outlive the catalog once its text is released and moved", "[script]") {
    auto scripts = varied_scripts();
    for (int i = 0; i < 200; ++i) {  // enough text for the buffer to have grown several times
        scripts.push_back(
            header("r" + std::to_string(i), {"x" + std::to_string(i)}, "v/" + std::to_string(i)));
    }
    ScriptCatalog catalog = catalog_of(scripts);

    std::vector<std::string_view> views;
    std::vector<std::string> expected;
    std::vector<const std::string*> directories;
    for (std::size_t i = 0; i < scripts.size(); ++i) {
        for (const Field field : {Field::Revision, Field::Message, Field::CreateDate, Field::FileName})
            views.push_back(catalog.text(i, field));
        for (const List list : {List::DownRevisions, List::BranchLabels, List::DependsOn}) {
            for (std::size_t k = 0; k < catalog.count(i, list); ++k)
                views.push_back(catalog.item(i, list, k));
        }
        directories.push_back(&catalog.directory(i));
        const Script& s = scripts[i];
        expected.insert(expected.end(), {s.revision, s.message, s.create_date, file_name_of(s.path)});
        for (const auto* list : {&s.down_revisions, &s.branch_labels, &s.depends_on})
            expected.insert(expected.end(), list->begin(), list->end());
    }
    REQUIRE(views.size() == expected.size());

    auto storage = std::move(catalog).release();
    std::vector<char> released = std::move(storage.text);
    std::vector<std::string> released_directories = std::move(storage.directories);
    const std::vector<char> owner = std::move(released);
    const std::vector<std::string> directory_owner = std::move(released_directories);
    for (std::size_t i = 0; i < scripts.size(); ++i) {
        INFO("directory of script " << i);
        CHECK(*directories[i] == directory_of(scripts[i].path));
    }
    // One entry per distinct directory: "", "v/" and "/abs/v/sub/".
    CHECK(directory_owner.size() == 3);
    // The buffer holds the header texts back to back and nothing else.
    CHECK(owner.size() == header_bytes(scripts));
    const char* const begin = owner.data();
    const char* const end = owner.data() + owner.size();
    for (std::size_t v = 0; v < views.size(); ++v) {
        INFO("view " << v);
        CHECK(std::string(views[v]) == expected[v]);
        if (!views[v].empty()) CHECK((views[v].data() >= begin && views[v].data() + views[v].size() <= end));
    }
}

TEST_CASE("RevisionMap::build(catalog) orders scripts added out of path order by path", "[script]") {
    // a -> b -> {c, d}; e merges c and d; f is a second base; d depends on f's label.
    std::vector<Script> sorted = {
        header("a", {}, "v/0001_a.sql"),         header("b", {"a"}, "v/0002_b.sql"),
        header("c", {"b"}, "v/0003_c.sql"),      header("d", {"b"}, "v/0004_d.sql"),
        header("e", {"c", "d"}, "v/0005_e.sql"), header("f", {}, "v/0006_f.sql"),
    };
    sorted[5].branch_labels = {"other"};
    sorted[3].depends_on = {"other"};
    const std::vector<std::size_t> shuffle = {4, 1, 5, 0, 3, 2};
    std::vector<Script> shuffled;
    shuffled.reserve(shuffle.size());
    for (const std::size_t i : shuffle) shuffled.push_back(sorted[i]);

    const RevisionMap expected = RevisionMap::build(catalog_of(sorted));
    const RevisionMap map = RevisionMap::build(catalog_of(shuffled));
    REQUIRE(map.size() == sorted.size());
    REQUIRE(expected.size() == sorted.size());
    for (RevisionMap::Index i = 0; i < map.size(); ++i) {
        const auto& got = map.at(i);
        const auto& want = expected.at(i);
        INFO("revision " << i << ": " << want.id());
        CHECK(got.id() == want.id());
        CHECK(got.path() == want.path());
        CHECK(got.down_revisions() == want.down_revisions());
        CHECK(got.next_revisions() == want.next_revisions());
        CHECK(got.dependencies() == want.dependencies());
        CHECK(map.file_rank(i) == expected.file_rank(i));
        // The rank is the position of the path among all paths.
        std::uint32_t rank = 0;
        while (rank < sorted.size() && sorted[rank].path != got.path()) ++rank;
        CHECK(map.file_rank(i) == rank);
    }
    CHECK(map.heads() == expected.heads());
    CHECK(map.heads() == std::vector<std::string>{"e", "f"});
    CHECK(map.bases() == std::vector<std::string>{"a", "f"});
    CHECK(map.real_heads() == expected.real_heads());
    CHECK(map.branch_points() == expected.branch_points());
}

TEST_CASE("Revision accessors return exactly what the catalog was given", "[script]") {
    std::vector<Script> scripts = {
        header("a1", {}, "v/0001_ä.sql"),
        header("b2", {"a1"}, "v/0002_b.sql"),
        header("c3", {}, "v/0003_c.sql"),
        header("d4", {"b2", "c3"}, "v/0004_d.sql"),
    };
    scripts[0].message = "first — ünïcode 表";
    scripts[0].create_date = "2024-05-06 07:08:09.123456";
    scripts[0].branch_labels = {"lib"};
    scripts[2].message = std::string(5000, 'q');
    scripts[2].create_date = "yesterday";
    scripts[2].depends_on = {"lib", "b2"};  // a label, then an id

    RevisionMap built = RevisionMap::build(catalog_of(scripts));
    const RevisionMap map = std::move(built);  // the revisions view buffers that the move keeps
    REQUIRE(map.size() == scripts.size());
    for (const Script& script : scripts) {
        INFO("revision " << script.revision);
        const auto* revision = map.find(script.revision);
        REQUIRE(revision != nullptr);
        CHECK(revision->id() == script.revision);
        CHECK(revision->message() == script.message);
        CHECK(revision->create_date() == script.create_date);
        CHECK(revision->path() == script.path);
        CHECK(revision->down_revisions() == script.down_revisions);
        CHECK(revision->depends_on() == script.depends_on);
        CHECK(revision->branch_labels() == script.branch_labels);
        CHECK(revision->is_base() == script.down_revisions.empty());
    }
    const auto& c3 = *map.find("c3");
    CHECK(c3.depends_on() == std::vector<std::string>{"lib", "b2"});
    CHECK(c3.dependencies() == std::vector<std::string>{"a1", "b2"});
    CHECK(map.find("a1")->dependencies().empty());
    CHECK(map.find("d4")->is_merge_point());
    CHECK(map.find("a1")->next_revisions() == std::vector<std::string>{"b2"});
}
