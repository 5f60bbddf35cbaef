#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "autogenerate/compare.hpp"
#include "dialect/builtin_dialects.hpp"
#include "schema_builders.hpp"

using namespace migrator::autogenerate;
using namespace migrator::schema;
using migrator::dialect::mysql_dialect;
using migrator::dialect::postgresql_dialect;
using migrator::dialect::sqlite_dialect;
using namespace test;

namespace {

ForeignKey foreign_key(const std::string& from_table, const std::string& to_table) {
    return ForeignKey{"fk_" + from_table + "_" + to_table, {to_table + "_id"},         to_table, {"id"},
                      ReferentialAction::NoAction,         ReferentialAction::NoAction};
}

// A table `name` with an id and, per referred table, a column and a foreign key to it.
Table referring(const std::string& name, const std::vector<std::string>& referred) {
    Table result = table(name, {column("id", type(TypeKind::Integer), Nullability::NotNull)});
    result.primary_key = PrimaryKey{"pk_" + name, {"id"}};
    for (const auto& other : referred) {
        result.columns.push_back(column(other + "_id"));
        result.foreign_keys.push_back(foreign_key(name, other));
    }
    return result;
}

std::vector<std::string> described(const std::vector<PlannedOperation>& operations) {
    std::vector<std::string> lines;
    lines.reserve(operations.size());
    for (const auto& planned : operations) lines.push_back(describe(planned.operation));
    return lines;
}

std::vector<std::string> notes_of(const std::vector<PlannedOperation>& operations) {
    std::vector<std::string> notes;
    for (const auto& planned : operations)
        notes.insert(notes.end(), planned.review_notes.begin(), planned.review_notes.end());
    return notes;
}

Schema schema(std::vector<Table> tables, std::vector<View> views = {}) {
    return Schema{std::move(tables), std::move(views), {}, {}};
}

View view(std::string name, std::string definition, ViewKind kind = ViewKind::Plain) {
    return View{std::move(name), std::move(definition), kind, {}};
}

// `input` with its tables in a random order and, in each table that `other` also has, the columns,
// indexes and constraints too; a table on one side only keeps its inside, which its operation carries.
Schema shuffled(Schema input, const Schema& other, std::mt19937& random) {
    std::shuffle(input.tables.begin(), input.tables.end(), random);
    for (auto& table : input.tables) {
        if (other.find_table(table.name) == nullptr) continue;
        std::shuffle(table.columns.begin(), table.columns.end(), random);
        std::shuffle(table.indexes.begin(), table.indexes.end(), random);
        std::shuffle(table.uniques.begin(), table.uniques.end(), random);
        std::shuffle(table.checks.begin(), table.checks.end(), random);
        std::shuffle(table.foreign_keys.begin(), table.foreign_keys.end(), random);
    }
    return input;
}

}  // namespace

TEST_CASE("equal schemas compare to no operations on every dialect", "[compare]") {
    Table orders = referring("orders", {"users"});
    orders.indexes.push_back(Index{"ix_orders_users_id", {"users_id"}, IndexKind::Plain, {}, {}});
    orders.checks.push_back(CheckConstraint{"ck_orders_1", "id > 0"});
    Table people = users();
    people.uniques.push_back(UniqueConstraint{"uq_users_email", {"email"}});
    const Schema both = schema({people, orders});
    for (const auto* dialect : {&sqlite_dialect(), &postgresql_dialect(), &mysql_dialect()}) {
        CAPTURE(dialect->name());
        CHECK(compare_schemas(both, both, *dialect).empty());
    }
}

TEST_CASE("every kind of change becomes its operation", "[compare]") {
    struct Case {
        std::string name;
        Table current;
        Table desired;
        std::vector<std::string> expected;
    };
    const auto with = [](auto change) {
        Table result = users();
        change(result);
        return result;
    };
    const std::vector<Case> cases = {
        {"added column",
         users(),
         with([](Table& t) { t.columns.push_back(column("age")); }),
         {"add column users.age"}},
        {"dropped column",
         with([](Table& t) { t.columns.push_back(column("age")); }),
         users(),
         {"drop column users.age"}},
        {"type",
         users(),
         with([](Table& t) { t.columns[1].type = type(TypeKind::Text); }),
         {"alter column users.email (type string(100) -> text)"}},
        {"nullability",
         users(),
         with([](Table& t) { t.columns[1].nullability = Nullability::NotNull; }),
         {"alter column users.email (nullable -> not null)"}},
        {"server default",
         users(),
         with([](Table& t) { t.columns[1].server_default = "'none'"; }),
         {"alter column users.email (default none -> 'none')"}},
        {"column comment",
         users(),
         with([](Table& t) { t.columns[1].comment = "where we write"; }),
         {"alter column users.email (comment)"}},
        {"autoincrement",
         users(),
         with([](Table& t) { t.columns[0].autoincrement = AutoIncrement::Yes; }),
         {"alter column users.id (autoincrement added)"}},
        {"primary key added",
         with([](Table& t) { t.primary_key.reset(); }),
         users(),
         {"alter primary key of users: none -> (id)"}},
        {"primary key columns",
         users(),
         with([](Table& t) {
             t.primary_key->columns = {"id", "email"};
         }),
         {"alter primary key of users: (id) -> (id, email)"}},
        {"primary key name only", users(), with([](Table& t) { t.primary_key->name = "users_pkey"; }), {}},
        {"unique added",
         users(),
         with([](Table& t) {
             t.uniques.push_back({"uq_users_email", {"email"}});
         }),
         {"add unique constraint uq_users_email on users(email)"}},
        {"unique renamed only",
         with([](Table& t) {
             t.uniques.push_back({"users_email_key", {"email"}});
         }),
         with([](Table& t) {
             t.uniques.push_back({"uq_users_email", {"email"}});
         }),
         {}},
        {"unique dropped",
         with([](Table& t) {
             t.uniques.push_back({"uq_users_email", {"email"}});
         }),
         users(),
         {"drop unique constraint uq_users_email on users(email)"}},
        {"index added",
         users(),
         with([](Table& t) {
             t.indexes.push_back({"ix_users_email", {"email"}, IndexKind::Plain, {}, {}});
         }),
         {"create index ix_users_email on users(email)"}},
        {"index made unique",
         with([](Table& t) {
             t.indexes.push_back({"ix_users_email", {"email"}, IndexKind::Plain, {}, {}});
         }),
         with([](Table& t) {
             t.indexes.push_back({"ix_users_email", {"email"}, IndexKind::Unique, {}, {}});
         }),
         {"drop index ix_users_email on users", "create unique index ix_users_email on users(email)"}},
        {"check added",
         users(),
         with([](Table& t) {
             t.checks.push_back({"ck_users_1", "id > 0"});
         }),
         {"add check ck_users_1 on users"}},
        {"check expression rewritten",
         with([](Table& t) {
             t.checks.push_back({"ck_users_1", "(id > 0)"});
         }),
         with([](Table& t) {
             t.checks.push_back({"ck_users_1", "id > 0"});
         }),
         {}},
        {"check dropped",
         with([](Table& t) {
             t.checks.push_back({"ck_users_1", "id > 0"});
         }),
         users(),
         {"drop check ck_users_1 on users"}},
        {"foreign key renamed only",
         with([](Table& t) {
             t.foreign_keys.push_back(ForeignKey{"users_id_fkey", {"id"}, "users", {"id"}});
         }),
         with([](Table& t) {
             t.foreign_keys.push_back(ForeignKey{"fk_self", {"id"}, "users", {"id"}});
         }),
         {}},
        {"foreign key action",
         with([](Table& t) {
             t.foreign_keys.push_back(ForeignKey{"fk_self", {"id"}, "users", {"id"}});
         }),
         with([](Table& t) {
             t.foreign_keys.push_back(
                 ForeignKey{"fk_self", {"id"}, "users", {"id"}, ReferentialAction::Cascade});
         }),
         {"drop foreign key fk_self on users(id) -> users(id)",
          "add foreign key fk_self on users(id) -> users(id)"}},
        {"table comment",
         users(),
         with([](Table& t) { t.comment = "people"; }),
         {"alter comment of table users"}},
    };
    for (const auto& c : cases) {
        CAPTURE(c.name);
        CHECK(described(compare_schemas(schema({c.current}), schema({c.desired}), postgresql_dialect())) ==
              c.expected);
    }
}

TEST_CASE("types compare as the dialect renders them, defaults after normalize_default", "[compare]") {
    Table declared = users();
    declared.columns.push_back(column("price", numeric(10, 2)));
    declared.columns.push_back(
        column("created", type(TypeKind::DateTime), Nullability::Nullable, "CURRENT_TIMESTAMP"));
    Table inspected = users();
    inspected.columns.push_back(column("price", raw("decimal(10,2)")));
    inspected.columns.push_back(
        column("created", type(TypeKind::DateTime), Nullability::Nullable, "current_timestamp()"));
    CHECK(compare_schemas(schema({inspected}), schema({declared}), mysql_dialect()).empty());

    inspected.columns[2].type = raw("numeric(10, 2)");
    inspected.columns[3].server_default = "CURRENT_TIMESTAMP";
    CHECK(compare_schemas(schema({inspected}), schema({declared}), postgresql_dialect()).empty());
    inspected.columns[2].type = raw("numeric(12, 2)");
    CHECK(described(compare_schemas(schema({inspected}), schema({declared}), postgresql_dialect())) ==
          std::vector<std::string>{"alter column users.price (type raw numeric(12, 2) -> numeric(10, 2))"});
}

TEST_CASE("PostgreSQL: type aliases and quoted numbers compare as the server stores them", "[compare]") {
    Table declared = users();
    declared.columns.push_back(column("code", raw("character varying(255)")));
    declared.columns.push_back(column("hits", type(TypeKind::BigInt), Nullability::NotNull, "'0'"));
    declared.columns.push_back(column("flag", raw("bool")));
    Table inspected = users();
    inspected.columns.push_back(column("code", type(TypeKind::String, 255)));
    inspected.columns.push_back(column("hits", type(TypeKind::BigInt), Nullability::NotNull, "'0'::bigint"));
    inspected.columns.push_back(column("flag", type(TypeKind::Boolean)));
    CHECK(compare_schemas(schema({inspected}), schema({declared}), postgresql_dialect()).empty());
    // A quoted number stays a string on a text column, and an alias only names its own type.
    inspected.columns[2].type = type(TypeKind::String, 25);
    inspected.columns[4].type = type(TypeKind::SmallInt);
    CHECK(compare_schemas(schema({inspected}), schema({declared}), postgresql_dialect()).size() == 2);
    inspected = users();
    inspected.columns.push_back(column("code", type(TypeKind::String, 255), Nullability::Nullable, "0"));
    declared = users();
    declared.columns.push_back(column("code", type(TypeKind::String, 255), Nullability::Nullable, "'0'"));
    CHECK(compare_schemas(schema({inspected}), schema({declared}), postgresql_dialect()).size() == 1);
}

TEST_CASE("MariaDB: a DECIMAL default printed with its scale (0.00) equals the number declared (0)",
          "[compare]") {
    Table declared = users();
    declared.columns.push_back(column("total", numeric(10, 2), Nullability::NotNull, "0"));
    declared.columns.push_back(column("rate", numeric(5, 3), Nullability::NotNull, "-1.5"));
    declared.columns.push_back(column("ratio", numeric(5, 3), Nullability::NotNull, "'.25'"));
    Table inspected = users();
    inspected.columns.push_back(column("total", numeric(10, 2), Nullability::NotNull, "0.00"));
    inspected.columns.push_back(column("rate", numeric(5, 3), Nullability::NotNull, "-1.500"));
    inspected.columns.push_back(column("ratio", numeric(5, 3), Nullability::NotNull, "0.250"));
    CHECK(compare_schemas(schema({inspected}), schema({declared}), mysql_dialect()).empty());
    // Another number is a change, and a string column keeps its text as written.
    inspected.columns[2].server_default = "0.01";
    inspected.columns.push_back(column("code", type(TypeKind::String, 10), Nullability::Nullable, "'0.00'"));
    declared.columns.push_back(column("code", type(TypeKind::String, 10), Nullability::Nullable, "'0'"));
    CHECK(described(compare_schemas(schema({inspected}), schema({declared}), mysql_dialect())) ==
          std::vector<std::string>{"alter column users.total (default 0.01 -> 0)",
                                   "alter column users.code (default '0.00' -> '0')"});
}

TEST_CASE("MySQL sees UNIQUE constraints as the unique indexes it stores", "[compare]") {
    Table declared = users();
    declared.uniques.push_back(UniqueConstraint{"uq_users_email", {"email"}});
    Table inspected = users();
    inspected.indexes.push_back(Index{"uq_users_email", {"email"}, IndexKind::Unique, {}, {}});
    CHECK(compare_schemas(schema({inspected}), schema({declared}), mysql_dialect()).empty());
    CHECK(described(compare_schemas(schema({inspected}), schema({declared}), postgresql_dialect())) ==
          std::vector<std::string>{"drop index uq_users_email on users",
                                   "add unique constraint uq_users_email on users(email)"});
}

TEST_CASE("MySQL: a primary key's prefix lengths are part of it", "[compare]") {
    CHECK(compare_schemas(schema({users()}), schema({users()}), mysql_dialect()).empty());
    Table longer = users();
    longer.primary_key->prefix_lengths = {128};
    CHECK(described(compare_schemas(schema({users()}), schema({longer}), mysql_dialect())).size() == 1);
}

TEST_CASE(
    "MySQL: collations and table options the models name are compared, undeclared ones take the "
    "database's",
    "[compare]") {
    Table live = users();
    live.collation = "latin1_swedish_ci";
    live.columns[1].collation = "latin1_swedish_ci";
    live.options = "ENGINE=InnoDB ROW_FORMAT=DYNAMIC";
    // A model file names none: nothing to change.
    CHECK(compare_schemas(schema({live}), schema({users()}), mysql_dialect()).empty());
    Table compact = live;
    compact.options = "ENGINE=InnoDB ROW_FORMAT=COMPACT";
    CHECK(described(compare_schemas(schema({live}), schema({compact}), mysql_dialect())) ==
          std::vector<std::string>{"alter options of table users (ENGINE=InnoDB ROW_FORMAT=DYNAMIC -> "
                                   "ENGINE=InnoDB ROW_FORMAT=COMPACT)"});

    Table named = live;
    named.collation = "utf8mb4_bin";
    named.columns[1].collation = "utf8mb4_bin";
    CHECK(described(compare_schemas(schema({live}), schema({named}), mysql_dialect())) ==
          std::vector<std::string>{"alter collation of table users (latin1_swedish_ci -> utf8mb4_bin)",
                                   "alter column users.email (collation latin1_swedish_ci -> utf8mb4_bin)"});

    // A column whose type changes takes its table's default: its old collation is not carried over.
    Table retyped = users();
    retyped.columns[1].type = type(TypeKind::Integer);
    const auto operations = compare_schemas(schema({live}), schema({retyped}), mysql_dialect());
    REQUIRE(operations.size() == 1);
    CHECK_FALSE(std::get<AlterColumn>(operations[0].operation).to.collation);
}

TEST_CASE("sequences are created first and dropped after the tables that may use them", "[compare]") {
    Table invoices = users();
    invoices.name = "invoices";
    invoices.columns[0].server_default = "nextval('invoice_numbers'::regclass)";
    Schema with_sequence = schema({invoices});
    with_sequence.sequences = {Sequence{"invoice_numbers"}};
    CHECK(described(compare_schemas(schema({}), with_sequence, postgresql_dialect())) ==
          std::vector<std::string>{"create sequence invoice_numbers", "create table invoices"});
    CHECK(described(compare_schemas(with_sequence, schema({}), postgresql_dialect())) ==
          std::vector<std::string>{"drop table invoices", "drop sequence invoice_numbers"});
    Schema cycling = with_sequence;
    cycling.sequences[0].cycle = SequenceCycle::Cycle;
    CHECK(described(compare_schemas(with_sequence, cycling, postgresql_dialect())) ==
          std::vector<std::string>{"alter sequence invoice_numbers"});
    CHECK(compare_schemas(with_sequence, with_sequence, postgresql_dialect()).empty());
}

TEST_CASE("a changed generated column is made again with its index; SQLite alters it", "[compare]") {
    Table before = users();
    before.columns.push_back(column("doubled", type(TypeKind::Integer)));
    before.columns.back().generated = Generated{"(id * 2)", GeneratedStorage::Stored};
    before.indexes = {Index{"ix_users_doubled", {"doubled"}, IndexKind::Plain, {}, {}}};
    Table after = before;
    after.columns.back().generated->expression = "(id * 3)";
    const auto remade = compare_schemas(schema({before}), schema({after}), postgresql_dialect());
    CHECK(described(remade) == std::vector<std::string>{"drop index ix_users_doubled on users",
                                                        "drop column users.doubled",
                                                        "add column users.doubled",
                                                        "create index ix_users_doubled on users(doubled)"});
    CHECK(notes_of(remade).size() == 1);
    Table plain = before;
    plain.columns.back().generated.reset();
    CHECK(notes_of(compare_schemas(schema({before}), schema({plain}), mysql_dialect())).size() == 2);
    CHECK(described(compare_schemas(schema({before}), schema({after}), sqlite_dialect())) ==
          std::vector<std::string>{
              "alter column users.doubled (generated (id * 2) STORED -> (id * 3) STORED)"});
}

TEST_CASE("enum types come first and go last; a changed one lists its columns and recreates their views",
          "[compare]") {
    Table moods = users();
    moods.name = "moods";
    moods.columns.push_back(column("feeling", raw("mood")));
    moods.columns.back().server_default = "'ok'::mood";
    moods.columns.push_back(column("history", raw("mood[]")));
    Schema with_type = schema({moods}, {view("happy_moods", "SELECT id FROM moods WHERE feeling = 'happy'")});
    with_type.enum_types = {EnumType{"mood", {"sad", "ok", "happy"}}};
    CHECK(described(compare_schemas(schema({}), with_type, postgresql_dialect())) ==
          std::vector<std::string>{"create enum type mood", "create table moods", "create view happy_moods"});
    CHECK(described(compare_schemas(with_type, schema({}), postgresql_dialect())) ==
          std::vector<std::string>{"drop view happy_moods", "drop table moods", "drop enum type mood"});

    Schema added = with_type;
    added.enum_types[0].labels = {"sad", "meh", "ok", "happy", "elated"};
    const auto adding = compare_schemas(with_type, added, postgresql_dialect());
    CHECK(described(adding) == std::vector<std::string>{"drop view happy_moods",
                                                        "alter enum type mood (add 'meh', 'elated')",
                                                        "create view happy_moods"});
    const auto& change = std::get<AlterEnumType>(adding[1].operation);
    CHECK(change.columns ==
          std::vector<EnumColumn>{{"moods", "feeling", EnumColumnShape::Scalar, "'ok'::mood"},
                                  {"moods", "history", EnumColumnShape::Array, std::nullopt}});
    CHECK(notes_of(adding).size() == 2);

    Schema reordered = with_type;
    reordered.enum_types[0].labels = {"happy", "ok", "sad"};
    CHECK(described(compare_schemas(with_type, reordered, postgresql_dialect()))[1] ==
          "alter enum type mood (made again: 'happy', 'ok', 'sad')");
    CHECK(compare_schemas(with_type, with_type, postgresql_dialect()).empty());
}

TEST_CASE("a type made again is set aside under a name that no relation or type of either schema has",
          "[compare]") {
    Table moods = users();
    moods.name = "moods";
    moods.columns.push_back(column("feeling", raw("mood")));
    Schema before = schema({moods});
    before.enum_types = {EnumType{"mood", {"sad", "ok", "happy"}}};
    Schema after = before;
    after.enum_types[0].labels = {"happy", "ok"};
    const auto set_aside = [](const Schema& from, const Schema& to) {
        const auto operations = compare_schemas(from, to, postgresql_dialect());
        for (const auto& planned : operations) {
            if (const auto* change = std::get_if<AlterEnumType>(&planned.operation))
                return change->set_aside_name;
        }
        return std::string("(no enum change)");
    };
    CHECK(set_aside(before, after) == "mood_old");

    // A table of that name (its row type is a type too) in the database, and a type in the models.
    Table old_moods = users();
    old_moods.name = "mood_old";
    before.tables.push_back(old_moods);
    after.enum_types.push_back(EnumType{"mood_old2", {"x"}});
    CHECK(set_aside(before, after) == "mood_old3");

    // PostgreSQL keeps 63 bytes of a name: the suffix must survive, and a UTF-8 character is not cut.
    const std::string long_name = std::string(58, 'm') + "\xc3\xa9\xc3\xa9";  // 62 bytes
    Schema long_before = schema({});
    long_before.enum_types = {EnumType{long_name, {"a", "b"}}};
    Schema long_after = long_before;
    long_after.enum_types[0].labels = {"b"};
    CHECK(set_aside(long_before, long_after) == std::string(58, 'm') + "_old");
}

TEST_CASE("comments are ignored on SQLite only", "[compare]") {
    Table commented = users();
    commented.comment = "people";
    commented.columns[1].comment = "where we write";
    CHECK(compare_schemas(schema({users()}), schema({commented}), sqlite_dialect()).empty());
    CHECK(compare_schemas(schema({users()}), schema({commented}), mysql_dialect()).size() == 2);
}

TEST_CASE("new tables come in foreign-key order, dropped ones in reverse", "[compare]") {
    // a -> b -> c, declared in the order a, b, c.
    const Schema chain = schema({referring("a", {"b"}), referring("b", {"c"}), referring("c", {})});
    CHECK(described(compare_schemas(Schema{}, chain, postgresql_dialect())) ==
          std::vector<std::string>{"create table c", "create table b", "create table a"});
    CHECK(described(compare_schemas(chain, Schema{}, postgresql_dialect())) ==
          std::vector<std::string>{"drop table a", "drop table b", "drop table c"});

    // A self reference is no cycle: it stays inside CREATE TABLE.
    const Schema tree = schema({referring("node", {"node"})});
    const auto created = compare_schemas(Schema{}, tree, postgresql_dialect());
    REQUIRE(created.size() == 1);
    CHECK(std::get<CreateTable>(created[0].operation).table == tree.tables[0]);
}

TEST_CASE("a foreign-key cycle is created without the closing key, which is added after both tables",
          "[compare]") {
    const Schema cycle = schema({referring("a", {"b"}), referring("b", {"a"})});
    const auto created = compare_schemas(Schema{}, cycle, postgresql_dialect());
    CHECK(described(created) == std::vector<std::string>{"create table b", "create table a",
                                                         "add foreign key fk_b_a on b(a_id) -> a(id)"});
    CHECK(std::get<CreateTable>(created[0].operation).table.foreign_keys.empty());
    CHECK(std::get<CreateTable>(created[1].operation).table == cycle.tables[0]);

    const auto dropped = compare_schemas(cycle, Schema{}, postgresql_dialect());
    CHECK(described(dropped) == std::vector<std::string>{"drop foreign key fk_b_a on b(a_id) -> a(id)",
                                                         "drop table a", "drop table b"});
    // Dropping is creating inverted.
    CHECK(invert(dropped) == invert(invert(created)));
}

TEST_CASE("constraints are dropped before the columns they use and added after", "[compare]") {
    Table current = users();
    current.columns.push_back(column("old_code", type(TypeKind::String, 10)));
    current.indexes.push_back(Index{"ix_users_old_code", {"old_code"}, IndexKind::Plain, {}, {}});
    current.foreign_keys.push_back(ForeignKey{"fk_users_old", {"old_code"}, "codes", {"code"}});
    Table desired = users();
    desired.columns.push_back(column("code", type(TypeKind::Integer)));
    desired.uniques.push_back(UniqueConstraint{"uq_users_code", {"code"}});
    desired.foreign_keys.push_back(ForeignKey{"fk_users_code", {"code"}, "codes", {"id"}});
    Table codes = table("codes", {column("id"), column("code", type(TypeKind::String, 10))});

    const auto operations =
        compare_schemas(schema({current, codes}), schema({desired, codes}), postgresql_dialect());
    CHECK(described(operations) == std::vector<std::string>{
                                       "drop foreign key fk_users_old on users(old_code) -> codes(code)",
                                       "drop index ix_users_old_code on users",
                                       "add column users.code",
                                       "drop column users.old_code",
                                       "add unique constraint uq_users_code on users(code)",
                                       "add foreign key fk_users_code on users(code) -> codes(id)",
                                   });
}

TEST_CASE("changes that can lose data or fail carry review notes", "[compare]") {
    struct Case {
        ColumnType from;
        ColumnType to;
        bool lossy;
    };
    const std::vector<Case> cases = {
        {type(TypeKind::String, 100), type(TypeKind::String, 50), true},
        {type(TypeKind::String, 50), type(TypeKind::String, 100), false},
        {type(TypeKind::String, 50), type(TypeKind::String), false},
        {type(TypeKind::Text), type(TypeKind::String, 255), true},
        {type(TypeKind::String, 50), type(TypeKind::Text), false},
        {numeric(10, 2), numeric(8, 2), true},
        {numeric(10, 2), numeric(10, 1), true},
        {numeric(10, 2), numeric(12, 3), false},
        {type(TypeKind::BigInt), type(TypeKind::Integer), true},
        {type(TypeKind::BigInt), type(TypeKind::SmallInt), true},
        {type(TypeKind::Integer), type(TypeKind::BigInt), false},
        {type(TypeKind::Double), type(TypeKind::Integer), true},
        {type(TypeKind::Float), type(TypeKind::BigInt), true},
        {type(TypeKind::Float), type(TypeKind::Double), false},
        {type(TypeKind::Integer), raw("int4range"), true},
        {raw("citext"), type(TypeKind::Text), true},
        {type(TypeKind::Date), type(TypeKind::DateTime), false},
        {type(TypeKind::DateTime), type(TypeKind::Date), true},
    };
    for (const auto& c : cases) {
        CAPTURE(describe_type(c.from), describe_type(c.to));
        Table current = table("t", {column("c", c.from)});
        Table desired = table("t", {column("c", c.to)});
        const auto notes =
            notes_of(compare_schemas(schema({current}), schema({desired}), postgresql_dialect()));
        CHECK(notes.size() == (c.lossy ? 1U : 0U));
        if (c.lossy && !notes.empty()) {
            CHECK_THAT(notes[0],
                       Catch::StartsWith("changing t.c from ") && Catch::EndsWith(" can lose data"));
        }
    }

    const auto narrowed =
        compare_schemas(schema({table("t", {column("c", type(TypeKind::String, 100))})}),
                        schema({table("t", {column("c", type(TypeKind::String, 50))})}), mysql_dialect());
    CHECK(notes_of(narrowed) ==
          std::vector<std::string>{"changing t.c from VARCHAR(100) to VARCHAR(50) can lose data"});
    // MySQL's VARCHAR without a length is VARCHAR(255).
    CHECK(notes_of(compare_schemas(schema({table("t", {column("c", type(TypeKind::String, 300))})}),
                                   schema({table("t", {column("c", type(TypeKind::String))})}),
                                   mysql_dialect()))
              .size() == 1);
}

TEST_CASE("a drop plus an add of the same type reads as a possible rename", "[compare]") {
    Table current = users();
    current.columns.push_back(column("name", type(TypeKind::String, 80)));
    Table desired = users();
    desired.columns.push_back(column("full_name", type(TypeKind::String, 80)));
    desired.columns.push_back(column("age", type(TypeKind::Integer)));
    const auto operations = compare_schemas(schema({current}), schema({desired}), sqlite_dialect());
    REQUIRE(described(operations) == std::vector<std::string>{"add column users.full_name",
                                                              "add column users.age",
                                                              "drop column users.name"});
    CHECK(operations[2].review_notes ==
          std::vector<std::string>{
              "looks like a rename of users.name to users.full_name; autogenerate wrote a drop "
              "and an add, which loses the data"});
    CHECK(operations[0].review_notes.empty());

    Table renamed = users();
    renamed.name = "accounts";
    const auto tables = compare_schemas(schema({users()}), schema({renamed}), sqlite_dialect());
    REQUIRE(described(tables) == std::vector<std::string>{"drop table users", "create table accounts"});
    CHECK(notes_of(tables) ==
          std::vector<std::string>{"looks like a rename of users to accounts; autogenerate "
                                   "wrote a drop and an add, which loses the data"});
}

TEST_CASE("a NOT NULL column without a default added to a table is flagged", "[compare]") {
    Table desired = users();
    desired.columns.push_back(column("age", type(TypeKind::Integer), Nullability::NotNull));
    desired.columns.push_back(column("score", type(TypeKind::Integer), Nullability::NotNull, "0"));
    desired.columns.push_back(column("nickname", type(TypeKind::Text)));
    CHECK(notes_of(compare_schemas(schema({users()}), schema({desired}), postgresql_dialect())) ==
          std::vector<std::string>{"fails if users has rows; add a server default or backfill first"});
    // Not for a new table, which has no rows.
    CHECK(notes_of(compare_schemas(Schema{}, schema({desired}), postgresql_dialect())).empty());
}

TEST_CASE("the output does not depend on anything but the input", "[compare]") {
    const Schema current = schema({referring("a", {"b"}), referring("b", {"a"}), users()});
    Table changed = users();
    changed.columns[1].type = type(TypeKind::Text);
    const Schema desired = schema({referring("c", {"d"}), referring("d", {"c"}), changed});
    const auto first = compare_schemas(current, desired, mysql_dialect());
    CHECK(first.size() == 7);
    for (int i = 0; i < 3; ++i) CHECK(compare_schemas(current, desired, mysql_dialect()) == first);
}

TEST_CASE("the output does not depend on the order of the input, only on foreign keys", "[compare]") {
    Table current_users = users();
    current_users.columns.push_back(column("legacy", type(TypeKind::Text)));
    current_users.columns.push_back(column("name", type(TypeKind::String, 50)));
    current_users.indexes = {Index{"ix_users_name", {"name"}, IndexKind::Plain, {}, {}},
                             Index{"ix_users_old", {"legacy"}, IndexKind::Plain, {}, {}}};
    current_users.checks = {CheckConstraint{"ck_users_1", "id > 0"}};
    Table desired_users = current_users;
    desired_users.columns[1].type = type(TypeKind::Text);
    desired_users.columns.erase(desired_users.columns.begin() + 2);
    desired_users.columns.push_back(column("nickname", type(TypeKind::Text)));
    desired_users.indexes = {Index{"ix_users_email", {"email"}, IndexKind::Plain, {}, {}},
                             Index{"ix_users_name", {"name"}, IndexKind::Plain, {}, {}}};

    Table accounts = referring("accounts", {"users"});
    accounts.columns.push_back(column("label", type(TypeKind::String, 20)));
    accounts.columns.push_back(column("created", type(TypeKind::DateTime)));
    accounts.indexes = {Index{"ix_accounts_label", {"label"}, IndexKind::Plain, {}, {}},
                        Index{"ix_accounts_created", {"created"}, IndexKind::Unique, {}, {}}};
    accounts.uniques = {UniqueConstraint{"uq_accounts_label_created", {"label", "created"}},
                        UniqueConstraint{"uq_accounts_users_id", {"users_id"}}};
    accounts.checks = {CheckConstraint{"ck_accounts_1", "id > 0"}, CheckConstraint{"ck_accounts_2", "1 = 1"}};
    Table audit = referring("audit", {"users", "accounts"});

    // Dropped and created tables chained by foreign keys, so that only one order is right.
    const Schema current = schema({referring("old_child", {"old_parent"}), referring("old_parent", {}),
                                   current_users, accounts, audit});
    const Schema desired = schema({referring("c3", {"c2"}), referring("c2", {"c1"}),
                                   referring("c1", {"users"}), desired_users, accounts, audit});
    const std::vector<std::string> expected{
        "drop table old_child",
        "drop table old_parent",
        "drop index ix_users_old on users",
        "add column users.nickname",
        "alter column users.email (type string(100) -> text)",
        "drop column users.legacy",
        "create index ix_users_email on users(email)",
        "create table c1",
        "create table c2",
        "create table c3",
    };
    CHECK(described(compare_schemas(current, desired, postgresql_dialect())) == expected);

    for (const auto* dialect : {&sqlite_dialect(), &postgresql_dialect(), &mysql_dialect()}) {
        const auto reference = compare_schemas(current, desired, *dialect);
        for (const unsigned seed : {1U, 2U, 3U, 5U, 8U, 13U, 21U, 34U}) {
            CAPTURE(dialect->name(), seed);
            std::mt19937 random(seed);
            const Schema current_shuffled = shuffled(current, desired, random);
            const Schema desired_shuffled = shuffled(desired, current, random);
            CHECK(compare_schemas(current_shuffled, desired_shuffled, *dialect) == reference);
        }
    }
}

TEST_CASE("MySQL stores NO ACTION as the identical RESTRICT, elsewhere they differ", "[compare]") {
    auto declared = referring("orders", {"users"});
    auto stored = declared;
    stored.foreign_keys[0].on_delete = ReferentialAction::Restrict;
    stored.foreign_keys[0].on_update = ReferentialAction::Restrict;
    const auto current = schema({users(), stored});
    const auto desired = schema({users(), declared});
    CHECK(compare_schemas(current, desired, mysql_dialect()).empty());
    CHECK(described(compare_schemas(current, desired, postgresql_dialect())).size() == 2);
}

TEST_CASE("SQLite drops autoincrement it cannot store: only a lone INTEGER primary key keeps it",
          "[compare]") {
    auto declared = table("events", {column("id", type(TypeKind::BigInt), Nullability::NotNull)});
    declared.primary_key = PrimaryKey{"pk_events", {"id"}};
    declared.columns[0].autoincrement = AutoIncrement::Yes;
    auto stored = declared;
    stored.columns[0].autoincrement = AutoIncrement::No;
    CHECK(compare_schemas(schema({stored}), schema({declared}), sqlite_dialect()).empty());
    CHECK(described(compare_schemas(schema({stored}), schema({declared}), postgresql_dialect())).size() == 1);

    auto integer_key = declared;
    integer_key.columns[0].type = type(TypeKind::Integer);
    auto integer_stored = stored;
    integer_stored.columns[0].type = type(TypeKind::Integer);
    CHECK(described(compare_schemas(schema({integer_stored}), schema({integer_key}), sqlite_dialect()))
              .size() == 1);
}

TEST_CASE("views are created after the tables they use and dropped before them", "[compare][views]") {
    const Schema empty;
    const Schema with_view = schema({users()}, {view("named_users", "SELECT email FROM users")});
    const auto created = compare_schemas(empty, with_view, postgresql_dialect());
    CHECK(described(created) == std::vector<std::string>{"create table users", "create view named_users"});
    CHECK(described(compare_schemas(with_view, empty, postgresql_dialect())) ==
          std::vector<std::string>{"drop view named_users", "drop table users"});
    CHECK(invert(created) == compare_schemas(with_view, empty, postgresql_dialect()));
    // Compared by definition as printed, give or take white space and a trailing semicolon.
    CHECK(compare_schemas(with_view,
                          schema({users()}, {view("named_users", " SELECT email\n   FROM users;")}),
                          postgresql_dialect())
              .empty());
}

TEST_CASE("a view on a view comes after it, and a changed view is recreated", "[compare][views]") {
    const Schema before = schema({users()}, {view("b_named", "SELECT email FROM users"),
                                             view("a_on_named", "SELECT email FROM b_named")});
    CHECK(described(compare_schemas(Schema{}, before, sqlite_dialect())) ==
          std::vector<std::string>{"create table users", "create view b_named", "create view a_on_named"});
    const Schema after = schema({users()}, {view("b_named", "SELECT email FROM users WHERE email <> ''"),
                                            view("a_on_named", "SELECT email FROM b_named")});
    // The view on the changed view is dropped first and created again after it.
    CHECK(described(compare_schemas(before, after, sqlite_dialect())) ==
          std::vector<std::string>{"drop view a_on_named", "drop view b_named", "create view b_named",
                                   "create view a_on_named"});
    // A materialized view is another kind: a change of kind recreates it.
    const Schema materialized =
        schema({users()}, {view("b_named", "SELECT email FROM users", ViewKind::Materialized),
                           view("a_on_named", "SELECT email FROM b_named")});
    CHECK(described(compare_schemas(before, materialized, postgresql_dialect())) ==
          std::vector<std::string>{"drop view a_on_named", "drop view b_named",
                                   "create materialized view b_named", "create view a_on_named"});
}

TEST_CASE("a view on a changed table is dropped before the change and created after it", "[compare][views]") {
    Table wider = users();
    wider.columns[1].type = type(TypeKind::Text);
    const View on_users = view("named_users", "SELECT email FROM users");
    const View elsewhere = view("constant", "SELECT 1 AS one");
    const auto operations = compare_schemas(schema({users()}, {on_users, elsewhere}),
                                            schema({wider}, {on_users, elsewhere}), postgresql_dialect());
    REQUIRE(operations.size() == 3);
    CHECK(described(operations).front() == "drop view named_users");
    CHECK(std::holds_alternative<AlterColumn>(operations[1].operation));
    CHECK(described(operations).back() == "create view named_users");
}

TEST_CASE("triggers and routines: created last, dropped first, recreated with what they use",
          "[compare][triggers]") {
    const Routine touch{"touch", RoutineKind::Function, "",
                        "CREATE FUNCTION touch() RETURNS trigger AS $$ x $$"};
    const Trigger touch_users{
        "users_touch", "users",
        "CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch()"};
    Schema with_trigger = schema({users()});
    with_trigger.routines = {touch};
    with_trigger.triggers = {touch_users};
    const auto created = compare_schemas(Schema{}, with_trigger, postgresql_dialect());
    CHECK(described(created) == std::vector<std::string>{"create table users", "create function touch",
                                                         "create trigger users_touch on users"});
    // Routines are dropped after the tables (a column default may use one).
    CHECK(described(compare_schemas(with_trigger, Schema{}, postgresql_dialect())) ==
          std::vector<std::string>{"drop trigger users_touch on users", "drop table users",
                                   "drop function touch"});

    // A new body for the routine: the trigger that runs it goes first and comes back after it.
    Schema new_body = with_trigger;
    new_body.routines[0].definition = "CREATE FUNCTION touch() RETURNS trigger AS $$ y $$";
    CHECK(described(compare_schemas(with_trigger, new_body, postgresql_dialect())) ==
          std::vector<std::string>{"drop trigger users_touch on users", "drop function touch",
                                   "create function touch", "create trigger users_touch on users"});

    // A change to the table keeps the trigger on PostgreSQL; SQLite's rebuild drops it, so it is recreated.
    Schema wider = with_trigger;
    wider.tables[0].columns[1].type = type(TypeKind::Text);
    CHECK(compare_schemas(with_trigger, wider, postgresql_dialect()).size() == 1);
    Schema sqlite_before = with_trigger;
    sqlite_before.routines.clear();
    Schema sqlite_after = wider;
    sqlite_after.routines.clear();
    const auto rebuilt = compare_schemas(sqlite_before, sqlite_after, sqlite_dialect());
    REQUIRE(rebuilt.size() == 3);
    CHECK(described(rebuilt).front() == "drop trigger users_touch on users");
    CHECK(described(rebuilt).back() == "create trigger users_touch on users");
}
