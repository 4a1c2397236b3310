// Fuzz target: bytes as customers.csv, meters.csv or network.csv (chosen by the first byte) of an
// otherwise valid export, through every validator (rows, references, cycles) against an empty
// store. Invariants: no crash or sanitizer report; every message has the form
// `file:line:column: ...` with line and column >= 1; per file, rows read = accepted + rejected.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ingest/import_folder.hpp"
#include "fuzz_require.hpp"

namespace {

using gridaudit::fuzzing::require;

// A store with nothing in it.
class EmptyStore final : public gridaudit::Store {
public:
    gridaudit::Result<int> schema_version() override { return 1; }
    gridaudit::Result<std::vector<std::string>> keys(const gridaudit::TableSpec&) override {
        return std::vector<std::string>{};
    }
    gridaudit::Result<gridaudit::ImportOutcome> apply_batch(const gridaudit::ValidatedBatch&,
                                                            const gridaudit::ImportOptions&) override {
        return gridaudit::ImportOutcome{};
    }
    gridaudit::Result<std::vector<gridaudit::BatchRecord>> batches() override {
        return std::vector<gridaudit::BatchRecord>{};
    }
    gridaudit::Result<std::vector<gridaudit::Correction>> corrections(std::string_view) override {
        return std::vector<gridaudit::Correction>{};
    }
    gridaudit::Result<std::vector<gridaudit::Row>> read_rows(const gridaudit::TableSpec&) override {
        return std::vector<gridaudit::Row>{};
    }
    gridaudit::Result<std::vector<std::pair<std::string, std::int64_t>>> table_counts() override {
        return std::vector<std::pair<std::string, std::int64_t>>{};
    }
    gridaudit::Result<std::optional<std::pair<gridaudit::CivilDate, gridaudit::CivilDate>>> daily_range() override {
        return std::nullopt;
    }
    gridaudit::Result<gridaudit::DailyMatrix> load_daily(const std::vector<std::string>&, gridaudit::CivilDate,
                                                         gridaudit::CivilDate) override {
        return gridaudit::DailyMatrix{};
    }
    gridaudit::Result<gridaudit::IntervalMatrix> load_intervals(const std::vector<std::string>&, gridaudit::CivilDate,
                                                                gridaudit::CivilDate, int) override {
        return gridaudit::IntervalMatrix{};
    }
    gridaudit::Result<std::vector<gridaudit::TariffDocument>> tariffs() override {
        return std::vector<gridaudit::TariffDocument>{};
    }
    gridaudit::Result<std::size_t> replace_daily_estimates(gridaudit::CivilDate, gridaudit::CivilDate,
                                                           const std::vector<gridaudit::DailyEstimate>&) override {
        return gridaudit::internal_error("not used by the fuzzer");
    }
    gridaudit::Result<std::vector<gridaudit::DailyEstimate>> daily_estimates() override {
        return std::vector<gridaudit::DailyEstimate>{};
    }
    gridaudit::Result<std::size_t> replace_interval_estimates(
        std::int64_t, std::int64_t, const std::vector<gridaudit::IntervalEstimate>&) override {
        return gridaudit::internal_error("not used by the fuzzer");
    }
    gridaudit::Result<std::vector<gridaudit::IntervalEstimate>> interval_estimates() override {
        return std::vector<gridaudit::IntervalEstimate>{};
    }
    gridaudit::Result<std::int64_t> record_audit(const std::vector<std::string>&, std::string_view,
                                                 const std::vector<gridaudit::Finding>&,
                                                 const std::vector<std::string>&) override {
        return 0;
    }
    gridaudit::Result<std::vector<gridaudit::AuditRunRecord>> audit_runs() override {
        return std::vector<gridaudit::AuditRunRecord>{};
    }
    gridaudit::Result<std::vector<gridaudit::StoredFinding>> findings(bool) override {
        return std::vector<gridaudit::StoredFinding>{};
    }
};

// "file:line:column: " with line and column >= 1.
bool has_position(std::string_view message) {
    const auto number = [&](std::size_t& at) {
        const std::size_t start = at;
        while (at < message.size() && std::isdigit(static_cast<unsigned char>(message[at]))) ++at;
        return at > start && message[start] != '0';
    };
    std::size_t at = message.find(".csv:");
    if (at == std::string_view::npos) return false;
    at += 5;
    if (!number(at) || at >= message.size() || message[at++] != ':') return false;
    if (!number(at)) return false;
    return message.substr(at).starts_with(": ");
}

const char* const network =
    "node_id,parent_id,kind,name,gateway_meter_id\nS1,,substation,Main,\nB1,S1,bus,Bus,\nF1,B1,feeder,Feeder,\n"
    "A1,F1,area,Area,G1\n";
const char* const customers =
    "customer_id,name,node_id,category,voltage_kv,contracted_kva,tariff_id,status,supply_start,supply_end\n"
    "C1,Li,A1,residential,0.22,8,RES,active,2019-04-01,\nC2,Wu,A1,temporary,0.4,50,TMP,active,2026-01-01,2026-12-31\n";
const char* const meters =
    "meter_id,customer_id,node_id,model,accuracy_class,phases,rated_current,ct_ratio,pt_ratio,multiplier,installed_on\n"
    "M1,C1,,DDZY71,2.0,1,5,1,1,1,2019-04-01\nG1,,A1,DTZY,0.5S,3,1.5,200/5,1,40,2018-01-01\n";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static const char* const names[] = {"customers.csv", "meters.csv", "network.csv"};
    const std::string fuzzed_name = names[data[0] % 3];
    const std::string fuzzed(reinterpret_cast<const char*>(data + 1), size - 1);

    std::vector<gridaudit::InputFile> files;
    const auto add = [&](const char* name, std::string content) {
        files.push_back(
            {name, gridaudit::FileContent::from_string(name == fuzzed_name ? fuzzed : std::move(content)), {}});
    };
    add("customers.csv", customers);
    add("meters.csv", meters);
    add("network.csv", network);

    EmptyStore store;
    gridaudit::ImportFolderOptions options;
    options.threads = 1;
    auto validated = gridaudit::validate_files(store, "fuzz", std::move(files), options);
    require(validated.has_value());
    for (const auto& problem : validated->problems) {
        require(problem.line >= 1 && problem.column >= 1);
        require(has_position(problem.to_string()));
    }
    for (const auto& file : validated->report.files) require(file.rows_read == file.rows_accepted + file.rows_rejected);
    for (const auto& rejected : validated->rejected)
        for (const auto& row : rejected.rows) require(!row.reason.empty());
    return 0;
}
