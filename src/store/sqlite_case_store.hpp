// The SQLite implementation of CaseStore, over the connection of a SqliteStore (tables of schema
// migration 8, docs/cases.md). Each write is one IMMEDIATE transaction with its audit-log entries.
// Thread safety: one thread at a time, like the SqliteStore that owns it.
#pragma once

#include "store/case_store.hpp"
#include "store/sqlite_connection.hpp"

namespace gridaudit {

class SqliteCaseStore final : public CaseStore {
public:
    // REQUIRES: `connection` outlives this object and is migrated to version 8 or later.
    explicit SqliteCaseStore(SqliteConnection& connection) : connection_(&connection) {}

    [[nodiscard]] Result<std::optional<std::string>> subject_unit(SubjectKind kind,
                                                                  std::string_view subject_id) override;
    [[nodiscard]] Result<std::optional<std::string>> customer_of(std::string_view finding_subject_kind,
                                                                 std::string_view subject_id) override;
    [[nodiscard]] Result<std::vector<CaseOpened>> open_cases(std::span<const CaseOpening> openings,
                                                             const CaseWriter& writer) override;
    [[nodiscard]] Result<Case> update_case(const CaseUpdate& update, const CaseWriter& writer) override;
    [[nodiscard]] Status add_comment(std::int64_t case_id, std::string_view note, const CaseWriter& writer) override;
    [[nodiscard]] Status attach_findings(std::int64_t case_id, std::span<const std::int64_t> finding_ids,
                                         const CaseWriter& writer) override;
    [[nodiscard]] Status dismiss_finding(std::int64_t finding_id, std::string_view reason,
                                         const CaseWriter& writer) override;
    [[nodiscard]] Result<std::optional<Case>> find_case(std::int64_t case_id) override;
    [[nodiscard]] Result<std::vector<Case>> list_cases(const CaseFilter& filter) override;
    [[nodiscard]] Result<std::vector<CaseEvent>> case_events(std::int64_t case_id) override;
    [[nodiscard]] Result<std::vector<CaseEvidence>> case_evidence(std::int64_t case_id) override;
    [[nodiscard]] Result<std::vector<FeeCenterAnomaly>> case_anomalies(std::int64_t case_id) override;
    [[nodiscard]] Result<std::vector<FindingDismissal>> dismissals() override;
    [[nodiscard]] Result<std::vector<DuplicateAttempt>> duplicate_attempts() override;
    [[nodiscard]] Result<std::vector<FindingHandling>> finding_handling() override;

private:
    SqliteConnection* connection_;
};

}  // namespace gridaudit
