// `gridaudit tariff bill|check|convert`: price a load series month by month under a tariff, check a
// tariff file, or write any tariff (a URDB rate too) in the GridAudit tariff format. Shared holiday
// calendars the tariff references by id are given with --calendar (repeatable). docs/tariffs.md.
#include <fmt/core.h>

#include <cmath>

#include "cli/command.hpp"
#include "tariff/calendar_json.hpp"
#include "tariff/bill_report.hpp"
#include "tariff/load_series.hpp"
#include "tariff/tariff_file.hpp"
#include "tariff/tariff_json.hpp"

namespace gridaudit {
namespace {

struct TariffArguments {
    std::string tariff, format = "gridaudit", load, start, pf_standard, supply_start;
    std::vector<std::string> calendars;  // shared calendar files (--calendar)
    double capacity_kva = not_measured;
    double contracted_kw = not_measured;
    double ytd_kwh = 0;
    bool json = false;
};

// The tariff of --tariff; with `resolve`, its shared calendar reference resolved from --calendar files
// (convert writes the reference as it is and needs no calendar).
Result<Tariff> load_tariff_option(const TariffArguments& args, bool resolve = true) {
    const auto format = parse_tariff_format(args.format);
    if (!format) return user_error(fmt::format("--format must be gridaudit or urdb ({})", args.format));
    GA_ASSIGN_OR_RETURN(Tariff tariff, load_tariff_file(args.tariff, *format));
    if (!resolve) return tariff;
    std::vector<SharedCalendar> calendars;
    for (const std::string& file : args.calendars) {
        GA_ASSIGN_OR_RETURN(SharedCalendar calendar, load_calendar_file(file));
        for (const SharedCalendar& earlier : calendars)
            if (earlier.id == calendar.id)
                return user_error(fmt::format("calendar {} is defined twice: in {} and in {}", calendar.id,
                                              earlier.source, calendar.source));
        calendars.push_back(std::move(calendar));
    }
    if (tariff.calendar_pending && calendars.empty())
        return user_error(fmt::format("{}: calendar: tariff {} references calendar '{}'; give its file with --calendar",
                                      args.tariff, tariff.id, tariff.calendar_id));
    GA_TRY(resolve_calendar(tariff, calendars));
    return tariff;
}

Result<int> run_bill(const TariffArguments& args) {
    GA_ASSIGN_OR_RETURN(const Tariff tariff, load_tariff_option(args));
    std::optional<CivilDate> start;
    if (!args.start.empty()) {
        start = CivilDate::parse(args.start);
        if (!start) return user_error(fmt::format("--start must be YYYY-MM-DD ({})", args.start));
    }
    // Given (not NaN), a capacity or demand is a positive number; -5 is an error, not ignored.
    for (const auto& [option, value] :
         {std::pair{"--capacity-kva", args.capacity_kva}, std::pair{"--contracted-kw", args.contracted_kw}})
        if (!std::isnan(value) && !(value > 0 && std::isfinite(value)))
            return user_error(fmt::format("{} must be more than 0 ({})", option, value));
    CustomerTerms terms;
    terms.capacity_kva = args.capacity_kva;
    terms.contracted_demand_kw = args.contracted_kw;
    if (!args.pf_standard.empty()) {
        terms.pf_standard = parse_power_factor_standard(args.pf_standard);
        if (!terms.pf_standard)
            return user_error(fmt::format("--pf-standard must be 0.90, 0.85 or 0.80 ({})", args.pf_standard));
    }
    if (!args.supply_start.empty()) {
        terms.supply_start = CivilDate::parse(args.supply_start);
        if (!terms.supply_start)
            return user_error(fmt::format("--supply-start must be YYYY-MM-DD ({})", args.supply_start));
    }
    GA_ASSIGN_OR_RETURN(const std::string content, read_text_file(args.load));
    GA_ASSIGN_OR_RETURN(const LoadSeries series, parse_load_csv(content, args.load, start));
    BillingState state;
    if (args.ytd_kwh != 0) {
        const auto used = Quantity::from_double(args.ytd_kwh);
        if (!used || used->units() < 0)
            return user_error(fmt::format("--ytd-kwh must be at least 0 ({})", args.ytd_kwh));
        state.tier_year = series.intervals.front().day.year();
        state.tier_kwh_used = *used;
    }
    GA_ASSIGN_OR_RETURN(const std::vector<MonthBill> bills, price_load_series(tariff, terms, series, state));
    if (args.json)
        fmt::print("{}\n", bills_json(tariff, bills));
    else
        fmt::print("{}", bills_text(tariff, bills));
    return 0;
}

Result<int> run_check(const TariffArguments& args) {
    GA_ASSIGN_OR_RETURN(const Tariff tariff, load_tariff_option(args));
    fmt::print("{}: tariff {} ({}), {}: {} energy period(s){}{}{}{}{}, power-factor adjustment {}\n", args.tariff,
               tariff.id, tariff.name, tariff.currency, tariff.energy_periods.size(),
               tariff.has_period_tiers() ? " with tiers" : "",
               tariff.tier_blocks ? fmt::format(", {} tier blocks", tariff.tier_blocks->blocks.size()) : "",
               tariff.demand ? ", demand charges" : "",
               tariff.basic ? fmt::format(", basic charge per {}", basic_charge_basis_name(tariff.basic->basis)) : "",
               tariff.funds.empty() ? "" : fmt::format(", {} fund(s)", tariff.funds.size()),
               tariff.power_factor.adjusted ? "yes" : "no");
    if (!tariff.calendar_id.empty())
        fmt::print("calendar {}: {} holiday(s), {} working day(s)\n", tariff.calendar_id, tariff.calendar.holidays.size(),
                   tariff.calendar.working_days.size());
    return 0;
}

Result<int> run_convert(const TariffArguments& args) {
    GA_ASSIGN_OR_RETURN(const Tariff tariff, load_tariff_option(args, false));
    fmt::print("{}", tariff_to_json(tariff));
    return 0;
}

}  // namespace

CommandRegistration register_tariff_command(CLI::App& app) {
    auto args = std::make_shared<TariffArguments>();
    auto* command = app.add_subcommand("tariff", "Price loads under a tariff; check and convert tariff files");
    command->require_subcommand(1);
    const auto add_tariff_options = [&](CLI::App* sub) {
        sub->add_option("--tariff", args->tariff, "Tariff file (docs/tariffs.md)")->required();
        sub->add_option("--format", args->format, "Tariff file format: gridaudit (default) or urdb");
    };
    const auto add_calendar_option = [&](CLI::App* sub) {
        sub->add_option("--calendar", args->calendars,
                        "Shared holiday calendar file the tariff references by id (repeatable; docs/tariffs.md)");
    };
    auto* bill = command->add_subcommand("bill", "Price a load series month by month, itemised, with totals");
    add_tariff_options(bill);
    add_calendar_option(bill);
    bill->add_option("--load", args->load, "Load CSV: hourly kW, or start,kwh[,kvarh] intervals")->required();
    bill->add_option("--start", args->start, "Date of the first hour of an untimed series (default 2018-01-01)");
    bill->add_option("--capacity-kva", args->capacity_kva,
                     "Customer capacity in kVA (basic charge per kVA, demand floor)");
    bill->add_option("--contracted-kw", args->contracted_kw, "Contracted maximum demand in kW");
    bill->add_option("--pf-standard", args->pf_standard, "Power-factor standard: 0.90, 0.85 or 0.80");
    bill->add_option("--supply-start", args->supply_start,
                     "First day of supply (yearly tiers prorate a mid-year start)");
    bill->add_option("--ytd-kwh", args->ytd_kwh, "kWh already counted in this year's tiers before the first month");
    bill->add_flag("--json", args->json, "One JSON document on stdout");
    auto* check = command->add_subcommand("check", "Load a tariff file strictly and summarise it");
    add_tariff_options(check);
    add_calendar_option(check);
    auto* convert = command->add_subcommand("convert", "Write a tariff (a URDB rate too) as GridAudit tariff JSON");
    add_tariff_options(convert);
    return {command, [args, bill, check, convert]() -> Result<int> {
                if (bill->parsed()) return run_bill(*args);
                if (check->parsed()) return run_check(*args);
                if (convert->parsed()) return run_convert(*args);
                return user_error("choose bill, check or convert");
            }};
}

}  // namespace gridaudit
