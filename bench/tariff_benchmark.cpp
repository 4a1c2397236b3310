// `gridaudit bench tariff` (see tariff_benchmark.hpp).
#include "tariff_benchmark.hpp"

#include <fmt/format.h>
#include <sys/mman.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "stage_runner.hpp"
#include "tariff/pricing_engine.hpp"
#include "tariff/tariff_json.hpp"

namespace gridaudit {
namespace {

constexpr int billed_year = 2026;
constexpr int months_per_year = 12;
constexpr std::size_t period_slots = 4;  // the most energy periods of any benchmark tariff
constexpr std::uint32_t not_read = std::numeric_limits<std::uint32_t>::max();
constexpr double bills_per_second_target = 1'000'000.0 * 12 / 10;  // 1 M customers x 12 months in 10 s

// The tariffs of the mix, as GridAudit tariff documents (docs/tariffs.md).
enum TariffIndex : std::uint8_t { residential, commercial, industrial_capacity, industrial_demand, agricultural };
constexpr std::array<std::string_view, 5> tariff_names{"residential yearly tiers", "commercial TOU",
                                                       "two-part per kVA + PF", "two-part per kW + PF",
                                                       "agricultural flat + PF"};
constexpr std::array<std::string_view, 5> tariff_documents{
    R"({"format": "gridaudit-tariff/1", "id": "RES-TIER", "name": "Residential, yearly tiers", "currency": "CNY",
  "energy": {"tiers": {"accumulation": "year", "mid_year_start": "prorate_months",
    "blocks": [{"up_to_kwh": 2760, "price": 0.538}, {"up_to_kwh": 4800, "price": 0.588}, {"price": 0.838}]}},
  "funds": [{"name": "government funds and surcharges", "price": 0.03}]})",
    R"({"format": "gridaudit-tariff/1", "id": "COM-TOU-10KV", "name": "Commercial TOU", "currency": "CNY",
  "calendar": {"holidays": [{"from": "2026-10-01", "to": "2026-10-07"}], "working_days": ["2026-09-27", "2026-10-10"]},
  "seasons": [{"name": "summer", "months": [7, 8]}, {"name": "rest", "months": [1, 2, 3, 4, 5, 6, 9, 10, 11, 12]}],
  "energy": {
    "periods": [{"name": "critical_peak", "kind": "critical_peak", "price": 1.2480},
                {"name": "peak", "kind": "peak", "price": 1.0400},
                {"name": "flat", "kind": "flat", "price": 0.6500},
                {"name": "valley", "kind": "valley", "price": 0.2600}],
    "schedule": [
      {"seasons": ["summer"], "days": ["workday"],
       "hours": {"critical_peak": ["11:30-12:30"], "peak": ["08:00-11:30", "12:30-22:00"], "valley": ["22:00-08:00"]}},
      {"seasons": ["summer"], "days": ["weekend", "holiday"], "hours": {"flat": ["08:00-22:00"], "valley": ["22:00-08:00"]}},
      {"seasons": ["rest"], "days": ["workday"],
       "hours": {"peak": ["08:00-11:00", "18:00-22:00"], "flat": ["11:00-18:00"], "valley": ["22:00-08:00"]}},
      {"seasons": ["rest"], "days": ["weekend", "holiday"], "hours": {"flat": ["08:00-22:00"], "valley": ["22:00-08:00"]}}]},
  "power_factor": {"adjustment": true, "standard": 0.85},
  "funds": [{"name": "renewable energy surcharge", "price": 0.019}, {"name": "reservoir resettlement fund", "price": 0.0062}]})",
    R"({"format": "gridaudit-tariff/1", "id": "LI-2PART-10KV", "name": "Two-part per kVA", "currency": "CNY",
  "energy": {
    "periods": [{"name": "peak", "kind": "peak", "price": 0.896}, {"name": "flat", "kind": "flat", "price": 0.56},
                {"name": "valley", "kind": "valley", "price": 0.224}],
    "schedule": [{"hours": {"peak": ["08:00-11:00", "18:00-23:00"], "flat": ["07:00-08:00", "11:00-18:00"],
                            "valley": ["23:00-07:00"]}}]},
  "basic_charge": {"basis": "capacity", "price": 30.00},
  "power_factor": {"adjustment": true, "standard": 0.90},
  "funds": [{"name": "renewable energy surcharge", "price": 0.019}, {"name": "reservoir resettlement fund", "price": 0.0062}]})",
    R"({"format": "gridaudit-tariff/1", "id": "LI-2PART-DEMAND", "name": "Two-part per kW", "currency": "CNY",
  "energy": {"price": 0.56},
  "basic_charge": {"basis": "contracted_demand", "price": 40.00},
  "power_factor": {"adjustment": true, "standard": 0.90},
  "funds": [{"name": "renewable energy surcharge", "price": 0.019}]})",
    R"({"format": "gridaudit-tariff/1", "id": "AGR-FLAT", "name": "Agricultural", "currency": "CNY",
  "energy": {"price": 0.4885},
  "power_factor": {"adjustment": true, "standard": 0.80},
  "funds": [{"name": "government funds and surcharges", "price": 0.0162}]})",
};

// Customers x 12 months of usage, packed: kWh in hundredths per energy-period slot, kvarh in
// hundredths (not_read: none), maximum demand in hundredths of a kW, days connected (0: whole month).
struct DataSet {
    int customers = 0;
    std::vector<std::uint8_t> tariff_of;
    std::vector<CustomerTerms> terms;
    std::vector<std::uint32_t> period_kwh;  // customers x 12 x period_slots
    std::vector<std::uint32_t> kvarh;       // customers x 12
    std::vector<std::uint32_t> demand_kw;   // customers x 12
    std::vector<std::uint8_t> days_connected;
    [[nodiscard]] std::size_t bytes() const {
        return tariff_of.size() + terms.size() * sizeof(CustomerTerms) + 4 * (period_kwh.size() + kvarh.size() + demand_kw.size()) +
               days_connected.size();
    }
};

std::uint64_t next(std::uint64_t& state) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}
double unit(std::uint64_t& state) { return static_cast<double>(next(state) >> 11) * 0x1.0p-53; }
std::uint32_t hundredths(double value) { return static_cast<std::uint32_t>(std::llround(value * 100)); }

DataSet build_data_set(const TariffBenchmarkOptions& options) {
    DataSet data;
    const auto n = static_cast<std::size_t>(options.customers);
    data.customers = options.customers;
    data.tariff_of.resize(n);
    data.terms.resize(n);
    data.period_kwh.assign(n * months_per_year * period_slots, 0);
    data.kvarh.assign(n * months_per_year, not_read);
    data.demand_kw.assign(n * months_per_year, 0);
    data.days_connected.assign(n * months_per_year, 0);
    constexpr std::array<double, 12> season{1.2, 1.1, 0.9, 0.8, 0.9, 1.1, 1.5, 1.5, 1.1, 0.9, 1.0, 1.2};
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 4096), [&](const tbb::blocked_range<std::size_t>& range) {
        for (std::size_t c = range.begin(); c < range.end(); ++c) {
            std::uint64_t state = options.seed * 0x9e3779b97f4a7c15ULL + c * 0xbf58476d1ce4e5b9ULL + 1;
            for (int warm = 0; warm < 4; ++warm) next(state);
            const auto share = next(state) % 100;
            const TariffIndex tariff = share < 70   ? residential
                                       : share < 85 ? commercial
                                       : share < 88 ? industrial_capacity
                                       : share < 91 ? industrial_demand
                                                    : agricultural;
            data.tariff_of[c] = tariff;
            CustomerTerms& terms = data.terms[c];
            // Monthly base consumption: residential 100-500 kWh (a tenth heavy users crossing the
            // upper tier), commercial 2-30 MWh, industrial 50-1000 MWh, agricultural 1-20 MWh.
            double base = 0;
            switch (tariff) {
                case residential:
                    base = 100 + 400 * unit(state);
                    if (next(state) % 10 == 0) base *= 2.5;
                    if (next(state) % 50 == 0)
                        terms.supply_start =
                            CivilDate::from_ymd(billed_year, static_cast<unsigned>(2 + next(state) % 10), 15);
                    break;
                case commercial:
                    base = 2'000 + 28'000 * unit(state);
                    break;
                case industrial_capacity:
                    terms.capacity_kva = std::round(315 + 4'685 * unit(state));
                    base = terms.capacity_kva * (150 + 300 * unit(state));
                    break;
                case industrial_demand:
                    terms.capacity_kva = std::round(500 + 4'500 * unit(state));
                    terms.contracted_demand_kw = std::round(terms.capacity_kva * (0.3 + 0.6 * unit(state)));
                    base = terms.contracted_demand_kw * (300 + 300 * unit(state));
                    break;
                case agricultural:
                    base = 1'000 + 19'000 * unit(state);
                    break;
            }
            const double reactive_ratio = 0.2 + 0.6 * unit(state);  // PF about 0.79 to 0.98
            for (int m = 0; m < months_per_year; ++m) {
                const std::size_t at = c * months_per_year + static_cast<std::size_t>(m);
                const bool summer = m == 6 || m == 7;
                const double kwh = base * season[static_cast<std::size_t>(m)] * (0.85 + 0.3 * unit(state));
                std::uint32_t* slots = &data.period_kwh[at * period_slots];
                switch (tariff) {
                    case residential:
                        slots[0] = hundredths(kwh);
                        break;
                    case commercial: {
                        const double critical = summer ? 0.05 * kwh : 0;
                        slots[0] = hundredths(critical);
                        slots[1] = hundredths(0.40 * kwh - critical);
                        slots[2] = hundredths(0.35 * kwh);
                        slots[3] = hundredths(0.25 * kwh);
                        break;
                    }
                    case industrial_capacity:
                        slots[0] = hundredths(0.35 * kwh);
                        slots[1] = hundredths(0.30 * kwh);
                        slots[2] = hundredths(0.35 * kwh);
                        break;
                    case industrial_demand:
                        slots[0] = hundredths(kwh);
                        // 0.6 to 1.2 x contracted: a few months exceed the 105 % threshold.
                        data.demand_kw[at] = hundredths(terms.contracted_demand_kw * (0.6 + 0.6 * unit(state)));
                        if (next(state) % 100 == 0)
                            data.days_connected[at] = static_cast<std::uint8_t>(1 + next(state) % 27);
                        break;
                    case agricultural:
                        slots[0] = hundredths(kwh);
                        break;
                }
                if (tariff != residential)
                    data.kvarh[at] = hundredths(kwh * reactive_ratio * (0.9 + 0.2 * unit(state)));
            }
        }
    });
    return data;
}

struct PricingTotals {
    std::uint64_t bills = 0;
    std::uint64_t lines = 0;
    std::int64_t total_units = 0;     // sum of all bill totals, in Money units (0.0001)
    std::uint64_t checksum = 0;       // sum over bills of total x a hash of (customer, month)
    std::array<std::uint64_t, 5> bills_by_tariff{};
    std::array<std::int64_t, 5> total_by_tariff{};
    std::uint64_t pf_lines = 0;
    std::uint64_t prorated_tier_bills = 0;
};

std::uint64_t position_hash(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

Result<PricingTotals> price_all(const DataSet& data, const std::vector<Tariff>& tariffs) {
    struct Local {
        MonthBill bill;
        MonthUsage usage;
        PricingTotals totals;
        std::string error;
    };
    tbb::enumerable_thread_specific<Local> locals;
    std::atomic<bool> failed{false};
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, static_cast<std::size_t>(data.customers), 1024),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                          Local& local = locals.local();
                          PricingTotals& totals = local.totals;
                          for (std::size_t c = range.begin(); c < range.end(); ++c) {
                              const std::uint8_t t = data.tariff_of[c];
                              const Tariff& tariff = tariffs[t];
                              const CustomerTerms& terms = data.terms[c];
                              const std::size_t count = tariff.energy_periods.size();
                              local.usage.period_kwh.resize(count);
                              BillingState state;
                              for (int m = 0; m < months_per_year; ++m) {
                                  const std::size_t at = c * months_per_year + static_cast<std::size_t>(m);
                                  MonthUsage& usage = local.usage;
                                  usage.period = Period::from_year_month(billed_year, static_cast<unsigned>(m + 1));
                                  for (std::size_t p = 0; p < count; ++p)
                                      usage.period_kwh[p] = data.period_kwh[at * period_slots + p] / 100.0;
                                  usage.kvarh = data.kvarh[at] == not_read ? not_measured : data.kvarh[at] / 100.0;
                                  usage.max_demand_kw = data.demand_kw[at] == 0 ? not_measured : data.demand_kw[at] / 100.0;
                                  usage.days_connected = data.days_connected[at];
                                  if (auto status = price_month(tariff, terms, usage, state, local.bill); !status) {
                                      if (local.error.empty())
                                          local.error = fmt::format("customer {} month {}: {}", c, m + 1,
                                                                    status.error().message());
                                      failed = true;
                                      return;
                                  }
                                  const MonthBill& bill = local.bill;
                                  ++totals.bills;
                                  totals.lines += bill.lines.size();
                                  totals.total_units += bill.total.units();
                                  totals.checksum += position_hash(at) * static_cast<std::uint64_t>(bill.total.units());
                                  ++totals.bills_by_tariff[t];
                                  totals.total_by_tariff[t] += bill.total.units();
                                  for (const BillLine& line : bill.lines)
                                      if (line.kind == ChargeKind::power_factor) ++totals.pf_lines;
                                  if (bill.notes & note_tiers_prorated) ++totals.prorated_tier_bills;
                              }
                          }
                      });
    PricingTotals all;
    for (const Local& local : locals) {
        if (!local.error.empty()) return internal_error(local.error);
        all.bills += local.totals.bills;
        all.lines += local.totals.lines;
        all.total_units += local.totals.total_units;
        all.checksum += local.totals.checksum;
        all.pf_lines += local.totals.pf_lines;
        all.prorated_tier_bills += local.totals.prorated_tier_bills;
        for (std::size_t t = 0; t < all.bills_by_tariff.size(); ++t) {
            all.bills_by_tariff[t] += local.totals.bills_by_tariff[t];
            all.total_by_tariff[t] += local.totals.total_by_tariff[t];
        }
    }
    if (failed) return internal_error("a bill failed without a message");
    return all;
}

// What the pricing stage reports to the parent besides its item count (shared memory across fork).
struct PricingReport {
    double seconds = 0;
    std::uint64_t checksum = 0;
    std::int64_t total_units = 0;
};

void print_stage(const StageMeasurement& stage, std::string_view unit_name) {
    fmt::print("  {:<40} {:>13} {:<6} {:>8.2f} s {:>14.0f} {}/s {:>9.1f} MB\n", stage.name, stage.items, unit_name,
               stage.seconds, stage.items_per_second(), unit_name, static_cast<double>(stage.peak_rss_bytes) / 1e6);
}

}  // namespace

Result<int> run_tariff_benchmark(const TariffBenchmarkOptions& options) {
    if (options.customers < 1) return user_error("bench tariff: at least 1 customer");
    if (options.threads < 0) return user_error("bench tariff: --threads must be 0 (all cores) or more");
    std::vector<Tariff> tariffs;
    for (std::size_t t = 0; t < tariff_documents.size(); ++t) {
        GA_ASSIGN_OR_RETURN(Tariff tariff,
                            parse_tariff_json(tariff_documents[t], fmt::format("bench:{}", tariff_names[t])));
        tariffs.push_back(std::move(tariff));
    }
    const std::uint64_t bills = static_cast<std::uint64_t>(options.customers) * months_per_year;
    const int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
    fmt::print("Tariff benchmark: {} customers x {} months = {} bills, {} thread(s)\nMachine: {}\n\n",
               options.customers, months_per_year, bills, threads, machine_description());
    const auto limit_threads = [&]() {
        return tbb::global_control(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    };
    GA_ASSIGN_OR_RETURN(const auto built, run_stage("build data set", [&]() -> Result<std::uint64_t> {
                            const auto control = limit_threads();
                            const DataSet data = build_data_set(options);
                            return static_cast<std::uint64_t>(data.customers) * months_per_year;
                        }));
    print_stage(built, "bills");
    void* shared = mmap(nullptr, sizeof(PricingReport), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED) return external_error("bench tariff: mmap failed");
    auto* report = new (shared) PricingReport();
    const auto priced = run_stage("build data set + price every bill", [&]() -> Result<std::uint64_t> {
        const auto control = limit_threads();
        const DataSet data = build_data_set(options);
        const auto started = std::chrono::steady_clock::now();
        GA_ASSIGN_OR_RETURN(const PricingTotals totals, price_all(data, tariffs));
        report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        report->checksum = totals.checksum;
        report->total_units = totals.total_units;
        fmt::print("    data set {:.1f} MB; {} lines ({:.2f} a bill), {} PF adjustments, {} bills with prorated tiers\n",
                   static_cast<double>(data.bytes()) / 1e6, totals.lines,
                   static_cast<double>(totals.lines) / static_cast<double>(totals.bills), totals.pf_lines,
                   totals.prorated_tier_bills);
        for (std::size_t t = 0; t < tariffs.size(); ++t)
            fmt::print("    {:<28} {:>10} bills {:>22} CNY\n", tariff_names[t], totals.bills_by_tariff[t],
                       Money::from_units(totals.total_by_tariff[t]).to_string(2));
        std::fflush(stdout);
        return totals.bills;
    });
    const PricingReport result = *report;
    munmap(shared, sizeof(PricingReport));
    if (!priced) return std::unexpected(priced.error());
    print_stage(*priced, "bills");
    const double rate = result.seconds > 0 ? static_cast<double>(bills) / result.seconds : 0;
    fmt::print("\npricing alone: {} bills in {:.3f} s = {:.0f} bills/s ({} thread(s)); peak {:.1f} MB\n", bills,
               result.seconds, rate, threads, static_cast<double>(priced->peak_rss_bytes) / 1e6);
    fmt::print("checksum {:016x}, sum of totals {} CNY\n", result.checksum,
               Money::from_units(result.total_units).to_string(2));
    fmt::print("Target: 1,000,000 customers x 12 months in < 10 s (>= {:.0f} bills/s): {}\n", bills_per_second_target,
               rate >= bills_per_second_target ? "meets" : "MISSES");
    return rate >= bills_per_second_target ? 0 : 1;
}

}  // namespace gridaudit
