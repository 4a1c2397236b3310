// The KPI section of the monthly report ("Inspection and recovery KPIs (稽查考核)"): on a small
// generated utility whose October audit opened cases that were worked through the loop (one
// theft billed, approved and partly paid, one concluded no problem and closed, one left assigned), the
// report's figures per unit, person and rule equal `gridaudit kpis --json` for the same store,
// period and now, in the HTML page and in the workbook read back.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "audit/audit_run.hpp"
#include "cases/back_billing.hpp"
#include "cases/case_workflow.hpp"
#include "core/money_text.hpp"
#include "generator/synthetic_utility.hpp"
#include "ingest/import_folder.hpp"
#include "recovery/recovery_policy.hpp"
#include "report_zip.hpp"
#include "store/sqlite_connection.hpp"
#include "support/command_runner.hpp"

namespace gridaudit {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* now_option = "2026-11-05T02:00:00Z";

Instant at(const char* text) {
    return *Instant::parse(text);
}

// Walks three of the October audit's findings through the loop in October (Beijing time).
Status work_the_loop(Store& store, const fs::path& db) {
    AuditOptions audit;
    audit.period = Period::from_year_month(2026, 10);
    GA_ASSIGN_OR_RETURN(const auto run, run_audit(store, standard_catalogue(), Policy(), audit));
    {
        // The run as if made on 2026-10-20, so the findings count in October.
        GA_ASSIGN_OR_RETURN(auto connection, SqliteConnection::open(db.string()));
        GA_TRY(connection.execute(
            fmt::format("UPDATE audit_runs SET at = '2026-10-20T01:00:00Z' WHERE run_id = {}", run.run_id)));
    }
    GA_ASSIGN_OR_RETURN(const auto stored, store.findings(true));
    std::vector<std::int64_t> chosen;
    std::vector<std::string> subjects;
    for (const auto& s : stored) {
        if (s.finding.subject_kind != "customer") continue;
        if (std::find(subjects.begin(), subjects.end(), s.finding.subject_id) != subjects.end()) continue;
        subjects.push_back(s.finding.subject_id);
        chosen.push_back(s.finding_id);
        if (chosen.size() == 3) break;
    }
    if (chosen.size() < 3) return internal_error("the audit found fewer than 3 customers");
    GA_ASSIGN_OR_RETURN(CaseWorkflow workflow, CaseWorkflow::open(store, CasePolicy::defaults()));
    const Actor system = Actor::system();
    GA_ASSIGN_OR_RETURN(const auto opening, workflow.open_for_findings(system, chosen, at("2026-10-21T01:00:00Z")));
    if (opening.case_ids.size() != 3) return internal_error("3 cases were not opened");
    const auto walk = [&](std::int64_t id, const char* assignee, std::optional<Conclusion> conclusion) -> Result<Case> {
        GA_ASSIGN_OR_RETURN(auto found, store.cases().find_case(id));
        Case c = *found;
        GA_ASSIGN_OR_RETURN(c, workflow.assign(system, id, c.version, assignee, "", at("2026-10-21T02:00:00Z")));
        if (!conclusion) return c;
        GA_ASSIGN_OR_RETURN(c, workflow.transition(system, {id, c.version, CaseState::online_check, "", std::nullopt},
                                                   at("2026-10-22T02:00:00Z")));
        GA_ASSIGN_OR_RETURN(c, workflow.transition(system, {id, c.version, CaseState::onsite_check, "", std::nullopt},
                                                   at("2026-10-23T02:00:00Z")));
        return workflow.transition(system, {id, c.version, CaseState::concluded, "", conclusion},
                                   at("2026-10-26T02:00:00Z"));
    };
    GA_ASSIGN_OR_RETURN(Case theft, walk(opening.case_ids[0], "li", Conclusion::confirmed_theft));
    GA_ASSIGN_OR_RETURN(const Case no_problem, walk(opening.case_ids[1], "zhao", Conclusion::no_problem));
    GA_TRY(workflow.transition(system, {no_problem.case_id, no_problem.version, CaseState::closed, "", std::nullopt},
                               at("2026-10-26T03:00:00Z")));
    GA_TRY(walk(opening.case_ids[2], "li", std::nullopt));
    CaseRecovery recovery(store, workflow, RecoveryPolicy{});
    GA_ASSIGN_OR_RETURN(const BackBillingFacts facts,
                        parse_back_billing_facts(R"({"computation": "theft", "capacity_kw": 3, "price": "0.7625",
                                                     "start": null, "end": null})"));
    GA_ASSIGN_OR_RETURN(const auto billed,
                        recovery.calculate(system, theft.case_id, theft.version, facts, at("2026-10-27T02:00:00Z")));
    GA_ASSIGN_OR_RETURN(const auto approved, recovery.approve(system, theft.case_id, billed.case_summary.version,
                                                              at("2026-10-28T02:00:00Z")));
    (void)approved;
    GA_TRY(recovery.pay(system, theft.case_id, *Money::parse("5000.00"), CivilDate::from_ymd(2026, 10, 29), "",
                        at("2026-10-29T02:00:00Z")));
    return {};
}

class ReportKpisTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (auto ready = prepare(); !ready) setup_error_ = ready.error().message();
    }
    void SetUp() override { ASSERT_EQ(setup_error_, "") << "the suite's setup failed"; }
    static Status prepare() {
        root_ = fs::temp_directory_path() / ("gridaudit-report-kpis-" + std::to_string(::getpid()));
        fs::remove_all(root_);
        GeneratorOptions options;
        options.out = root_ / "export";
        options.customers = 200;
        options.days = 45;
        options.seed = 9;
        GA_TRY(generate_utility(options));
        GA_ASSIGN_OR_RETURN(auto store, Store::open(db().string()));
        GA_TRY(import_folder(*store, root_ / "export", ImportFolderOptions{}));
        GA_TRY(work_the_loop(*store, db()));
        const auto kpis = run_command(GRIDAUDIT_BINARY, fmt::format("kpis --db '{}' --period 2026-10 --now {} --json",
                                                                    db().string(), now_option));
        if (kpis.exit_code != 0) return internal_error("gridaudit kpis failed: " + kpis.out);
        kpis_ = json::parse(kpis.out);
        return {};
    }
    static void TearDownTestSuite() { fs::remove_all(root_); }
    static fs::path db() { return root_ / "kpis.db"; }
    static CommandOutput report(const fs::path& out) {
        return run_command(GRIDAUDIT_BINARY, fmt::format("report --db '{}' --period 2026-10 --now {} --out '{}'",
                                                         db().string(), now_option, out.string()));
    }

    static inline std::string setup_error_;
    static inline fs::path root_;
    static inline json kpis_;
};

// The figures of a KPI JSON object in the report's column order, and how the page shows each.
enum class Shown { count, share, kwh, money, tenths };
const std::vector<std::pair<const char*, Shown>> figure_columns{
    {"findings", Shown::count},
    {"cases_opened", Shown::count},
    {"concluded", Shown::count},
    {"within_deadline_share", Shown::share},
    {"confirmed_rate", Shown::share},
    {"kwh_assessed", Shown::kwh},
    {"money_assessed", Shown::money},
    {"kwh_recovered", Shown::kwh},
    {"money_recovered", Shown::money},
    {"recovery_rate", Shown::share},
    {"mean_days_to_conclusion", Shown::tenths},
    {"mean_days_to_recovery", Shown::tenths},
    {"open_at_end", Shown::count},
    {"overdue", Shown::count},
    {"on_time_share", Shown::share},
};

std::string shown(const json& value, Shown how) {
    if (value.is_null()) return "";
    switch (how) {
        case Shown::count:
            return group_thousands(std::to_string(value.get<std::int64_t>()));
        case Shown::share:
            return fmt::format("{:.1f}%", value.get<double>() * 100);
        case Shown::kwh:
            return group_thousands(fmt::format("{:.0f}", std::round(value.get<double>())));
        case Shown::money:
            return group_thousands(value.get<std::string>());
        case Shown::tenths:
            return fmt::format("{:.1f}", value.get<double>());
    }
    return "?";
}

// The number a workbook cell should hold for a JSON figure; NaN for null (no cell).
double stored(const json& value, Shown how) {
    if (value.is_null()) return std::nan("");
    if (how == Shown::money) return std::strtod(value.get<std::string>().c_str(), nullptr);
    return value.get<double>();
}

// The rows of the HTML section `id`, each as its cells' texts (unescaped: these hold no markup).
std::vector<std::vector<std::string>> section_rows(const std::string& page, const std::string& id) {
    const std::size_t begin = page.find("<section id=\"" + id + "\">");
    if (begin == std::string::npos) return {};
    const std::size_t end = page.find("</section>", begin);
    const std::string section = page.substr(begin, end - begin);
    const std::size_t body = section.find("<tbody>");
    std::vector<std::vector<std::string>> rows;
    const std::regex row("<tr>(.*?)</tr>"), cell("<td[^>]*>([^<]*)</td>");
    const std::string rows_text = section.substr(body);
    for (auto r = std::sregex_iterator(rows_text.begin(), rows_text.end(), row); r != std::sregex_iterator(); ++r) {
        const std::string cells_text = (*r)[1];
        std::vector<std::string> cells;
        for (auto c = std::sregex_iterator(cells_text.begin(), cells_text.end(), cell); c != std::sregex_iterator();
             ++c)
            cells.push_back((*c)[1]);
        rows.push_back(std::move(cells));
    }
    return rows;
}

std::string column_letter(std::size_t c) {
    return std::string(1, static_cast<char>('A' + c));
}

TEST_F(ReportKpisTest, TheLoopWasWorkedInOctober) {
    // What the comparisons below stand on: figures that are not all zero.
    const json& total = kpis_["total"];
    EXPECT_EQ(kpis_["as_of"], "2026-10-31");
    EXPECT_EQ(total["cases_opened"], 3);
    EXPECT_EQ(total["concluded"], 2);
    EXPECT_EQ(total["confirmed"], 1);
    EXPECT_EQ(total["money_assessed"], "19764.00");
    EXPECT_EQ(total["money_recovered"], "5000.00");
    EXPECT_EQ(total["open_at_end"], 2);
    EXPECT_GT(total["findings"].get<int>(), 3);
    EXPECT_GE(kpis_["units"].size(), 2u);
    EXPECT_EQ(kpis_["people"].size(), 2u);
    EXPECT_GE(kpis_["rules"].size(), 1u);
}

TEST_F(ReportKpisTest, TheHtmlPageShowsTheFiguresOfGridauditKpis) {
    const fs::path page_path = root_ / "october.html";
    const auto written = report(page_path);
    ASSERT_EQ(written.exit_code, 0) << written.out;
    std::stringstream content;
    content << std::ifstream(page_path).rdbuf();
    const std::string page = content.str();
    EXPECT_NE(page.find("Inspection and recovery KPIs (稽查考核)"), std::string::npos);

    const auto units = section_rows(page, "kpis-by-unit");
    ASSERT_EQ(units.size(), kpis_["units"].size() + 1);  // "(all units)" first
    std::vector<json> unit_objects{kpis_["total"]};
    for (const auto& u : kpis_["units"]) unit_objects.push_back(u);
    for (std::size_t r = 0; r < units.size(); ++r) {
        const json& want = unit_objects[r];
        SCOPED_TRACE(r == 0 ? std::string("total") : want["unit_id"].get<std::string>());
        ASSERT_EQ(units[r].size(), 4 + figure_columns.size());
        EXPECT_EQ(units[r][0], r == 0 ? "(all units)" : want["unit_id"].get<std::string>());
        EXPECT_EQ(units[r][2], shown(want["score"], Shown::tenths));
        for (std::size_t c = 0; c < figure_columns.size(); ++c)
            EXPECT_EQ(units[r][4 + c], shown(want[figure_columns[c].first], figure_columns[c].second))
                << figure_columns[c].first;
    }
    // Ranks: 1 for the best score; a unit without a score has none.
    for (std::size_t r = 1; r < units.size(); ++r) {
        const json& score = unit_objects[r]["score"];
        std::size_t higher = 0;
        for (std::size_t o = 1; o < unit_objects.size(); ++o)
            higher += !unit_objects[o]["score"].is_null() && !score.is_null() &&
                      unit_objects[o]["score"].get<double>() > score.get<double>();
        EXPECT_EQ(units[r][3], score.is_null() ? "" : std::to_string(higher + 1)) << units[r][0];
    }

    const auto people = section_rows(page, "kpis-by-person");
    ASSERT_EQ(people.size(), kpis_["people"].size());
    for (std::size_t r = 0; r < people.size(); ++r) {
        const json& want = kpis_["people"][r];
        EXPECT_EQ(people[r][0], want["username"].get<std::string>());
        for (std::size_t c = 0; c < figure_columns.size(); ++c)
            EXPECT_EQ(people[r][1 + c], shown(want[figure_columns[c].first], figure_columns[c].second))
                << want["username"] << " " << figure_columns[c].first;
    }

    const auto rules = section_rows(page, "kpis-by-rule");
    ASSERT_EQ(rules.size(), kpis_["rules"].size());
    for (std::size_t r = 0; r < rules.size(); ++r) {
        const json& want = kpis_["rules"][r];
        EXPECT_EQ(rules[r], (std::vector<std::string>{
                                want["rule_id"].get<std::string>(), shown(want["concluded"], Shown::count),
                                shown(want["confirmed"], Shown::count), shown(want["precision"], Shown::share)}));
    }
}

TEST_F(ReportKpisTest, TheWorkbookHoldsTheFiguresOfGridauditKpis) {
    const fs::path path = root_ / "october.xlsx";
    const auto written = report(path);
    ASSERT_EQ(written.exit_code, 0) << written.out;
    const auto zip = read_zip(path);
    const std::string& workbook = zip.at("xl/workbook.xml");
    // The KPI sheets follow the charts and the ten of the loss and findings analysis.
    EXPECT_NE(workbook.find("<sheet name=\"KPIs by unit\" sheetId=\"12\""), std::string::npos) << workbook;
    EXPECT_NE(workbook.find("<sheet name=\"KPIs by person\" sheetId=\"13\""), std::string::npos);
    EXPECT_NE(workbook.find("<sheet name=\"KPIs by rule\" sheetId=\"14\""), std::string::npos);
    const auto expect_figures = [](const std::string& sheet, int row, std::size_t first_column, const json& want) {
        for (std::size_t c = 0; c < figure_columns.size(); ++c) {
            const double expected = stored(want[figure_columns[c].first], figure_columns[c].second);
            const double got = cell_value(sheet, column_letter(first_column + c) + std::to_string(row));
            SCOPED_TRACE(fmt::format("row {} {}", row, figure_columns[c].first));
            if (std::isnan(expected)) {
                EXPECT_TRUE(std::isnan(got)) << got;
            } else {
                EXPECT_NEAR(got, expected, 1e-12 * std::max(1.0, std::abs(expected)));
            }
        }
    };
    const std::string& units = zip.at("xl/worksheets/sheet12.xml");
    std::vector<json> unit_objects{kpis_["total"]};
    for (const auto& u : kpis_["units"]) unit_objects.push_back(u);
    for (std::size_t r = 0; r < unit_objects.size(); ++r) {
        const int row = 4 + static_cast<int>(r);  // title, note, header above
        const double score = stored(unit_objects[r]["score"], Shown::tenths);
        const double got = cell_value(units, "C" + std::to_string(row));
        if (std::isnan(score)) {
            EXPECT_TRUE(std::isnan(got));
        } else {
            EXPECT_NEAR(got, score, 1e-12 * 100) << row;
        }
        expect_figures(units, row, 4, unit_objects[r]);
    }
    EXPECT_TRUE(std::isnan(cell_value(units, "E" + std::to_string(4 + unit_objects.size()))));  // no row beyond

    const std::string& people = zip.at("xl/worksheets/sheet13.xml");
    for (std::size_t r = 0; r < kpis_["people"].size(); ++r)
        expect_figures(people, 4 + static_cast<int>(r), 1, kpis_["people"][r]);
    const std::string& rules = zip.at("xl/worksheets/sheet14.xml");
    for (std::size_t r = 0; r < kpis_["rules"].size(); ++r) {
        const std::string row = std::to_string(4 + r);
        const json& want = kpis_["rules"][r];
        EXPECT_EQ(cell_value(rules, "B" + row), want["concluded"].get<double>());
        EXPECT_EQ(cell_value(rules, "C" + row), want["confirmed"].get<double>());
        EXPECT_NEAR(cell_value(rules, "D" + row), want["precision"].get<double>(), 1e-12);
    }
    // Money with the workbook's money format: the assessed total as its two-decimal value.
    EXPECT_EQ(cell_value(units, "K4"), 19764.0);
}

}  // namespace
}  // namespace gridaudit
