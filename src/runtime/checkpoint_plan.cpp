#include "runtime/checkpoint_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <string>

#include "runtime/planner.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace migrator::runtime {

namespace {

using Index = script::RevisionMap::Index;

std::vector<std::string> sorted(std::vector<std::string> ids) {
    std::sort(ids.begin(), ids.end());
    return ids;
}

// The rest of the way after `revision`, when the checkpoint stands for exactly the steps of `full`
// that this rest does not run.
std::optional<Plan> rest_after(const script::RevisionMap& map, const Plan& full, std::string_view target,
                               const script::Revision& revision) {
    // A relative target (+2) counts from the database's revision, which is base for `full`: the rest
    // aims at the heads `full` reaches instead, when that is a single one.
    const std::string rest_target =
        full.heads_after.size() == 1 ? full.heads_after.front() : std::string(target);
    Plan rest;
    try {
        rest = plan_upgrade(map, {std::string(revision.id())}, rest_target);
    } catch (const Error& error) {
        log::debug("checkpoint {} does not lead to {}: {}", revision.id(), rest_target, error.what());
        return std::nullopt;
    }
    if (sorted(rest.heads_after) != sorted(full.heads_after)) return std::nullopt;

    const std::array<Index, 1> from{map.index_of(revision)};
    const auto covered = map.ancestors(from, script::EdgeMode::WithDependencies);
    std::vector<char> in_rest(map.size(), 0);
    for (const auto& step : rest.steps) {
        if (step.revision == nullptr || step.direction != Direction::Upgrade) return std::nullopt;
        in_rest[map.index_of(*step.revision)] = 1;
    }
    std::vector<char> in_full(map.size(), 0);
    for (const auto& step : full.steps) {
        if (step.revision == nullptr) return std::nullopt;
        const auto index = map.index_of(*step.revision);
        in_full[index] = 1;
        // Every step of the full plan is either in the checkpoint or replayed after it, never both.
        if ((covered[index] != 0) == (in_rest[index] != 0)) return std::nullopt;
    }
    for (Index i = 0; i < map.size(); ++i) {
        if ((covered[i] != 0 || in_rest[i] != 0) && in_full[i] == 0) return std::nullopt;
    }
    return rest;
}

bool creates_something(std::string_view sql) {
    const auto start = sql.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos || sql.size() - start < 6) return false;
    std::string word(sql.substr(start, 6));
    std::transform(word.begin(), word.end(), word.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return word == "CREATE";
}

constexpr std::string_view lock_hint =
    "raise max_locks_per_transaction on the server, or run upgrade --no-checkpoint to replay the scripts "
    "(see docs/checkpoints.md)";

// PostgreSQL holds a lock on every relation a transaction creates until it ends, in one table shared by
// all sessions; past its size the checkpoint would fail halfway with "out of shared memory". Refuse
// before starting when even one lock per CREATE cannot fit.
void check_lock_capacity(db::Connection& connection, const std::vector<script::Statement>& statements,
                         std::string_view path) {
    const auto creates = static_cast<std::int64_t>(
        std::count_if(statements.begin(), statements.end(),
                      [](const script::Statement& statement) { return creates_something(statement.sql); }));
    const auto rows = connection.query_column(
        "SELECT current_setting('max_locks_per_transaction')::bigint * "
        "(current_setting('max_connections')::bigint + "
        "current_setting('max_prepared_transactions')::bigint)");
    if (rows.empty() || !rows.front()) return;
    std::int64_t capacity = 0;
    try {
        capacity = std::stoll(*rows.front());
    } catch (const std::exception&) {
        return;
    }
    if (creates > capacity) {
        throw Error(fmt::format(
            "checkpoint {}: creates {} objects in one transaction, more than the server's lock table holds "
            "({}: max_locks_per_transaction x (max_connections + max_prepared_transactions)); {}",
            path, creates, capacity, lock_hint));
    }
}

}  // namespace

std::optional<CheckpointChoice> choose_checkpoint(const script::RevisionMap& map, const Plan& full,
                                                  std::string_view target,
                                                  const std::vector<std::string>& checkpoints,
                                                  std::string_view directory_name) {
    std::optional<CheckpointChoice> best;
    for (const auto& id : checkpoints) {
        const auto* revision = map.find(id);
        if (revision == nullptr) {
            throw Error(fmt::format(
                "{}: checkpoint for revision '{}', which no script defines (delete the checkpoint or run "
                "upgrade with --no-checkpoint)",
                directory_name, id));
        }
        auto rest = rest_after(map, full, target, *revision);
        if (!rest) continue;
        const std::size_t skipped = full.steps.size() - rest->steps.size();
        if (skipped == 0 || (best && best->skipped_steps >= skipped)) continue;
        best = CheckpointChoice{id, skipped, std::move(*rest)};
    }
    return best;
}

void apply_checkpoint(db::Connection& connection, const dialect::Dialect& dialect, VersionTable& versions,
                      const std::vector<script::Statement>& statements, std::string_view revision,
                      std::string_view path) {
    if (dialect.kind() == dialect::DialectKind::Postgresql) check_lock_capacity(connection, statements, path);
    connection.execute(dialect.begin_transaction());
    const auto rollback = [&] {
        try {
            connection.execute(dialect.rollback_transaction());
        } catch (const db::DatabaseError& error) {
            log::warn("rollback failed: {}", error.what());
        }
    };
    const std::string undo_note =
        dialect.transactional_ddl()
            ? ""
            : fmt::format(
                  "; {} cannot roll back DDL, so the tables created before it stay: drop them, then "
                  "run upgrade again",
                  dialect.name());
    for (const auto& statement : statements) {
        try {
            connection.execute(statement.sql);
        } catch (const db::DatabaseError& error) {
            rollback();
            const std::string_view message = error.what();
            if (dialect.kind() == dialect::DialectKind::Postgresql &&
                message.find("out of shared memory") != std::string_view::npos) {
                throw Error(fmt::format("checkpoint {}:{}: {} (the server's lock table is full: {})", path,
                                        statement.line, message.substr(0, message.find('\n')), lock_hint));
            }
            throw Error(
                fmt::format("checkpoint {}:{}: {}{} (upgrade --no-checkpoint replays the scripts instead)",
                            path, statement.line, error.what(), undo_note));
        }
    }
    try {
        versions.ensure();
        versions.apply({VersionChangeKind::Insert, {}, revision});
        connection.execute(dialect.commit_transaction());
    } catch (const std::exception& error) {
        rollback();
        throw Error(fmt::format("checkpoint {}: recording revision {} failed: {}{}", path, revision,
                                error.what(), undo_note));
    }
}

}  // namespace migrator::runtime
