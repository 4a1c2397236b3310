// The frozen migration scripts of the SQLite store and the code that applies them.
//
// Never edit a script once it is committed to main: stores in the field were built by it. Add
// migration N+1 instead (ALTER TABLE, CREATE TABLE, data copies) and append it to the list.
#include "store/migrations.hpp"

#include <fmt/format.h>

#include <array>

namespace gridaudit {
namespace {

// Version 1: the import contract of the foundation, the packed series, the batch log and
// corrections, tariffs, audit runs and findings. Column types follow store/sql_field.hpp.
constexpr std::string_view migration_1_sql = R"sql(
PRAGMA application_id = 1196573761;

CREATE TABLE import_batches (
    batch_id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    imported_at TEXT NOT NULL,
    rows_accepted INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    strict_mode INTEGER NOT NULL
) STRICT;

CREATE TABLE corrections (
    correction_id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES import_batches(batch_id),
    table_name TEXT NOT NULL,
    row_key TEXT NOT NULL,
    column_name TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT
) STRICT;
CREATE INDEX corrections_by_table ON corrections(table_name, row_key);

CREATE TABLE org_units (
    unit_id TEXT NOT NULL PRIMARY KEY,
    parent_id TEXT REFERENCES org_units(unit_id) DEFERRABLE INITIALLY DEFERRED,
    name TEXT NOT NULL,
    kind TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE network (
    node_id TEXT NOT NULL PRIMARY KEY,
    parent_id TEXT REFERENCES network(node_id) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    unit_id TEXT REFERENCES org_units(unit_id) DEFERRABLE INITIALLY DEFERRED,
    rated_kva REAL,
    gateway_meter_id TEXT REFERENCES meters(meter_id) DEFERRABLE INITIALLY DEFERRED
) STRICT, WITHOUT ROWID;

CREATE TABLE staff (
    staff_id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    unit_id TEXT REFERENCES org_units(unit_id) DEFERRABLE INITIALLY DEFERRED,
    role TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE customers (
    customer_id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    unit_id TEXT REFERENCES org_units(unit_id) DEFERRABLE INITIALLY DEFERRED,
    node_id TEXT NOT NULL REFERENCES network(node_id) DEFERRABLE INITIALLY DEFERRED,
    category TEXT NOT NULL,
    industry TEXT,
    voltage_kv REAL NOT NULL,
    contracted_kva REAL NOT NULL,
    tariff_id TEXT NOT NULL,
    pf_standard REAL,
    status TEXT NOT NULL,
    supply_start TEXT NOT NULL,
    supply_end TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX customers_by_node ON customers(node_id);

CREATE TABLE meters (
    meter_id TEXT NOT NULL PRIMARY KEY,
    customer_id TEXT REFERENCES customers(customer_id) DEFERRABLE INITIALLY DEFERRED,
    node_id TEXT REFERENCES network(node_id) DEFERRABLE INITIALLY DEFERRED,
    model TEXT NOT NULL,
    accuracy_class TEXT NOT NULL,
    phases INTEGER NOT NULL,
    rated_current REAL NOT NULL,
    ct_ratio TEXT NOT NULL,
    pt_ratio TEXT NOT NULL,
    ct_class TEXT,
    pt_class TEXT,
    multiplier REAL NOT NULL,
    installed_on TEXT NOT NULL,
    last_tested_on TEXT,
    removed_on TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX meters_by_customer ON meters(customer_id);

CREATE TABLE register_reads (
    meter_id TEXT NOT NULL REFERENCES meters(meter_id) DEFERRABLE INITIALLY DEFERRED,
    read_on TEXT NOT NULL,
    register TEXT NOT NULL,
    value REAL NOT NULL,
    source TEXT NOT NULL,
    reader_id TEXT REFERENCES staff(staff_id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (meter_id, read_on, register)
) STRICT, WITHOUT ROWID;

-- One row per meter and month: day_mask bit d-1 is set when day d of the month was imported;
-- the registers are value columns of the month's days (store/series_codec.hpp).
CREATE TABLE ami_daily (
    meter_id TEXT NOT NULL REFERENCES meters(meter_id) DEFERRABLE INITIALLY DEFERRED,
    month TEXT NOT NULL,
    day_mask INTEGER NOT NULL,
    day_count INTEGER NOT NULL,
    import_register BLOB NOT NULL,
    export_register BLOB NOT NULL,
    PRIMARY KEY (meter_id, month)
) STRICT, WITHOUT ROWID;

-- One row per meter and UTC day: the day's intervals in start order. start_gaps and minutes
-- are integer columns, kwh a value column, flags one byte per interval (NULL when all zero).
CREATE TABLE ami_interval (
    meter_id TEXT NOT NULL REFERENCES meters(meter_id) DEFERRABLE INITIALLY DEFERRED,
    day TEXT NOT NULL,
    interval_count INTEGER NOT NULL,
    start_gaps BLOB NOT NULL,
    minutes BLOB NOT NULL,
    kwh BLOB NOT NULL,
    flags BLOB,
    PRIMARY KEY (meter_id, day)
) STRICT;

CREATE TABLE meter_events (
    meter_id TEXT NOT NULL REFERENCES meters(meter_id) DEFERRABLE INITIALLY DEFERRED,
    at INTEGER NOT NULL,
    code TEXT NOT NULL,
    phase TEXT,
    duration_s INTEGER,
    PRIMARY KEY (meter_id, at, code)
) STRICT, WITHOUT ROWID;

CREATE TABLE bills (
    bill_id TEXT NOT NULL PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers(customer_id) DEFERRABLE INITIALLY DEFERRED,
    period TEXT NOT NULL,
    kwh_total REAL NOT NULL,
    kwh_peak REAL,
    kwh_flat REAL,
    kwh_valley REAL,
    kvarh REAL,
    demand_kw REAL,
    energy_charge INTEGER NOT NULL,
    basic_charge INTEGER,
    pf_adjustment INTEGER,
    surcharges INTEGER,
    total INTEGER NOT NULL,
    issued_on TEXT NOT NULL,
    due_on TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX bills_by_customer ON bills(customer_id, period);

CREATE TABLE payments (
    payment_id TEXT NOT NULL PRIMARY KEY,
    bill_id TEXT NOT NULL REFERENCES bills(bill_id) DEFERRABLE INITIALLY DEFERRED,
    paid_on TEXT NOT NULL,
    amount INTEGER NOT NULL,
    channel TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX payments_by_bill ON payments(bill_id);

CREATE TABLE work_orders (
    order_id TEXT NOT NULL PRIMARY KEY,
    customer_id TEXT REFERENCES customers(customer_id) DEFERRABLE INITIALLY DEFERRED,
    type TEXT NOT NULL,
    segment TEXT NOT NULL,
    accepted_at INTEGER NOT NULL,
    plan_at INTEGER,
    design_at INTEGER,
    checked_at INTEGER,
    connected_at INTEGER,
    closed_at INTEGER,
    staff_id TEXT REFERENCES staff(staff_id) DEFERRABLE INITIALLY DEFERRED,
    old_value TEXT,
    new_value TEXT
) STRICT, WITHOUT ROWID;

CREATE TABLE tariffs (
    id TEXT NOT NULL PRIMARY KEY,
    file TEXT NOT NULL,
    json TEXT NOT NULL,
    batch_id INTEGER NOT NULL REFERENCES import_batches(batch_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE audit_runs (
    run_id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    period TEXT NOT NULL,
    rule_ids TEXT NOT NULL
) STRICT;

CREATE TABLE findings (
    finding_id INTEGER PRIMARY KEY,
    rule_id TEXT NOT NULL,
    area TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    period TEXT NOT NULL,
    severity TEXT NOT NULL,
    summary TEXT NOT NULL,
    evidence TEXT NOT NULL,
    kwh_at_risk REAL,
    money_at_risk INTEGER,
    first_run_id INTEGER NOT NULL REFERENCES audit_runs(run_id),
    last_run_id INTEGER NOT NULL REFERENCES audit_runs(run_id),
    active INTEGER NOT NULL,
    UNIQUE (rule_id, subject_kind, subject_id, period)
) STRICT;
)sql";

// Billing audit: bill components and settlement state, payments not tied to a bill, late-payment
// charges and waivers, daily collection totals, tariff versions (id, effective_from).
constexpr std::string_view migration_2_sql = R"sql(
ALTER TABLE bills ADD COLUMN fixed_charges INTEGER;
ALTER TABLE bills ADD COLUMN other_charges INTEGER;
ALTER TABLE bills ADD COLUMN other_charges_item TEXT;
ALTER TABLE bills ADD COLUMN payment_status TEXT;

CREATE TABLE payments_2 (
    payment_id TEXT NOT NULL PRIMARY KEY,
    bill_id TEXT REFERENCES bills(bill_id) DEFERRABLE INITIALLY DEFERRED,
    customer_id TEXT REFERENCES customers(customer_id) DEFERRABLE INITIALLY DEFERRED,
    paid_on TEXT NOT NULL,
    amount INTEGER NOT NULL,
    channel TEXT NOT NULL,
    late_fee INTEGER,
    late_fee_waiver TEXT
) STRICT, WITHOUT ROWID;
INSERT INTO payments_2 (payment_id, bill_id, customer_id, paid_on, amount, channel)
    SELECT p.payment_id, p.bill_id, b.customer_id, p.paid_on, p.amount, p.channel
    FROM payments AS p LEFT JOIN bills AS b ON b.bill_id = p.bill_id;
DROP TABLE payments;
ALTER TABLE payments_2 RENAME TO payments;
CREATE INDEX payments_by_bill ON payments(bill_id);
CREATE INDEX payments_by_day ON payments(paid_on, channel);

CREATE TABLE collections (
    day TEXT NOT NULL,
    channel TEXT NOT NULL,
    payments INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    PRIMARY KEY (day, channel)
) STRICT, WITHOUT ROWID;

CREATE TABLE tariffs_2 (
    id TEXT NOT NULL,
    effective_from TEXT NOT NULL DEFAULT '',
    file TEXT NOT NULL,
    json TEXT NOT NULL,
    batch_id INTEGER NOT NULL REFERENCES import_batches(batch_id),
    PRIMARY KEY (id, effective_from)
) STRICT, WITHOUT ROWID;
INSERT INTO tariffs_2 (id, effective_from, file, json, batch_id)
    SELECT id, coalesce(json_extract(json, '$.effective_from'), ''), file, json, batch_id FROM tariffs;
DROP TABLE tariffs;
ALTER TABLE tariffs_2 RENAME TO tariffs;
)sql";

// VEE estimates of missing daily usage, beside the raw registers.
constexpr std::string_view migration_3_sql = R"sql(
CREATE TABLE daily_estimates (
    meter_id TEXT NOT NULL REFERENCES meters(meter_id) DEFERRABLE INITIALLY DEFERRED,
    day TEXT NOT NULL,
    kwh REAL NOT NULL,
    method TEXT NOT NULL,
    PRIMARY KEY (meter_id, day)
) STRICT, WITHOUT ROWID;
CREATE INDEX daily_estimates_by_day ON daily_estimates(day);
)sql";

// VEE estimates of missing 15-minute intervals (kWh as stored, before the multiplier).
constexpr std::string_view migration_4_sql = R"sql(
CREATE TABLE interval_estimates (
    meter_id TEXT NOT NULL REFERENCES meters(meter_id) DEFERRABLE INITIALLY DEFERRED,
    start INTEGER NOT NULL,
    kwh REAL NOT NULL,
    method TEXT NOT NULL,
    PRIMARY KEY (meter_id, start)
) STRICT, WITHOUT ROWID;
CREATE INDEX interval_estimates_by_start ON interval_estimates(start);
)sql";

// The customer's supply address (customers.csv `address`), for duplicate-account checks.
constexpr std::string_view migration_5_sql = R"sql(
ALTER TABLE customers ADD COLUMN address TEXT;
)sql";

// What an audit run could not do (a stored tariff that cannot be used), as a JSON array of strings.
constexpr std::string_view migration_6_sql = R"sql(
ALTER TABLE audit_runs ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]';
)sql";

// People and what they did (issue 14): users with a role and an org-unit scope (NULL = the whole
// utility), sessions stored only as a hash of their token, login attempts for the rate limit,
// and the append-only audit log (triggers refuse UPDATE and DELETE). Times are ISO instants, UTC.
constexpr std::string_view migration_7_sql = R"sql(
CREATE TABLE users (
    user_id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('clerk', 'analyst', 'inspector', 'supervisor', 'administrator')),
    unit_id TEXT REFERENCES org_units(unit_id) DEFERRABLE INITIALLY DEFERRED,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
) STRICT;

CREATE TABLE sessions (
    session_id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(user_id),
    created_at TEXT NOT NULL,
    last_used_at TEXT NOT NULL,
    idle_seconds INTEGER NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    revoked_why TEXT
) STRICT;
CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE login_attempts (
    attempt_id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    at TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('succeeded', 'failed', 'locked'))
) STRICT;
CREATE INDEX login_attempts_by_username ON login_attempts(username, at);

CREATE TABLE audit_log (
    entry_id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_user_id INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
) STRICT;
CREATE INDEX audit_log_by_object ON audit_log(object_kind, object_id);
CREATE INDEX audit_log_by_actor ON audit_log(actor_user_id);
CREATE TRIGGER audit_log_refuses_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: an entry cannot be changed');
END;
CREATE TRIGGER audit_log_refuses_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: an entry cannot be deleted');
END;
)sql";

// The closed loop (issue 14): cases with their state, version and deadline; every event of a
// case; findings linked as evidence; the fee center's anomalies; dismissed findings; duplicate
// attempts. One open case per subject and cause, enforced by a partial unique index.
constexpr std::string_view migration_8_sql = R"sql(
CREATE TABLE cases (
    case_id INTEGER PRIMARY KEY,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('customer', 'meter', 'node')),
    subject_id TEXT NOT NULL,
    cause TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('new', 'assigned', 'online_check', 'onsite_check', 'concluded',
                                         'back_billing', 'recovery', 'closed')),
    conclusion TEXT CHECK (conclusion IS NULL OR conclusion IN ('confirmed_theft', 'confirmed_violation',
                           'billing_error', 'metering_fault', 'master_data_error', 'no_problem')),
    assignee TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('finding', 'fee_center', 'manual')),
    opened_at TEXT NOT NULL,
    state_entered_at TEXT NOT NULL,
    due_on TEXT,
    version INTEGER NOT NULL,
    summary TEXT NOT NULL,
    kwh_at_risk REAL,
    money_at_risk INTEGER
) STRICT;
CREATE UNIQUE INDEX cases_one_open_per_subject_and_cause ON cases(subject_kind, subject_id, cause)
    WHERE state <> 'closed';
CREATE INDEX cases_by_state ON cases(state);
CREATE INDEX cases_by_unit ON cases(unit_id);

CREATE TABLE case_events (
    event_id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(case_id),
    at TEXT NOT NULL,
    actor_user_id INTEGER NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    note TEXT NOT NULL
) STRICT;
CREATE INDEX case_events_by_case ON case_events(case_id, event_id);

CREATE TABLE case_findings (
    case_id INTEGER NOT NULL REFERENCES cases(case_id),
    finding_id INTEGER NOT NULL REFERENCES findings(finding_id),
    attached_at TEXT NOT NULL,
    attached_by TEXT NOT NULL,
    PRIMARY KEY (case_id, finding_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX case_findings_by_finding ON case_findings(finding_id);

CREATE TABLE fee_center_anomalies (
    anomaly_id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(case_id),
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    amount INTEGER NOT NULL,
    found_on TEXT NOT NULL,
    source TEXT NOT NULL,
    imported_at TEXT NOT NULL
) STRICT;
CREATE INDEX fee_center_anomalies_by_case ON fee_center_anomalies(case_id);

CREATE TABLE finding_dismissals (
    finding_id INTEGER PRIMARY KEY REFERENCES findings(finding_id),
    reason TEXT NOT NULL,
    actor_user_id INTEGER NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL
) STRICT;

CREATE TABLE case_duplicate_attempts (
    attempt_id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(case_id),
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    cause TEXT NOT NULL,
    source TEXT NOT NULL,
    reference TEXT NOT NULL,
    actor_user_id INTEGER NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL
) STRICT;
)sql";

// What the loop recovers (issue 14): each case's back-billing (the calculator's itemised
// computation, its items with their articles, the approval and its notice number) and the payments
// against it; payments.csv gains an optional notice_id naming the notice a row pays.
constexpr std::string_view migration_9_sql = R"sql(
CREATE TABLE back_billings (
    case_id INTEGER PRIMARY KEY REFERENCES cases(case_id),
    computation TEXT NOT NULL,
    article TEXT NOT NULL,
    title TEXT NOT NULL,
    arguments_json TEXT NOT NULL,
    sources_json TEXT NOT NULL,
    recovery_json TEXT NOT NULL,
    energy_kwh REAL,
    total INTEGER NOT NULL,
    computed_at TEXT NOT NULL,
    computed_by TEXT NOT NULL,
    approved_at TEXT NOT NULL DEFAULT '',
    approved_by TEXT NOT NULL DEFAULT '',
    notice_number TEXT,
    recovered_on TEXT
) STRICT;
CREATE UNIQUE INDEX back_billings_by_notice ON back_billings(notice_number) WHERE notice_number IS NOT NULL;

CREATE TABLE back_billing_items (
    case_id INTEGER NOT NULL REFERENCES back_billings(case_id),
    item_no INTEGER NOT NULL,
    name TEXT NOT NULL,
    exact TEXT NOT NULL,
    amount INTEGER NOT NULL,
    article TEXT NOT NULL,
    PRIMARY KEY (case_id, item_no)
) STRICT;

CREATE TABLE case_payments (
    payment_id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(case_id),
    notice_number TEXT NOT NULL,
    amount INTEGER NOT NULL,
    paid_on TEXT NOT NULL,
    source TEXT NOT NULL,
    reference TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
) STRICT;
CREATE INDEX case_payments_by_case ON case_payments(case_id, payment_id);
CREATE UNIQUE INDEX case_payments_by_reference ON case_payments(reference) WHERE reference <> '';

ALTER TABLE payments ADD COLUMN notice_id TEXT;
)sql";

// The learned suspect models (issue 15, docs/suspects.md): one row per training, never changed.
// features, parameters and summary are JSON texts; model is XGBoost's saved booster.
constexpr std::string_view migration_10_sql = R"sql(
CREATE TABLE suspect_models (
    version INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('truth', 'cases')),
    features TEXT NOT NULL,
    parameters TEXT NOT NULL,
    summary TEXT NOT NULL,
    model BLOB NOT NULL
) STRICT;
)sql";

// The days ami_daily holds, by month (the union of its rows' day masks), so the stored range is one
// read of a row per month instead of a scan of every meter's months (issue 17). Kept by the daily
// writer (daily_series_table.cpp); days are never removed from ami_daily. And the region
// (substation) each finding was found in, so that an audit of some regions replaces their findings
// only (region_audit_recording.hpp); "" for the whole utility and for findings recorded before.
constexpr std::string_view migration_11_sql = R"sql(
CREATE TABLE ami_daily_months (
    month TEXT NOT NULL PRIMARY KEY,
    day_mask INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO ami_daily_months (month, day_mask)
SELECT month,
    max(day_mask & 1) | max(day_mask & 2) | max(day_mask & 4) | max(day_mask & 8) |
    max(day_mask & 16) | max(day_mask & 32) | max(day_mask & 64) | max(day_mask & 128) |
    max(day_mask & 256) | max(day_mask & 512) | max(day_mask & 1024) | max(day_mask & 2048) |
    max(day_mask & 4096) | max(day_mask & 8192) | max(day_mask & 16384) | max(day_mask & 32768) |
    max(day_mask & 65536) | max(day_mask & 131072) | max(day_mask & 262144) | max(day_mask & 524288) |
    max(day_mask & 1048576) | max(day_mask & 2097152) | max(day_mask & 4194304) | max(day_mask & 8388608) |
    max(day_mask & 16777216) | max(day_mask & 33554432) | max(day_mask & 67108864) | max(day_mask & 134217728) |
    max(day_mask & 268435456) | max(day_mask & 536870912) | max(day_mask & 1073741824)
FROM ami_daily GROUP BY month;

ALTER TABLE findings ADD COLUMN region TEXT NOT NULL DEFAULT '';
)sql";

constexpr std::array<Migration, 11> migrations{{
    {1, "import contract, packed series, batches, corrections, tariffs, findings", migration_1_sql},
    {2, "billing audit: bill components, payment settlement, collections, tariff versions", migration_2_sql},
    {3, "VEE estimates of missing daily usage", migration_3_sql},
    {4, "VEE estimates of missing 15-minute intervals", migration_4_sql},
    {5, "customer supply address", migration_5_sql},
    {6, "audit run warnings", migration_6_sql},
    {7, "users, sessions, login attempts, append-only audit log", migration_7_sql},
    {8, "cases, case events, evidence, fee-center anomalies, dismissals, duplicate attempts", migration_8_sql},
    {9, "back-billings, their items and approvals, payments against notices", migration_9_sql},
    {10, "learned suspect models, versioned, with their training data's summary", migration_10_sql},
    {11, "the stored days of ami_daily by month; the region of a finding", migration_11_sql},
}};

Result<int> read_version(SqliteConnection& connection) {
    GA_ASSIGN_OR_RETURN(const auto version, connection.query_int64("PRAGMA user_version"));
    return static_cast<int>(version);
}

// User error unless the file is empty or already a GridAudit store of a version we know. The
// version, application id and object count are read by one statement, so from one snapshot:
// read one by one, another opener's first migration could commit between them and make a new
// file look like a foreign database (version 0 and application id 0, but tables).
Status check_store_identity(SqliteConnection& connection) {
    GA_ASSIGN_OR_RETURN(auto identity, connection.prepare("SELECT (SELECT user_version FROM pragma_user_version), "
                                                          "(SELECT application_id FROM pragma_application_id), "
                                                          "(SELECT count(*) FROM sqlite_schema)"));
    GA_ASSIGN_OR_RETURN(const bool has_row, identity.step());
    if (!has_row) return internal_error("reading the store's identity gave no row");
    const auto version = identity.column_int64(0);
    const auto application_id = identity.column_int64(1);
    const auto object_count = identity.column_int64(2);
    const bool empty_file = version == 0 && application_id == 0 && object_count == 0;
    if (!empty_file && application_id != gridaudit_application_id)
        return user_error("the database is not a GridAudit store (it has other tables or another application id)");
    if (version > latest_schema_version())
        return user_error(fmt::format(
            "the store has schema version {}, newer than this GridAudit knows ({}); upgrade GridAudit to open it",
            version, latest_schema_version()));
    return {};
}

Status apply(SqliteConnection& connection, const Migration& migration) {
    GA_ASSIGN_OR_RETURN(auto transaction, SqliteTransaction::begin_immediate(connection));
    // Another process may have migrated between our check and our lock.
    GA_ASSIGN_OR_RETURN(const int version, read_version(connection));
    if (version >= migration.version) return {};
    if (version != migration.version - 1)
        return internal_error(fmt::format("migration {} found the store at version {}", migration.version, version));
    if (auto done = connection.execute(migration.sql); !done)
        return std::unexpected(done.error().with_context(fmt::format("schema migration {}", migration.version)));
    GA_TRY(connection.execute(fmt::format("PRAGMA user_version = {}", migration.version)));
    return transaction.commit();
}

}  // namespace

std::span<const Migration> schema_migrations() {
    return migrations;
}

int latest_schema_version() {
    return migrations.back().version;
}

Result<int> migrate(SqliteConnection& connection) {
    GA_TRY(check_store_identity(connection));
    GA_ASSIGN_OR_RETURN(const int version, read_version(connection));
    for (const auto& migration : migrations) {
        if (migration.version <= version) continue;
        GA_TRY(apply(connection, migration));
    }
    return read_version(connection);
}

}  // namespace gridaudit
