// A small store for the cases tests: two stations under a county, a customer and a meter in each,
// a node in the first, and findings recorded by an audit run at a chosen instant.
// Thread safety: single-threaded, like the store.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/sqlite_store.hpp"

namespace gridaudit::testing {

// A folder under the system's temporary folder, removed with what it holds.
class CaseTestDirectory {
public:
    CaseTestDirectory() {
        std::string pattern = (std::filesystem::temp_directory_path() / "gridaudit-cases-XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    CaseTestDirectory(const CaseTestDirectory&) = delete;
    CaseTestDirectory& operator=(const CaseTestDirectory&) = delete;
    ~CaseTestDirectory() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    [[nodiscard]] std::string file(std::string_view name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

class CaseTestStore {
public:
    CaseTestStore() {
        path_ = directory_.file("cases.db");
        auto opened = SqliteStore::open(path_);
        if (!opened) throw std::runtime_error(opened.error().message());
        store = std::move(*opened);
        auto connection = SqliteConnection::open(path_);
        if (!connection) throw std::runtime_error(connection.error().message());
        const auto done = connection->execute(R"sql(
BEGIN;
INSERT INTO org_units (unit_id, parent_id, name, kind) VALUES ('U0', NULL, 'County', 'county'),
    ('U1', 'U0', 'Station 1', 'station'), ('U2', 'U0', 'Station 2', 'station');
INSERT INTO network (node_id, parent_id, kind, name, unit_id) VALUES ('N1', NULL, 'area', 'Area 1', 'U1'),
    ('N2', NULL, 'area', 'Area 2', 'U2');
INSERT INTO customers (customer_id, name, unit_id, node_id, category, voltage_kv, contracted_kva, tariff_id, status,
    supply_start) VALUES ('C1', 'One', 'U1', 'N1', 'residential', 0.22, 8, 'T1', 'active', '2020-01-01'),
    ('C2', 'Two', 'U2', 'N2', 'residential', 0.22, 8, 'T1', 'active', '2020-01-01');
INSERT INTO meters (meter_id, customer_id, node_id, model, accuracy_class, phases, rated_current, ct_ratio, pt_ratio,
    multiplier, installed_on) VALUES ('M1', 'C1', 'N1', 'DDZY', '2.0', 1, 60, '1', '1', 1, '2020-01-01'),
    ('M2', 'C2', 'N2', 'DDZY', '2.0', 1, 60, '1', '1', 1, '2020-01-01');
COMMIT;
)sql");
        if (!done) throw std::runtime_error(done.error().message());
    }

    // Records one audit run of `findings` (and of `rules`, so their unseen findings go inactive),
    // then sets the run's instant to `at`; returns the stored finding ids in the order given.
    std::vector<std::int64_t> record(const std::vector<Finding>& findings, std::string_view at,
                                     std::vector<std::string> rules = {}) {
        for (const auto& f : findings)
            if (std::find(rules.begin(), rules.end(), f.rule_id) == rules.end()) rules.push_back(f.rule_id);
        const auto run = store->record_audit(rules, "", findings, {});
        if (!run) throw std::runtime_error(run.error().message());
        auto connection = SqliteConnection::open(path_);
        const auto dated =
            connection->execute(fmt::format("UPDATE audit_runs SET at = '{}' WHERE run_id = {}", at, *run));
        if (!dated) throw std::runtime_error(dated.error().message());
        std::vector<std::int64_t> ids;
        const auto stored = store->findings(false).value();
        for (const auto& f : findings)
            for (const auto& s : stored)
                if (s.finding.rule_id == f.rule_id && s.finding.subject_kind == f.subject_kind &&
                    s.finding.subject_id == f.subject_id && s.finding.period == f.period)
                    ids.push_back(s.finding_id);
        return ids;
    }

    [[nodiscard]] const std::string& path() const { return path_; }

    std::unique_ptr<SqliteStore> store;

private:
    CaseTestDirectory directory_;
    std::string path_;
};

inline Finding test_finding(std::string rule, std::string kind, std::string subject, Severity severity,
                            std::optional<Money> money = std::nullopt) {
    Finding f;
    f.rule_id = std::move(rule);
    f.area = InspectionArea::METER;
    f.subject_kind = std::move(kind);
    f.subject_id = std::move(subject);
    f.severity = severity;
    f.summary = "test finding";
    f.evidence_json = "{}";
    f.money_at_risk = money;
    return f;
}

}  // namespace gridaudit::testing
