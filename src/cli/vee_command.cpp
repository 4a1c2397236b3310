// `gridaudit vee --db DB [--period YYYY-MM] [--policy FILE] [--json]`: validation and estimation
// of the stored daily registers of every region, with counts by check and by region.
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/policy_option.hpp"
#include "frame/frame_loader.hpp"
#include "rules/reading/region_vee.hpp"
#include "rules/reading/vee_policy.hpp"

namespace gridaudit {

CommandRegistration register_vee_command(CLI::App& app) {
    struct Arguments {
        std::string db, period, policy;
        bool json = false;
    };
    auto args = std::make_shared<Arguments>();
    auto* command = app.add_subcommand("vee", "Validate and estimate stored meter data; counts by check and region");
    command->add_option("--db", args->db, "Store: a SQLite file path")->required();
    command->add_option("--period", args->period, "Month to validate (YYYY-MM); default: every loaded day");
    command->add_option("--policy", args->policy, "Policy file with a [vee] section; default: built-in thresholds");
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
                for (const RegionFrame& frame : frames) {
                    const CivilDate first = period ? period->first_day() : frame.daily.first_day;
                    const CivilDate last = period ? period->last_day() : frame.daily.first_day + (frame.daily.day_count - 1);
                    const RegionVeeResult result = run_region_vee(frame, settings, first, last);
                    total.add(result.counts);
                    nlohmann::json checks = nlohmann::json::object();
                    for (std::size_t i = 0; i < vee_check_count; ++i)
                        checks[std::string(vee_check_name(static_cast<VeeCheck>(i)))] = result.counts.exceptions[i];
                    regions.push_back({{"substation", result.substation_id}, {"meters", result.meters},
                                       {"values", result.counts.values}, {"missing", result.counts.missing},
                                       {"estimated", result.counts.interpolated + result.counts.register_spread + result.counts.like_day},
                                       {"left_missing", result.counts.unestimated}, {"rollovers", result.rollovers},
                                       {"exceptions", checks}});
                }
                if (args->json) {
                    fmt::print("{}\n", nlohmann::json{{"regions", regions}}.dump(2));
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
