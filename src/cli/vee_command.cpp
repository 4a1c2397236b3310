// `gridaudit vee --db DB [--period YYYY-MM] [--policy FILE] [--dry-run] [--json]`: validation and
// estimation of the stored daily registers of every region, with counts by check and by region.
// The estimates of the days validated replace the store's earlier estimates of those days (one
// transaction); --dry-run leaves the store alone.
#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/policy_option.hpp"
#include "frame/frame_loader.hpp"
#include "rules/reading/region_vee.hpp"
#include "rules/reading/vee_policy.hpp"

namespace gridaudit {

namespace {

// The estimates VEE made in a region, as stored rows.
void collect_estimates(const RegionFrame& frame, const RegionVeeResult& result, std::vector<DailyEstimate>& out) {
    for (std::size_t block = 0; block < result.meter_order.size(); ++block) {
        const std::string& meter_id = frame.meters.id[result.meter_order[block].value()];
        for (std::int32_t d = 0; d < result.days; ++d) {
            const std::size_t at = block * static_cast<std::size_t>(result.days) + static_cast<std::size_t>(d);
            if (result.method[at] == EstimateMethod::none || std::isnan(result.estimate[at])) continue;
            out.push_back({meter_id, result.first_day + d, result.estimate[at],
                           std::string(estimate_method_name(result.method[at]))});
        }
    }
}

}  // namespace

CommandRegistration register_vee_command(CLI::App& app) {
    struct Arguments {
        std::string db, period, policy;
        bool json = false;
        bool dry_run = false;
    };
    auto args = std::make_shared<Arguments>();
    auto* command = app.add_subcommand("vee", "Validate and estimate stored meter data; counts by check and region");
    command->add_option("--db", args->db, "Store: a SQLite file path")->required();
    command->add_option("--period", args->period, "Month to validate (YYYY-MM); default: every loaded day");
    command->add_option("--policy", args->policy, "Policy file with a [vee] section; default: built-in thresholds");
    command->add_flag("--dry-run", args->dry_run, "Do not store the estimates");
    command->add_flag("--json", args->json, "One JSON document on stdout");
    return {command, [args]() -> Result<int> {
                std::optional<Period> period;
                if (!args->period.empty()) {
                    period = Period::parse(args->period);
                    if (!period) return user_error(fmt::format("--period must be YYYY-MM ({})", args->period));
                }
                GA_ASSIGN_OR_RETURN(const Policy policy, load_policy_option(args->policy));
                GA_ASSIGN_OR_RETURN(const VeeSettings settings, vee_settings_from_policy(policy));
                GA_ASSIGN_OR_RETURN(auto store, Store::open(args->db));
                GA_ASSIGN_OR_RETURN(const auto frames, load_region_frames(*store, FrameOptions{}));
                nlohmann::json regions = nlohmann::json::array();
                VeeCounts total;
                std::vector<DailyEstimate> estimates;
                std::optional<CivilDate> first_validated, last_validated;
                for (const RegionFrame& frame : frames) {
                    const CivilDate first = period ? period->first_day() : frame.daily.first_day;
                    const CivilDate last = period ? period->last_day() : frame.daily.first_day + (frame.daily.day_count - 1);
                    const RegionVeeResult result = run_region_vee(frame, settings, first, last);
                    total.add(result.counts);
                    collect_estimates(frame, result, estimates);
                    if (result.days > 0) {
                        const CivilDate end = result.first_day + (result.days - 1);
                        first_validated = first_validated ? std::min(*first_validated, result.first_day) : result.first_day;
                        last_validated = last_validated ? std::max(*last_validated, end) : end;
                    }
                    nlohmann::json checks = nlohmann::json::object();
                    for (std::size_t i = 0; i < vee_check_count; ++i)
                        checks[std::string(vee_check_name(static_cast<VeeCheck>(i)))] = result.counts.exceptions[i];
                    regions.push_back({{"substation", result.substation_id}, {"meters", result.meters},
                                       {"values", result.counts.values}, {"missing", result.counts.missing},
                                       {"estimated", result.counts.interpolated + result.counts.register_spread + result.counts.like_day},
                                       {"left_missing", result.counts.unestimated}, {"rollovers", result.rollovers},
                                       {"exceptions", checks}});
                }
                std::size_t stored = 0;
                if (!args->dry_run && first_validated) {
                    GA_ASSIGN_OR_RETURN(stored, store->replace_daily_estimates(*first_validated, *last_validated, estimates));
                }
                if (args->json) {
                    fmt::print("{}\n", nlohmann::json{{"regions", regions}, {"estimates_stored", stored}}.dump(2));
                    return 0;
                }
                for (const auto& region : regions) {
                    fmt::print("{}: {} meters, {} meter-days, {} missing ({} estimated, {} left), {} rollovers\n",
                               region["substation"].get<std::string>(), region["meters"].get<std::size_t>(),
                               region["values"].get<std::uint64_t>(), region["missing"].get<std::uint64_t>(),
                               region["estimated"].get<std::uint64_t>(), region["left_missing"].get<std::uint64_t>(),
                               region["rollovers"].get<std::uint64_t>());
                    for (const auto& [check, count] : region["exceptions"].items())
                        if (count.get<std::uint64_t>() > 0) fmt::print("  {:<28} {:>10}\n", check, count.get<std::uint64_t>());
                }
                if (args->dry_run)
                    fmt::print("dry run: {} estimates made, none stored\n", estimates.size());
                else
                    fmt::print("{} estimates stored beside the raw values (earlier estimates of these days replaced)\n",
                               stored);
                fmt::print("total: {} meter-days validated, {} exceptions\n", total.values,
                           [&] {
                               std::uint64_t sum = 0;
                               for (auto n : total.exceptions) sum += n;
                               return sum;
                           }());
                return 0;
            }};
}

}  // namespace gridaudit
