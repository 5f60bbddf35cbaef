#include "db/locks.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

TEST_CASE("lock keys are stable and differ per version table", "[lock]") {
    CHECK(migrator::db::lock_key("migrator_version") == migrator::db::lock_key("migrator_version"));
    CHECK(migrator::db::lock_key("migrator_version") != migrator::db::lock_key("other.migrator_version"));
    CHECK(migrator::db::mysql_lock_name("a_rather_long_schema_name.a_rather_long_table_name_for_versions")
              .size() <= 64);
}

namespace {

using Rows = std::vector<std::vector<std::optional<std::string>>>;

// The lock row of a Galera cluster, kept in memory: answers the SQL galera_lease_lock sends, and can fail
// a write as a lost certification does. The heartbeat thread writes while the test reads, hence the mutex.
class LockRowConnection final : public migrator::db::Connection {
public:
    struct State {
        std::mutex mutex;
        std::optional<std::pair<std::string, std::int64_t>> row;  // holder, beat
        int certification_failures = 0;                           // the next writes that lose certification
        bool live_other_holder = false;                           // another holder beats before every read
        std::string wsrep_on = "ON";
        std::vector<std::string> log;
    };

    explicit LockRowConnection(std::shared_ptr<State> state) : state_(std::move(state)) {}

    void execute(std::string_view sql) override {
        const std::lock_guard guard(state_->mutex);
        state_->log.emplace_back(sql);
    }

    std::vector<std::optional<std::string>> query_column(std::string_view /*sql*/) override { return {}; }

    Rows query_rows(std::string_view sql) override {
        const std::lock_guard guard(state_->mutex);
        state_->log.emplace_back(sql);
        return {{std::string("wsrep_on"), state_->wsrep_on}};
    }

    Rows query_bound(std::string_view sql, const Parameters& /*params*/) override {
        const std::lock_guard guard(state_->mutex);
        state_->log.emplace_back(sql);
        auto& row = state_->row;
        if (!row) return {};
        if (state_->live_other_holder && row->first == "other") ++row->second;
        return {{row->first, std::to_string(row->second)}};
    }

    std::optional<std::int64_t> execute_bound(std::string_view sql, const Parameters& params) override {
        const std::lock_guard guard(state_->mutex);
        state_->log.emplace_back(sql);
        if (state_->certification_failures > 0) {
            --state_->certification_failures;
            throw migrator::db::DatabaseError(
                "Deadlock found when trying to get lock; try restarting transaction");
        }
        auto& row = state_->row;
        const auto has = [&](std::string_view part) { return sql.find(part) != std::string_view::npos; };
        if (has("INSERT IGNORE")) {
            if (row) return 0;
            row = std::pair<std::string, std::int64_t>{*params.at(1), 1};
            return 1;
        }
        if (has("SET holder = ?")) {  // take: holder, name, expected holder, expected beat
            if (!row || row->first != *params.at(2) || std::to_string(row->second) != *params.at(3)) return 0;
            row = std::pair<std::string, std::int64_t>{*params.at(0), row->second + 1};
            return 1;
        }
        // beat or release: name, holder
        if (!row || row->first != *params.at(1)) return 0;
        if (has("holder = ''")) row->first.clear();
        ++row->second;
        return 1;
    }

private:
    std::shared_ptr<State> state_;
};

std::unique_ptr<migrator::db::Lock> take(const std::shared_ptr<LockRowConnection::State>& state,
                                         std::chrono::seconds timeout, std::chrono::milliseconds lease) {
    return migrator::db::galera_lease_lock(std::make_unique<LockRowConnection>(state), "app",
                                           "`migrator_version`", timeout, lease);
}

std::pair<std::string, std::int64_t> row_of(LockRowConnection::State& state) {
    const std::lock_guard guard(state.mutex);
    return state.row.value_or(std::pair<std::string, std::int64_t>{"(none)", -1});
}

}  // namespace

TEST_CASE("a Galera node is told by wsrep_on", "[lock][galera]") {
    auto state = std::make_shared<LockRowConnection::State>();
    LockRowConnection connection(state);
    CHECK(migrator::db::is_galera_node(connection));
    state->wsrep_on = "OFF";
    CHECK_FALSE(migrator::db::is_galera_node(connection));
}

TEST_CASE("the Galera lock inserts its row, and writes the holder back empty on release", "[lock][galera]") {
    auto state = std::make_shared<LockRowConnection::State>();
    auto lock = take(state, std::chrono::seconds(1), std::chrono::seconds(30));
    REQUIRE(lock);
    const auto held = row_of(*state);
    CHECK(held.first.find(':') != std::string::npos);  // host:pid:random
    CHECK(state->log.front() == "SET SESSION wsrep_sync_wait = 1");
    CHECK(state->log.at(1).find("CREATE TABLE IF NOT EXISTS `app`.`migrator_lock`") == 0);
    lock.reset();
    CHECK(row_of(*state).first.empty());
    CHECK(row_of(*state).second > held.second);
    // Free again: the next migrator takes it at once.
    CHECK(take(state, std::chrono::seconds(0), std::chrono::seconds(30)));
}

TEST_CASE("the Galera lock retries a write that lost certification", "[lock][galera]") {
    auto state = std::make_shared<LockRowConnection::State>();
    state->certification_failures = 2;
    CHECK(take(state, std::chrono::seconds(5), std::chrono::seconds(30)));
    CHECK(state->certification_failures == 0);
}

TEST_CASE("the Galera lock passes on other database errors", "[lock][galera]") {
    class Refusing final : public migrator::db::Connection {
    public:
        void execute(std::string_view sql) override {
            if (sql.find("CREATE TABLE") != std::string_view::npos)
                throw migrator::db::DatabaseError("CREATE command denied to user 'app'");
        }
        std::vector<std::optional<std::string>> query_column(std::string_view /*sql*/) override { return {}; }
    };
    CHECK_THROWS_WITH(migrator::db::galera_lease_lock(std::make_unique<Refusing>(), "app", "`v`",
                                                      std::chrono::seconds(5), std::chrono::seconds(30)),
                      "CREATE command denied to user 'app'");
}

TEST_CASE("the Galera lock waits for a holder that keeps beating, and gives up at the timeout",
          "[lock][galera]") {
    auto state = std::make_shared<LockRowConnection::State>();
    state->row = std::pair<std::string, std::int64_t>{"other", 1};
    state->live_other_holder = true;
    const auto started = std::chrono::steady_clock::now();
    // A lease far shorter than the wait: only the beats keep the other holder's claim.
    CHECK_FALSE(take(state, std::chrono::seconds(1), std::chrono::milliseconds(200)));
    CHECK(std::chrono::steady_clock::now() - started >= std::chrono::seconds(1));
    CHECK(row_of(*state).first == "other");
}

TEST_CASE("the Galera lock takes over from a holder silent for a whole lease, and then beats",
          "[lock][galera]") {
    auto state = std::make_shared<LockRowConnection::State>();
    state->row = std::pair<std::string, std::int64_t>{"other", 7};
    const auto started = std::chrono::steady_clock::now();
    auto lock = take(state, std::chrono::seconds(10), std::chrono::milliseconds(300));
    REQUIRE(lock);
    CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(300));
    const auto taken = row_of(*state);
    CHECK(taken.first != "other");
    CHECK(taken.second == 8);
    // The heartbeat (every lease / 4) moves the beat on; polled, with a generous bound.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (row_of(*state).second == taken.second && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(row_of(*state).second > taken.second);
    CHECK(row_of(*state).first == taken.first);
}
