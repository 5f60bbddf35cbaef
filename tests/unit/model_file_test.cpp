#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "autogenerate/model_file.hpp"

using migrator::autogenerate::parse_model_file;
using migrator::dialect::DialectKind;
using migrator::schema::AutoIncrement;
using migrator::schema::CheckConstraint;
using migrator::schema::Column;
using migrator::schema::ColumnType;
using migrator::schema::ForeignKey;
using migrator::schema::Index;
using migrator::schema::IndexKind;
using migrator::schema::Nullability;
using migrator::schema::PrimaryKey;
using migrator::schema::ReferentialAction;
using migrator::schema::Schema;
using migrator::schema::Table;
using migrator::schema::TimeZone;
using migrator::schema::TypeKind;
using migrator::schema::UniqueConstraint;

namespace {

// Raw strings start after `R"yaml(` on the next line; the first newline is not part of the file.
std::string text(const char* raw) {
    std::string yaml(raw);
    if (!yaml.empty() && yaml.front() == '\n') yaml.erase(0, 1);
    return yaml;
}

Schema parse_ok(const std::string& yaml, DialectKind dialect = DialectKind::Postgresql) {
    auto schema = parse_model_file(yaml, "models.yaml", dialect);
    INFO(yaml);
    if (!schema) FAIL(schema.error().message);
    return std::move(schema).value();
}

std::string parse_error(const std::string& yaml, DialectKind dialect = DialectKind::Postgresql) {
    auto schema = parse_model_file(yaml, "models.yaml", dialect);
    INFO(yaml);
    REQUIRE_FALSE(schema.has_value());
    CHECK(schema.error().message.find('\n') == std::string::npos);
    return schema.error().message;
}

// A file with one table "t" whose only column is `{name: c, <attributes>}`.
std::string one_column(const std::string& attributes) {
    return "tables:\n  - name: t\n    columns:\n      - {name: c, " + attributes + "}\n";
}

Column only_column(const std::string& attributes, DialectKind dialect = DialectKind::Postgresql) {
    const auto schema = parse_ok(one_column(attributes), dialect);
    REQUIRE(schema.tables.size() == 1);
    REQUIRE(schema.tables[0].columns.size() == 1);
    return schema.tables[0].columns[0];
}

ColumnType type_of(TypeKind kind) {
    ColumnType type;
    type.kind = kind;
    return type;
}

ColumnType string_of(int length) {
    auto type = type_of(TypeKind::String);
    type.length = length;
    return type;
}

ColumnType numeric_of(std::optional<int> precision, std::optional<int> scale) {
    auto type = type_of(TypeKind::Numeric);
    type.precision = precision;
    type.scale = scale;
    return type;
}

ColumnType zoned(TypeKind kind) {
    auto type = type_of(kind);
    type.time_zone = TimeZone::With;
    return type;
}

ColumnType raw(std::string text) {
    auto type = type_of(TypeKind::Raw);
    type.raw = std::move(text);
    return type;
}

}  // namespace

TEST_CASE("every type and its parameters, in any case and spacing", "[model_file]") {
    struct Case {
        std::string written;
        ColumnType expected;
    };
    const std::vector<Case> cases{
        {"integer", type_of(TypeKind::Integer)},
        {"INTEGER", type_of(TypeKind::Integer)},
        {"bigint", type_of(TypeKind::BigInt)},
        {"smallint", type_of(TypeKind::SmallInt)},
        {"boolean", type_of(TypeKind::Boolean)},
        {"string", type_of(TypeKind::String)},
        {"string(255)", string_of(255)},
        {"String ( 20 )", string_of(20)},
        {"text", type_of(TypeKind::Text)},
        {"numeric", numeric_of(std::nullopt, std::nullopt)},
        {"numeric(12)", numeric_of(12, std::nullopt)},
        {"numeric(10, 2)", numeric_of(10, 2)},
        {"NUMERIC(10,2)", numeric_of(10, 2)},
        {"numeric( 5 ,5 )", numeric_of(5, 5)},
        {"numeric(4, 0)", numeric_of(4, 0)},
        {"float", type_of(TypeKind::Float)},
        {"double", type_of(TypeKind::Double)},
        {"date", type_of(TypeKind::Date)},
        {"time", type_of(TypeKind::Time)},
        {"time without time zone", type_of(TypeKind::Time)},
        {"time with time zone", zoned(TypeKind::Time)},
        {"Time  With\tTime Zone", zoned(TypeKind::Time)},
        {"timestamp", type_of(TypeKind::DateTime)},
        {"timestamp without time zone", type_of(TypeKind::DateTime)},
        {"timestamp with time zone", zoned(TypeKind::DateTime)},
        {"TIMESTAMP WITH TIME ZONE", zoned(TypeKind::DateTime)},
        {"datetime", type_of(TypeKind::DateTime)},
        {"datetime without time zone", type_of(TypeKind::DateTime)},
        {"datetime with time zone", zoned(TypeKind::DateTime)},
        {"json", type_of(TypeKind::Json)},
        {"blob", type_of(TypeKind::Blob)},
        {"bytes", type_of(TypeKind::Blob)},
        {"uuid", type_of(TypeKind::Uuid)},
    };
    for (const auto& [written, expected] : cases) {
        CAPTURE(written);
        CHECK(only_column("type: \"" + written + "\"").type == expected);
    }
}

TEST_CASE("a column's attributes and their defaults", "[model_file]") {
    const auto plain = only_column("type: text");
    CHECK(plain.name == "c");
    CHECK(plain.nullability == Nullability::Nullable);
    CHECK_FALSE(plain.server_default.has_value());
    CHECK(plain.autoincrement == AutoIncrement::No);
    CHECK_FALSE(plain.comment.has_value());

    CHECK(only_column("type: text, nullable: false").nullability == Nullability::NotNull);
    CHECK(only_column("type: text, nullable: true").nullability == Nullability::Nullable);
    CHECK(only_column("type: text, comment: lifecycle state").comment == "lifecycle state");
    CHECK_FALSE(only_column("type: text, comment: ''").comment.has_value());
    CHECK(only_column("type: bigint, autoincrement: true").autoincrement == AutoIncrement::Yes);
    CHECK(only_column("type: smallint, autoincrement: false").autoincrement == AutoIncrement::No);
}

TEST_CASE("defaults are SQL text, YAML numbers and booleans stand for themselves", "[model_file]") {
    struct Case {
        std::string written;
        std::string expected;
    };
    const std::vector<Case> cases{
        {R"("'active'")", "'active'"},
        {"CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP"},
        {"0", "0"},
        {"-1.5", "-1.5"},
        {"true", "TRUE"},
        {"False", "FALSE"},
        {R"("true")", "true"},  // quoted: the text as written, not a YAML boolean
        {R"sql("lower('X')")sql", "lower('X')"},
    };
    for (const auto& [written, expected] : cases) {
        CAPTURE(written);
        CHECK(only_column("type: text, default: " + written).server_default == expected);
    }
    CHECK_FALSE(only_column("type: text, default: ~").server_default.has_value());
}

TEST_CASE("a per-dialect raw type wins for its dialect only", "[model_file]") {
    const std::string attributes = "type: text, postgresql_type: tsvector, mysql_type: ' MEDIUMTEXT '";
    CHECK(only_column(attributes, DialectKind::Postgresql).type == raw("tsvector"));
    CHECK(only_column(attributes, DialectKind::Mysql).type == raw("MEDIUMTEXT"));
    CHECK(only_column(attributes, DialectKind::Sqlite).type == type_of(TypeKind::Text));
    CHECK(only_column("sqlite_type: ANY", DialectKind::Sqlite).type == raw("ANY"));

    const auto missing = parse_error(one_column("sqlite_type: ANY"), DialectKind::Mysql);
    CHECK(missing == "models.yaml:4: column 't.c': missing 'type' (or 'mysql_type' for this dialect)");
    // `type` is checked on every dialect, so that a typo does not hide behind a raw type.
    CHECK(parse_error(one_column("type: strng, postgresql_type: tsvector")).rfind("models.yaml:4: ", 0) == 0);
}

TEST_CASE("a column's collation as each database names it", "[model_file]") {
    CHECK(only_column("type: text, collation: C").collation == "C");
    CHECK(only_column("type: text, collation: utf8mb4_bin", DialectKind::Mysql).collation == "utf8mb4_bin");
    CHECK(only_column("type: text, collation: nocase", DialectKind::Sqlite).collation == "NOCASE");
    // BINARY is SQLite's default.
    CHECK_FALSE(only_column("type: text, collation: binary", DialectKind::Sqlite).collation);
    CHECK_FALSE(only_column("type: text").collation);
    CHECK(parse_error(one_column("type: text, collation: ''")).rfind("models.yaml:4: ", 0) == 0);
}

TEST_CASE("PostgreSQL enum types: their labels in order, used by name as a column's postgresql_type",
          "[model_file]") {
    const auto schema = parse_ok(text(R"yaml(
enum_types:
  - name: mood
    labels: [sad, ok, "it's fine"]
  - {name: empty, labels: []}
tables:
  - name: people
    columns:
      - {name: feeling, type: text, postgresql_type: mood}
)yaml"));
    REQUIRE(schema.enum_types.size() == 2);
    CHECK(schema.enum_types[0].name == "mood");
    CHECK(schema.enum_types[0].labels == std::vector<std::string>{"sad", "ok", "it's fine"});
    CHECK(schema.enum_types[1].labels.empty());
    CHECK(schema.tables[0].columns[0].type == raw("mood"));

    CHECK(parse_error("enum_types:\n  - {name: mood, labels: [a, b, a]}\ntables: []\n") ==
          "models.yaml:2: enum type 'mood': duplicate label 'a'");
    CHECK(parse_error(
              "enum_types:\n  - {name: mood, labels: [a]}\n  - {name: mood, labels: [b]}\ntables: []\n") ==
          "models.yaml:3: enum type 'mood': duplicate enum type (first declared on line 2)");
    CHECK(parse_error("enum_types:\n  - {name: mood, labels: a}\ntables: []\n") ==
          "models.yaml:2: enum type 'mood': 'labels' must be a list, not 'a'");
    CHECK(parse_error("enum_types:\n  - {name: mood}\ntables: []\n") ==
          "models.yaml:2: enum type 'mood': missing 'labels'");
    CHECK(
        parse_error("enum_types:\n  - {name: mood, labels: [a]}\ntables: []\n", DialectKind::Mysql) ==
        "models.yaml:2: model file: 'enum_types': only PostgreSQL has enum types (a MySQL ENUM column names "
        "its labels in mysql_type)");
}

TEST_CASE("a complete table: keys, constraints, indexes and checks", "[model_file]") {
    const auto schema = parse_ok(text(R"yaml(
tables:
  - name: orgs
    columns:
      - {name: id, type: integer, primary_key: true, autoincrement: true}
      - {name: code, type: string(8)}
  - name: users
    comment: People who can sign in
    columns:
      - {name: id, type: integer}
      - {name: email, type: string(255), nullable: false, unique: true}
      - {name: status, type: string(20), nullable: false, default: "'active'", index: true}
      - {name: org_id, type: integer, references: orgs.id, on_delete: cascade}
      - {name: org_code, type: string(8)}
      - {name: created_at, type: timestamp with time zone, nullable: false, default: CURRENT_TIMESTAMP}
    primary_key: {name: users_pkey, columns: [id]}
    unique: [{name: uq_email_org, columns: [email, org_id]}, {columns: [org_code, status]}]
    indexes:
      - {name: ix_recent, columns: [status, created_at], unique: true}
      - {columns: [created_at]}
    foreign_keys:
      - name: fk_code
        columns: [org_code]
        references: {table: orgs, columns: [code]}
        on_delete: SET  NULL
        on_update: Restrict
      - {columns: [org_id, org_code], references: {table: orgs, columns: [id, code]}, on_update: set default}
    checks:
      - {name: ck_status, expression: "status IN ('active', 'banned')"}
      - {expression: "length(email) > 3"}
)yaml"));
    REQUIRE(schema.tables.size() == 2);
    const auto& orgs = schema.tables[0];
    CHECK(orgs.name == "orgs");
    CHECK(orgs.primary_key == PrimaryKey{"pk_orgs", {"id"}});
    CHECK(orgs.columns[0].nullability == Nullability::NotNull);
    CHECK(orgs.columns[0].autoincrement == AutoIncrement::Yes);

    const auto& users = schema.tables[1];
    CHECK(users.name == "users");
    CHECK(users.comment == "People who can sign in");
    REQUIRE(users.columns.size() == 6);
    CHECK(users.columns[0].nullability == Nullability::NotNull);  // in the table-level primary key
    CHECK(users.columns[3].nullability == Nullability::Nullable);
    CHECK(users.primary_key == PrimaryKey{"users_pkey", {"id"}});
    CHECK(users.uniques ==
          std::vector<UniqueConstraint>{{"uq_users_email", {"email"}},
                                        {"uq_email_org", {"email", "org_id"}},
                                        {"uq_users_org_code_status", {"org_code", "status"}}});
    CHECK(users.indexes ==
          std::vector<Index>{{"ix_users_status", {"status"}, IndexKind::Plain, {}, {}},
                             {"ix_recent", {"status", "created_at"}, IndexKind::Unique, {}, {}},
                             {"ix_users_created_at", {"created_at"}, IndexKind::Plain, {}, {}}});
    CHECK(users.foreign_keys == std::vector<ForeignKey>{
                                    {"fk_users_org_id_orgs",
                                     {"org_id"},
                                     "orgs",
                                     {"id"},
                                     ReferentialAction::Cascade,
                                     ReferentialAction::NoAction},
                                    {"fk_code",
                                     {"org_code"},
                                     "orgs",
                                     {"code"},
                                     ReferentialAction::SetNull,
                                     ReferentialAction::Restrict},
                                    {"fk_users_org_id_org_code_orgs",
                                     {"org_id", "org_code"},
                                     "orgs",
                                     {"id", "code"},
                                     ReferentialAction::NoAction,
                                     ReferentialAction::SetDefault},
                                });
    CHECK(users.checks == std::vector<CheckConstraint>{{"ck_status", "status IN ('active', 'banned')"},
                                                       {"ck_users_2", "length(email) > 3"}});
}

TEST_CASE("primary keys: column flags, a list, or a named mapping", "[model_file]") {
    const auto composite = parse_ok(text(R"yaml(
tables:
  - name: memberships
    columns:
      - {name: user_id, type: integer, primary_key: true}
      - {name: org_id, type: integer, primary_key: true, nullable: false}
      - {name: role, type: text}
)yaml"));
    const auto& table = composite.tables.at(0);
    CHECK(table.primary_key == PrimaryKey{"pk_memberships", {"user_id", "org_id"}});
    CHECK(table.columns[0].nullability == Nullability::NotNull);
    CHECK(table.columns[2].nullability == Nullability::Nullable);

    const auto listed = parse_ok(text(R"yaml(
tables:
  - name: t
    primary_key: [b, a]
    columns: [{name: a, type: integer}, {name: b, type: integer}]
)yaml"));
    CHECK(listed.tables.at(0).primary_key == PrimaryKey{"pk_t", {"b", "a"}});
    CHECK(listed.tables.at(0).columns[0].nullability == Nullability::NotNull);

    CHECK_FALSE(parse_ok(one_column("type: integer")).tables.at(0).primary_key.has_value());
}

TEST_CASE("the referential actions, in any case", "[model_file]") {
    struct Case {
        std::string written;
        ReferentialAction expected;
    };
    const std::vector<Case> cases{
        {"cascade", ReferentialAction::Cascade},     {"RESTRICT", ReferentialAction::Restrict},
        {"set null", ReferentialAction::SetNull},    {"Set Default", ReferentialAction::SetDefault},
        {"no  action", ReferentialAction::NoAction},
    };
    for (const auto& [written, expected] : cases) {
        CAPTURE(written);
        std::string yaml =
            "tables:\n  - name: t\n    columns:\n      - {name: id, type: integer}\n"
            "      - {name: parent, type: integer, references: t.id, on_delete: ";
        yaml += written;
        yaml += ", on_update: ";
        yaml += written;
        yaml += "}\n";
        const auto schema = parse_ok(yaml);
        const auto& key = schema.tables.at(0).foreign_keys.at(0);
        CHECK(key.name == "fk_t_parent_t");
        CHECK(key.on_delete == expected);
        CHECK(key.on_update == expected);
    }
}

TEST_CASE("derived names longer than 63 characters keep 54 and gain a hash of the whole", "[model_file]") {
    const std::string table(40, 't');
    const std::string column(30, 'c');
    const auto schema = parse_ok("tables:\n  - name: " + table + "\n    columns:\n      - {name: " + column +
                                 ", type: integer, unique: true, index: true}\n      - {name: " + column +
                                 "2, type: integer, unique: true}\n");
    const auto& uniques = schema.tables.at(0).uniques;
    REQUIRE(uniques.size() == 2);
    const auto& first = uniques[0].name;
    CHECK(first.size() == 63);
    CHECK(first.substr(0, 55) == ("uq_" + table + "_" + column).substr(0, 54) + "_");
    CHECK(first.find_first_not_of("0123456789abcdef", 55) == std::string::npos);
    // Same 54-character start, different full names: the hashes tell them apart.
    CHECK(uniques[1].name.substr(0, 54) == first.substr(0, 54));
    CHECK(uniques[1].name != first);
    // Deterministic: FNV-1a of the full name, the same on every run and platform.
    CHECK(first ==
          "uq_tttttttttttttttttttttttttttttttttttttttt_cccccccccc_6a0a768b");  // computed independently
    CHECK(first == parse_ok("tables:\n  - name: " + table + "\n    columns:\n      - {name: " + column +
                            ", type: integer, unique: true}\n")
                       .tables.at(0)
                       .uniques.at(0)
                       .name);
    CHECK(schema.tables.at(0).indexes.at(0).name.size() == 63);

    const std::string exact = "uq_t_" + std::string(58, 'x');  // 63 characters: kept as is
    CHECK(parse_ok("tables:\n  - name: t\n    columns:\n      - {name: " + std::string(58, 'x') +
                   ", type: integer, unique: true}\n")
              .tables.at(0)
              .uniques.at(0)
              .name == exact);
}

TEST_CASE("an empty tables list is an empty schema", "[model_file]") {
    CHECK(parse_ok("tables: []\n").tables.empty());
    CHECK(parse_ok("tables:\n").tables.empty());
}

TEST_CASE("tables may refer to tables declared later, and to themselves", "[model_file]") {
    const auto schema = parse_ok(text(R"yaml(
tables:
  - name: posts
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: author_id, type: integer, references: users.id}
      - {name: reply_to, type: integer, references: posts.id}
  - name: users
    columns:
      - {name: id, type: integer, primary_key: true}
)yaml"));
    CHECK(schema.tables.at(0).foreign_keys.at(0).referred_table == "users");
    CHECK(schema.tables.at(0).foreign_keys.at(1).referred_table == "posts");
}

TEST_CASE("a table may name its schema; references to it name the schema too", "[model_file]") {
    const auto schema = parse_ok(text(R"yaml(
tables:
  - name: users
    columns:
      - {name: id, type: integer, primary_key: true}
  - name: users
    schema: billing
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: login_id, type: integer, references: users.id}
  - name: invoices
    schema: billing
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: payer_id, type: integer, references: billing.users.id}
    foreign_keys:
      - columns: [id]
        references: {schema: billing, table: users, columns: [id]}
)yaml"));
    REQUIRE(schema.tables.size() == 3);
    CHECK(schema.tables[0].schema.empty());
    CHECK(schema.tables[1].qualified_name().text() == "billing.users");
    const auto& login = schema.tables[1].foreign_keys.at(0);
    CHECK(login.referred_schema.empty());
    CHECK(login.referred_table == "users");
    const auto& invoices = schema.tables[2];
    CHECK(invoices.schema == "billing");
    REQUIRE(invoices.foreign_keys.size() == 2);
    for (const auto& key : invoices.foreign_keys) {
        CHECK(key.referred_schema == "billing");
        CHECK(key.referred_table == "users");
    }
}

TEST_CASE("the users/orgs/posts example of docs/models.md", "[model_file]") {
    const auto example = text(R"yaml(
tables:
  - name: orgs
    comment: Customer organisations
    columns:
      - {name: id, type: integer, primary_key: true, autoincrement: true}
      - {name: slug, type: string(40), nullable: false, unique: true}
      - {name: name, type: string(200), nullable: false}
      - {name: settings, type: json}

  - name: users
    comment: People who can sign in
    columns:
      - {name: id, type: bigint, primary_key: true, autoincrement: true}
      - {name: org_id, type: integer, nullable: false, references: orgs.id, on_delete: cascade}
      - {name: email, type: string(255), nullable: false}
      - {name: status, type: string(20), nullable: false, default: "'active'", comment: lifecycle state}
      - {name: karma, type: integer, nullable: false, default: 0}
      - {name: is_admin, type: boolean, nullable: false, default: false}
      - {name: balance, type: "numeric(12, 2)"}
      - {name: created_at, type: timestamp with time zone, nullable: false, default: CURRENT_TIMESTAMP}
    unique:
      - {name: uq_users_org_email, columns: [org_id, email]}
    indexes:
      - {name: ix_users_status, columns: [status, created_at]}
    checks:
      - {name: ck_users_status, expression: "status IN ('active', 'banned')"}
      - {expression: "karma >= 0"}                       # named ck_users_2

  - name: posts
    columns:
      - {name: id, type: uuid}
      - {name: author_id, type: bigint, nullable: false}
      - {name: org_id, type: integer, nullable: false}
      - {name: title, type: string(200), nullable: false}
      - {name: body, type: text}
      - {name: search, type: text, postgresql_type: tsvector}
      - {name: published, type: date, index: true}       # index ix_posts_published
    primary_key: {name: pk_posts, columns: [id]}
    foreign_keys:
      - columns: [author_id]                             # named fk_posts_author_id_users
        references: {table: users, columns: [id]}
        on_delete: restrict
      - name: fk_posts_org
        columns: [org_id]
        references: {table: orgs, columns: [id]}
        on_delete: cascade
        on_update: no action
)yaml");
    for (const auto dialect : {DialectKind::Sqlite, DialectKind::Postgresql, DialectKind::Mysql}) {
        const auto schema = parse_ok(example, dialect);
        REQUIRE(schema.tables.size() == 3);
        const auto& posts = schema.tables[2];
        CHECK(posts.primary_key == PrimaryKey{"pk_posts", {"id"}});
        CHECK(posts.columns[0].nullability == Nullability::NotNull);
        CHECK(posts.indexes ==
              std::vector<Index>{{"ix_posts_published", {"published"}, IndexKind::Plain, {}, {}}});
        CHECK(posts.foreign_keys.at(0).name == "fk_posts_author_id_users");
        CHECK(posts.foreign_keys.at(0).on_delete == ReferentialAction::Restrict);
        CHECK(posts.foreign_keys.at(1).name == "fk_posts_org");
        CHECK(posts.columns[5].type ==
              (dialect == DialectKind::Postgresql ? raw("tsvector") : type_of(TypeKind::Text)));
        const auto& users = schema.tables[1];
        CHECK(users.checks.at(1) == CheckConstraint{"ck_users_2", "karma >= 0"});
        CHECK(users.columns.at(4).server_default == "0");
        CHECK(users.columns.at(5).server_default == "FALSE");
        CHECK(users.foreign_keys.at(0).name == "fk_users_org_id_orgs");
        CHECK(schema.tables[0].uniques == std::vector<UniqueConstraint>{{"uq_orgs_slug", {"slug"}}});
    }
}

TEST_CASE("every error names the file, the line and the culprit", "[model_file]") {
    struct Case {
        std::string yaml;
        std::string expected;
    };
    const std::string users_header =
        "tables:\n  - name: users\n    columns:\n      - {name: id, type: integer}\n";
    const std::vector<Case> cases{
        // bad YAML and the file's shape
        {"tables: [\n  - {name: x\n", "models.yaml:2: invalid YAML: illegal block entry"},
        {"- a\n- b\n", "models.yaml:1: model file: must be a mapping with a 'tables' list, not a list"},
        {"", "models.yaml:1: model file: must be a mapping with a 'tables' list, not empty"},
        {"version: 1\n", "models.yaml:1: model file: unknown key 'version'"},
        {"tabels: []\n", "models.yaml:1: model file: unknown key 'tabels' (did you mean 'tables'?)"},
        {"tables: {}\n", "models.yaml:1: model file: 'tables' must be a list of tables, not a mapping"},
        {"tables:\n  - users\n", "models.yaml:2: table #1: must be a mapping of keys, not 'users'"},
        // tables
        {"tables:\n  - columns: [{name: a, type: text}]\n", "models.yaml:2: table #1: missing 'name'"},
        {"tables:\n  - name: users\n    colums: []\n",
         "models.yaml:3: table #1: unknown key 'colums' (did you mean 'columns'?)"},
        {"tables:\n  - name: users\n", "models.yaml:2: table 'users': missing 'columns'"},
        {"tables:\n  - name: users\n    columns: []\n",
         "models.yaml:3: table 'users': 'columns' must list at least one column"},
        {users_header + "  - name: users\n    columns: [{name: id, type: integer}]\n",
         "models.yaml:5: table 'users': duplicate table (first declared on line 2)"},
        {"tables:\n  - name: " + std::string(64, 'n') + "\n    columns: [{name: a, type: text}]\n",
         "models.yaml:2: table #1: 'name' '" + std::string(64, 'n') + "' is longer than 63 characters"},
        // columns
        {users_header + "      - {name: id, type: text}\n",
         "models.yaml:5: column 'users.id': duplicate column (first declared on line 4)"},
        {users_header + "      - {name: email, tpye: text}\n",
         "models.yaml:5: table 'users', column #2: unknown key 'tpye' (did you mean 'type'?)"},
        {users_header + "      - {type: text}\n", "models.yaml:5: table 'users', column #2: missing 'name'"},
        {users_header + "      - {name: email}\n",
         "models.yaml:5: column 'users.email': missing 'type' (or 'postgresql_type' for this dialect)"},
        {users_header + "      - {name: email, type: strng(255)}\n",
         "models.yaml:5: column 'users.email': unknown type 'strng(255)' (did you mean 'string'?); valid "
         "types: "
         "integer, bigint, smallint, boolean, string, string(n), text, numeric, numeric(p), numeric(p, s), "
         "float, "
         "double, date, time, time with time zone, timestamp, timestamp with time zone, datetime, json, "
         "blob, "
         "bytes, uuid"},
        {users_header + "      - {name: email, type: varchar}\n",
         "models.yaml:5: column 'users.email': unknown type 'varchar'; valid types: integer, "},
        {users_header + "      - {name: email, type: string(0)}\n",
         "models.yaml:5: column 'users.email': string length must be at least 1, got 'string(0)'"},
        {users_header + "      - {name: email, type: \"string(1, 2)\"}\n",
         "models.yaml:5: column 'users.email': type 'string(1, 2)' takes one length: string(n)"},
        {users_header + "      - {name: email, type: string(n)}\n",
         "models.yaml:5: column 'users.email': type 'string(n)' takes whole numbers, got 'n'"},
        {users_header + "      - {name: email, type: string(10}\n",
         "models.yaml:5: column 'users.email': malformed type 'string(10'"},
        {users_header + "      - {name: price, type: \"numeric(3, 5)\"}\n",
         "models.yaml:5: column 'users.price': numeric scale 5 exceeds precision 3 in 'numeric(3, 5)'"},
        {users_header + "      - {name: price, type: numeric(0)}\n",
         "models.yaml:5: column 'users.price': numeric precision must be at least 1, got 'numeric(0)'"},
        {users_header + "      - {name: price, type: \"numeric(1, 2, 3)\"}\n",
         "models.yaml:5: column 'users.price': type 'numeric(1, 2, 3)' takes numeric(p) or numeric(p, s)"},
        {users_header + "      - {name: n, type: integer(4)}\n",
         "models.yaml:5: column 'users.n': type 'integer' takes no parameters, got 'integer(4)'"},
        {users_header + "      - {name: n, type: text, autoincrement: true}\n",
         "models.yaml:5: column 'users.n': autoincrement needs 'type' integer, bigint or smallint, not "
         "'text'"},
        {users_header + "      - {name: n, postgresql_type: serial, autoincrement: true}\n",
         "models.yaml:5: column 'users.n': autoincrement needs 'type' integer, bigint or smallint, not a raw "
         "type"},
        {users_header + "      - {name: n, type: text, nullable: maybe}\n",
         "models.yaml:5: column 'users.n': 'nullable' must be true or false, got 'maybe'"},
        {users_header + "      - {name: n, type: text, default: [1]}\n",
         "models.yaml:5: column 'users.n': 'default' must be a single value, not a list"},
        {users_header + "      - {name: n, type: text, default: ''}\n",
         "models.yaml:5: column 'users.n': 'default' must not be empty"},
        {users_header + "      - {name: n, type: text, on_delete: cascade}\n",
         "models.yaml:5: column 'users.n': 'on_delete' needs 'references'"},
        {users_header + "      - {name: n, type: integer, references: users.id, on_update: nothing}\n",
         "models.yaml:5: column 'users.n': 'on_update' must be cascade, restrict, set null, set default or "
         "no "
         "action, got 'nothing'"},
        {users_header + "      - {name: n, type: integer, references: users}\n",
         "models.yaml:5: column 'users.n': 'references' must be written table.column or "
         "schema.table.column, got 'users'"},
        {users_header + "      - {name: n, type: integer, references: users..id}\n",
         "models.yaml:5: column 'users.n': 'references' must be written table.column or "
         "schema.table.column, got 'users..id'"},
        {users_header + "      - {name: n, type: integer, references: billing.users.id}\n",
         "models.yaml:5: column 'users.n': refers to table 'billing.users', which the models do not "
         "declare"},
        {users_header + "      - {name: n, type: integer, references: user.id}\n",
         "models.yaml:5: column 'users.n': refers to table 'user', which the models do not declare (did you "
         "mean "
         "'users'?)"},
        {users_header + "      - {name: n, type: integer, references: users.ids}\n",
         "models.yaml:5: column 'users.n': refers to 'users.ids', which does not exist (did you mean 'id'?)"},
        // primary keys
        {users_header + "    primary_key: [id, nope]\n",
         "models.yaml:5: table 'users', primary key: no column 'nope' in table 'users'"},
        {users_header + "    primary_key: [id, id]\n",
         "models.yaml:5: table 'users', primary key: column 'id' is listed twice"},
        {users_header + "    primary_key: []\n",
         "models.yaml:5: table 'users', primary key: 'primary_key' must name at least one column"},
        {users_header + "    primary_key:\n      colums: [id]\n",
         "models.yaml:6: table 'users', primary key: unknown key 'colums' (did you mean 'columns'?)"},
        {"tables:\n  - name: users\n    columns:\n      - {name: id, type: integer, primary_key: true}\n"
         "    primary_key: [id]\n",
         "models.yaml:5: table 'users', primary key: declared both in 'primary_key' and with 'primary_key: "
         "true' "
         "on column(s) id"},
        {"tables:\n  - name: users\n    columns:\n      - {name: id, type: integer, primary_key: true,\n"
         "         nullable: true}\n",
         "models.yaml:5: column 'users.id': a primary-key column cannot be nullable"},
        // unique constraints and indexes
        {users_header + "    unique: [{columns: [email]}]\n",
         "models.yaml:5: table 'users', unique 'uq_users_email': no column 'email' in table 'users'"},
        {users_header + "    unique: [{name: uq_x}]\n",
         "models.yaml:5: table 'users', unique #1: missing 'columns'"},
        {users_header + "    unique: {columns: [id]}\n",
         "models.yaml:5: table 'users': 'unique' must be a list, not a mapping"},
        {users_header +
             "    indexes:\n      - {name: ix_a, columns: [id]}\n      - {name: ix_b, columns: [idd]}\n",
         "models.yaml:7: table 'users', index 'ix_b': no column 'idd' in table 'users' (did you mean 'id'?)"},
        {users_header + "    indexes: [{columns: id}]\n",
         "models.yaml:5: table 'users', index #1: 'columns' must be a list of column names, not "
         "'id'"},
        {users_header + "    indexes: [{columns: [id], unique: sometimes}]\n",
         "models.yaml:5: table 'users', index 'ix_users_id': 'unique' must be true or false, got "
         "'sometimes'"},
        // duplicate names: within a table, and index names across tables
        {users_header +
             "    indexes:\n      - {name: ix_a, columns: [id]}\n      - {name: ix_a, columns: [id]}\n",
         "models.yaml:7: table 'users', index 'ix_a': name already used by the index on line 6"},
        {users_header +
             "    unique: [{name: dup, columns: [id]}]\n    checks: [{name: dup, expression: id > 0}]\n",
         "models.yaml:6: table 'users', check 'dup': name already used by the unique constraint on line 5"},
        {"tables:\n  - name: users\n    columns:\n      - {name: id, type: integer, unique: true}\n"
         "    unique: [{columns: [id]}]\n",
         "models.yaml:5: table 'users', unique constraint 'uq_users_id': name already used by the unique "
         "constraint on line 4"},
        {users_header +
             "    indexes: [{name: ix_id, columns: [id]}]\n  - name: orgs\n    columns: [{name: id, "
             "type: integer}]\n    indexes: [{name: ix_id, columns: [id]}]\n",
         "models.yaml:8: table 'orgs', index 'ix_id': name already used by the index on line 5 (table "
         "'users')"},
        // foreign keys
        {users_header + "    foreign_keys: [{columns: [id], references: {table: orgs, columns: [id]}}]\n",
         "models.yaml:5: table 'users', foreign key 'fk_users_id_orgs': refers to table 'orgs', which the "
         "models "
         "do not declare"},
        {users_header +
             "    foreign_keys:\n      - columns: [id]\n        references:\n          table: users\n"
             "          columns: [uid]\n",
         "models.yaml:9: table 'users', foreign key 'fk_users_id_users': refers to 'users.uid', which does "
         "not exist (did you mean 'id'?)"},
        {users_header + "    foreign_keys: [{columns: [oid], references: {table: users, columns: [id]}}]\n",
         "models.yaml:5: table 'users', foreign key 'fk_users_oid_users': no column 'oid' in table 'users' "
         "(did you mean 'id'?)"},
        {users_header +
             "    foreign_keys:\n      - columns: [id]\n        references: {table: users, columns: [id, "
             "id2]}\n",
         "models.yaml:7: table 'users', foreign key 'fk_users_id_users': 'columns' lists 1 column(s) but "
         "'references' lists 2"},
        {users_header + "    foreign_keys: [{columns: [id], references: {table: users, column: [id]}}]\n",
         "models.yaml:5: table 'users', foreign key #1, references: unknown key 'column' (did you mean "
         "'columns'?)"},
        {users_header + "    foreign_keys: [{columns: [id]}]\n",
         "models.yaml:5: table 'users', foreign key #1: missing 'references'"},
        // checks
        {users_header + "    checks: [{name: ck_a}]\n",
         "models.yaml:5: table 'users', check 'ck_a': missing 'expression'"},
        {users_header + "    checks: [{expression: ''}]\n",
         "models.yaml:5: table 'users', check 'ck_users_1': 'expression' must not be empty"},
    };
    for (const auto& [yaml, expected] : cases) {
        const auto message = parse_error(yaml);
        CAPTURE(expected);
        // A trailing space marks an expected prefix; everything else is the whole message.
        if (expected.back() == ' ') {
            CHECK(message.rfind(expected, 0) == 0);
        } else {
            CHECK(message == expected);
        }
    }
}

TEST_CASE("the source name given is the one in messages", "[model_file]") {
    auto schema = parse_model_file("tables: 3\n", "db/models.yaml", DialectKind::Sqlite);
    REQUIRE_FALSE(schema.has_value());
    CHECK(schema.error().message ==
          "db/models.yaml:1: model file: 'tables' must be a list of tables, not '3'");
}
