// The cases of the closed loop on PostgreSQL (store/case_store.hpp), as SqliteCaseStore keeps them:
// openings, versioned updates, comments, evidence, dismissals, each one transaction with its case
// events and audit-log entries. Every case write takes the store's write lock
// (pg_advisory_xact_lock, postgres_store.hpp) first, so two processes opening a case for one subject
// and cause, or dismissing one finding, follow one another (the second joins or is refused) instead
// of one failing on the schema's unique index; a stale version is a conflict as on SQLite (the
// UPDATE names the version it read). Back-billings and payments are postgres_casework_store.hpp's.
// Thread safety: as PostgresStore, one thread at a time.
#pragma once

#include "store/case_store.hpp"
#include "store/postgres_connection.hpp"

namespace gridaudit {

class PostgresCaseStore final : public CaseStore {
public:
    explicit PostgresCaseStore(PostgresConnection& connection) : connection_(&connection) {}

    Result<std::optional<std::string>> subject_unit(SubjectKind kind, std::string_view subject_id) override;
    Result<std::optional<std::string>> customer_of(std::string_view finding_subject_kind,
                                                   std::string_view subject_id) override;
    Result<std::vector<CaseOpened>> open_cases(std::span<const CaseOpening> openings,
                                               const CaseWriter& writer) override;
    Result<Case> update_case(const CaseUpdate& update, const CaseWriter& writer) override;
    Status add_comment(std::int64_t case_id, std::string_view note, const CaseWriter& writer) override;
    Status attach_findings(std::int64_t case_id, std::span<const std::int64_t> finding_ids,
                           const CaseWriter& writer) override;
    Status dismiss_finding(std::int64_t finding_id, std::string_view reason, const CaseWriter& writer) override;
    Result<std::optional<Case>> find_case(std::int64_t case_id) override;
    Result<std::vector<Case>> list_cases(const CaseFilter& filter) override;
    Result<std::vector<CaseEvent>> case_events(std::int64_t case_id) override;
    Result<std::vector<CaseEvidence>> case_evidence(std::int64_t case_id) override;
    Result<std::vector<FeeCenterAnomaly>> case_anomalies(std::int64_t case_id) override;
    Result<std::vector<FindingDismissal>> dismissals() override;
    Result<std::vector<DuplicateAttempt>> duplicate_attempts() override;
    Result<std::vector<FindingHandling>> finding_handling() override;

private:
    PostgresConnection* connection_;
};

}  // namespace gridaudit
