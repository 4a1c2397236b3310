// The report model on a small generated utility (600 customers x 120 days): its loss rows are
// loss_table's, its findings are `gridaudit audit --period`'s and its totals their sums; and the
// `gridaudit report` command end to end (files written, usage errors exit 1).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "audit/audit_run.hpp"
#include "frame/frame_loader.hpp"
#include "generator/synthetic_utility.hpp"
#include "ingest/import_folder.hpp"
#include "report/report_charts.hpp"
#include "report/report_model.hpp"
#include "report_zip.hpp"
#include "rules/loss/loss_evidence.hpp"
#include "support/command_runner.hpp"

namespace gridaudit {
namespace {

namespace fs = std::filesystem;

constexpr double purchase_price = 0.45;

// Equal, or both NaN (a figure that cannot be computed).
bool same(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

void expect_same_rows(const std::vector<LossTableRow>& got, const std::vector<LossTableRow>& want) {
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        const LossTableRow& g = got[i];
        const LossTableRow& w = want[i];
        SCOPED_TRACE(w.level + " " + w.node_id);
        EXPECT_EQ(g.node_id, w.node_id);
        EXPECT_EQ(g.unit_id, w.unit_id);
        EXPECT_EQ(g.month, w.month);
        EXPECT_EQ(g.loss_class, w.loss_class);
        EXPECT_EQ(g.nodes, w.nodes);
        EXPECT_EQ(g.nodes_not_computable, w.nodes_not_computable);
        for (const auto& [name, a, b] :
             {std::tuple{"supply", g.supply_kwh, w.supply_kwh}, std::tuple{"sales", g.sales_kwh, w.sales_kwh},
              std::tuple{"rate", g.loss_rate, w.loss_rate}, std::tuple{"coverage", g.coverage, w.coverage},
              std::tuple{"mom", g.rate_change_month, w.rate_change_month},
              std::tuple{"yoy", g.rate_change_year, w.rate_change_year}, std::tuple{"cost", g.loss_cost, w.loss_cost},
              std::tuple{"billed", g.billed_kwh, w.billed_kwh}, std::tuple{"revenue", g.revenue, w.revenue},
              std::tuple{"price", g.average_price, w.average_price},
              std::tuple{"purchase", g.purchase_cost, w.purchase_cost}, std::tuple{"margin", g.margin, w.margin}})
            EXPECT_TRUE(same(a, b)) << name << ": " << a << " vs " << b;
    }
}

CommandOutput run(const std::string& arguments) { return run_command(GRIDAUDIT_BINARY, arguments); }

class GeneratedReportTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (auto ready = prepare(); !ready) setup_error_ = ready.error().message();
    }
    // A failure here fails every test in SetUp (an assertion in SetUpTestSuite would only mark them
    // skipped, which ctest counts as passing).
    void SetUp() override { ASSERT_EQ(setup_error_, "") << "the suite's setup failed"; }
    static Status prepare() {
        root_ = fs::temp_directory_path() / ("gridaudit-report-" + std::to_string(::getpid()));
        fs::remove_all(root_);
        GeneratorOptions options;
        options.out = root_ / "export";
        options.customers = 600;
        options.days = 120;
        options.seed = 5;
        GA_TRY(generate_utility(options));
        GA_ASSIGN_OR_RETURN(store_, Store::open(db().string()));
        GA_TRY(import_folder(*store_, root_ / "export", ImportFolderOptions{}));
        ReportOptions report_options;
        report_options.purchase_price_per_kwh = purchase_price;
        report_options.top_findings = 20;
        GA_ASSIGN_OR_RETURN(model_, build_report(*store_, standard_catalogue(), Policy(), report_options));
        GA_ASSIGN_OR_RETURN(frames_, load_region_frames(*store_, FrameOptions{}));
        return {};
    }
    static void TearDownTestSuite() {
        store_.reset();
        frames_.clear();
        fs::remove_all(root_);
    }
    static fs::path db() { return root_ / "report.db"; }

    static inline std::string setup_error_;
    static inline fs::path root_;
    static inline std::unique_ptr<Store> store_;
    static inline ReportModel model_;
    static inline std::vector<RegionFrame> frames_;
};

TEST_F(GeneratedReportTest, PeriodDefaultsToTheLastMonthWithData) {
    EXPECT_EQ(model_.period.to_string(), "2026-10");
    EXPECT_EQ(model_.as_of.to_string(), "2026-10-31");
}

TEST_F(GeneratedReportTest, LossRowsOfEveryLevelAreThoseOfLossTable) {
    ASSERT_EQ(model_.levels.size(), 4u);
    std::vector<LossTableRow> units;
    for (const BalanceLevel level : report_levels) {
        SCOPED_TRACE(std::string(balance_level_name(level)));
        const LossThresholds thresholds = loss_table_thresholds(Policy(), level);
        std::vector<std::optional<LossAnalysis>> analyses;
        for (const auto& frame : frames_) analyses.push_back(analyse_loss(frame, thresholds));
        const auto want = loss_table(frames_, analyses, level, model_.period, purchase_price);
        ASSERT_FALSE(want.empty());
        const LevelLossTable* got = model_.level(level);
        ASSERT_NE(got, nullptr);
        expect_same_rows(got->rows, want);
        const auto unit_rows = loss_unit_table(frames_, analyses, level, model_.period, thresholds, purchase_price);
        units.insert(units.end(), unit_rows.begin(), unit_rows.end());
    }
    expect_same_rows(model_.units, units);
    // The areas are judged with LOSS-AREA-HIGH's thresholds, the feeders with LOSS-FEEDER-HIGH's.
    EXPECT_NE(loss_table_thresholds(Policy(), BalanceLevel::area).high_rate,
              loss_table_thresholds(Policy(), BalanceLevel::feeder).high_rate);
    std::size_t computable = 0;
    for (const auto& row : model_.level(BalanceLevel::area)->rows) computable += std::isfinite(row.loss_rate);
    EXPECT_GT(computable, 0u);
}

TEST_F(GeneratedReportTest, LevelsAboveTheAreaAreClassedWithTheFeederThresholdsOfThePolicy) {
    // Every computable feeder, bus and substation is "high" under these; the areas keep theirs.
    const auto policy = Policy::parse(
        "[rules.LOSS-FEEDER-HIGH]\nhigh_rate = -0.5\nvery_high_rate = 5.0\n"
        "negative_rate = -0.9\n",
        "test.toml");
    ASSERT_TRUE(policy) << policy.error().message();
    ReportOptions options;
    options.purchase_price_per_kwh = purchase_price;
    const auto strict = build_report(*store_, standard_catalogue(), *policy, options);
    ASSERT_TRUE(strict) << strict.error().message();
    std::size_t judged = 0;
    for (const BalanceLevel level : {BalanceLevel::feeder, BalanceLevel::bus, BalanceLevel::substation})
        for (const auto& row : strict->level(level)->rows)
            if (std::isfinite(row.loss_rate)) {
                EXPECT_EQ(row.loss_class, "high") << row.node_id;
                ++judged;
            }
    EXPECT_GT(judged, 0u);
    expect_same_rows(strict->level(BalanceLevel::area)->rows, model_.level(BalanceLevel::area)->rows);
    std::size_t changed = 0;  // classes the default thresholds gave otherwise (e.g. qualified buses)
    for (const BalanceLevel level : {BalanceLevel::feeder, BalanceLevel::bus, BalanceLevel::substation})
        for (std::size_t i = 0; i < model_.level(level)->rows.size(); ++i)
            changed += model_.level(level)->rows[i].loss_class != strict->level(level)->rows[i].loss_class;
    EXPECT_GT(changed, 0u);
}

TEST_F(GeneratedReportTest, PricesAreTheCategoryPricesOfThePeriod) {
    const auto want = selling_price_by_category(frames_, model_.period);
    ASSERT_FALSE(want.empty());
    ASSERT_EQ(model_.prices.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        EXPECT_EQ(model_.prices[i].category, want[i].category);
        EXPECT_EQ(model_.prices[i].bills, want[i].bills);
        EXPECT_EQ(model_.prices[i].revenue, want[i].revenue);
    }
}

TEST_F(GeneratedReportTest, FindingsAreThoseOfTheAuditOfThePeriod) {
    AuditOptions options;
    options.period = model_.period;
    const auto audit = run_audit(*store_, standard_catalogue(), Policy(), options);
    ASSERT_TRUE(audit) << audit.error().message();
    ASSERT_EQ(model_.audit_findings.size(), audit->findings.size());
    ASSERT_GT(audit->findings.size(), 20u);
    for (std::size_t i = 0; i < audit->findings.size(); ++i) {
        EXPECT_EQ(model_.audit_findings[i].rule_id, audit->findings[i].rule_id);
        EXPECT_EQ(model_.audit_findings[i].subject_id, audit->findings[i].subject_id);
        EXPECT_EQ(model_.audit_findings[i].money_at_risk, audit->findings[i].money_at_risk);
    }
    EXPECT_EQ(model_.rules_run, audit->rules_run);
}

TEST_F(GeneratedReportTest, SummaryTotalsAreSumsOverTheFindings) {
    const auto& findings = model_.audit_findings;
    Money money;
    double kwh = 0;
    std::size_t with_money = 0;
    std::map<std::string, std::size_t> by_rule;
    std::map<InspectionArea, Money> money_by_area;
    for (const auto& f : findings) {
        if (f.money_at_risk) money += *f.money_at_risk, ++with_money, money_by_area[f.area] += *f.money_at_risk;
        if (f.kwh_at_risk) kwh += *f.kwh_at_risk;
        ++by_rule[f.rule_id];
    }
    const FindingsSummary& s = model_.findings;
    EXPECT_EQ(s.total.count, findings.size());
    EXPECT_EQ(s.total.money_at_risk, money);
    EXPECT_GT(money, Money());
    EXPECT_EQ(s.total.with_money, with_money);
    EXPECT_NEAR(s.total.kwh_at_risk, kwh, 1e-6 * std::max(1.0, std::abs(kwh)));

    ASSERT_EQ(s.by_area.size(), 6u);
    std::size_t area_count = 0;
    for (const auto& a : s.by_area) {
        area_count += a.totals.count;
        EXPECT_EQ(a.totals.money_at_risk, money_by_area[a.area]) << inspection_area_code(a.area);
    }
    EXPECT_EQ(area_count, findings.size());

    std::size_t rule_count = 0;
    for (const auto& r : s.by_rule) {
        rule_count += r.totals.count;
        EXPECT_EQ(r.totals.count, by_rule[r.rule_id]) << r.rule_id;
        EXPECT_FALSE(r.title.empty()) << r.rule_id;
    }
    EXPECT_EQ(rule_count, findings.size());
    EXPECT_EQ(s.by_rule.size(), model_.rules_run.size());  // every rule run, with or without findings
}

TEST_F(GeneratedReportTest, MonthsAreTheSubstationTablesOfEachMonthSummed) {
    ASSERT_GE(model_.months.size(), 3u);  // 120 days of data: the period and the months before it
    EXPECT_EQ(model_.months.back().month, model_.period);
    for (std::size_t i = 1; i < model_.months.size(); ++i)
        EXPECT_EQ(model_.months[i].month, model_.months[i - 1].month + 1);
    std::vector<std::optional<LossAnalysis>> analyses;
    for (const auto& frame : frames_)
        analyses.push_back(analyse_loss(frame, loss_table_thresholds(Policy(), BalanceLevel::substation)));
    for (const MonthlyLoss& month : model_.months) {
        SCOPED_TRACE(month.month.to_string());
        double supply = 0, sales = 0;
        std::size_t substations = 0, not_computable = 0;
        for (const auto& row : loss_table(frames_, analyses, BalanceLevel::substation, month.month, purchase_price)) {
            ++substations;
            if (std::isfinite(row.loss_rate))
                supply += row.supply_kwh, sales += row.sales_kwh;
            else
                ++not_computable;
        }
        EXPECT_EQ(month.substations, substations);
        EXPECT_EQ(month.not_computable, not_computable);
        EXPECT_EQ(month.supply_kwh, supply);
        EXPECT_EQ(month.sales_kwh, sales);
        EXPECT_EQ(month.loss_kwh, supply - sales);
        if (substations > not_computable) {
            EXPECT_EQ(month.loss_rate, (supply - sales) / supply);
        }
    }
    // The period's month is the Summary's utility totals.
    double supply = 0;
    for (const auto& row : model_.level(BalanceLevel::substation)->rows)
        if (std::isfinite(row.loss_rate)) supply += row.supply_kwh;
    EXPECT_EQ(model_.months.back().supply_kwh, supply);
}

TEST_F(GeneratedReportTest, TopFindingsAreTheLargestByMoneyAtRisk) {
    const auto& top = model_.findings.top;
    ASSERT_EQ(top.size(), 20u);
    Money largest;
    for (const auto& f : model_.audit_findings)
        if (f.money_at_risk && *f.money_at_risk > largest) largest = *f.money_at_risk;
    EXPECT_EQ(top.front().finding.money_at_risk, largest);
    for (std::size_t i = 0; i < top.size(); ++i) {
        EXPECT_EQ(top[i].rank, i + 1);
        if (i > 0 && top[i].finding.money_at_risk && top[i - 1].finding.money_at_risk) {
            EXPECT_GE(*top[i - 1].finding.money_at_risk, *top[i].finding.money_at_risk);
        }
    }
    // Customers and meters are named after the customer.
    std::size_t named = 0;
    for (const auto& t : top)
        if (t.finding.subject_kind == "customer" || t.finding.subject_kind == "meter") {
            EXPECT_FALSE(t.subject_name.empty()) << t.finding.subject_id;
            ++named;
        }
    EXPECT_GT(named, 0u);
}

TEST_F(GeneratedReportTest, PeriodOutsideTheDataIsAUserError) {
    ReportOptions options;
    options.period = Period::from_year_month(2020, 1);
    const auto model = build_report(*store_, standard_catalogue(), Policy(), options);
    ASSERT_FALSE(model);
    EXPECT_EQ(model.error().kind(), ErrorClass::user);
    EXPECT_NE(model.error().message().find("no daily data for 2020-01"), std::string::npos) << model.error().message();
}

TEST_F(GeneratedReportTest, CommandWritesTheWorkbookAndThePage) {
    const fs::path xlsx = root_ / "out" / "october.xlsx", html = root_ / "out" / "october.html";
    fs::create_directories(xlsx.parent_path());
    const auto a = run(fmt::format("report --db '{}' --period 2026-10 --purchase-price 0.45 --out '{}'", db().string(),
                                   xlsx.string()));
    EXPECT_EQ(a.exit_code, 0) << a.out;
    EXPECT_NE(a.out.find("report 2026-10:"), std::string::npos) << a.out;
    ASSERT_TRUE(fs::exists(xlsx));
    std::ifstream file(xlsx, std::ios::binary);
    std::array<char, 2> magic{};
    file.read(magic.data(), 2);
    EXPECT_EQ(std::string(magic.data(), 2), "PK");  // a zip container

    const auto b = run(fmt::format("report --db '{}' --out '{}'", db().string(), html.string()));
    EXPECT_EQ(b.exit_code, 0) << b.out;
    std::stringstream page;
    page << std::ifstream(html).rdbuf();
    EXPECT_NE(page.str().find("Transformer areas (台区)"), std::string::npos);
    EXPECT_NE(page.str().find(model_.level(BalanceLevel::area)->rows.front().node_id), std::string::npos);
    // Its charts are the model's: the chart data the page draws equals report_charts of the model
    // (built with a purchase price and a top of 20, which no chart reads).
    const std::string open = "<script type=\"application/json\" id=\"report-chart-data\">";
    const std::size_t data_at = page.str().find(open);
    ASSERT_NE(data_at, std::string::npos);
    const std::size_t from = data_at + open.size();
    const auto data = nlohmann::json::parse(page.str().substr(from, page.str().find("</script>", from) - from));
    EXPECT_EQ(data, report_charts_json(report_charts(model_)));
    EXPECT_EQ(data["charts"].size(), 5u);
    EXPECT_EQ(page.str().find("src=\"http"), std::string::npos);
    // And the workbook holds them as native charts, the first sheet's.
    const auto zip = read_zip(xlsx);
    EXPECT_TRUE(zip.contains("xl/charts/chart1.xml"));
    EXPECT_NE(zip.at("xl/charts/chart1.xml").find("<c:f>Charts!$B$"), std::string::npos);

    // The same page printed to PDF by Chromium; without Chromium, an error that says how to get one.
    const fs::path pdf = root_ / "out" / "october.pdf";
    const auto c = run(fmt::format("report --db '{}' --period 2026-10 --out '{}'", db().string(), pdf.string()));
    if (fs::exists("/usr/bin/chromium")) {
        ASSERT_EQ(c.exit_code, 0) << c.out;
        std::array<char, 5> pdf_magic{};
        std::ifstream(pdf, std::ios::binary).read(pdf_magic.data(), 5);
        EXPECT_EQ(std::string(pdf_magic.data(), 5), "%PDF-");
    } else {
        EXPECT_NE(c.exit_code, 0);
        EXPECT_NE(c.out.find("apt-get install chromium"), std::string::npos) << c.out;
        EXPECT_FALSE(fs::exists(pdf));
    }
}

TEST_F(GeneratedReportTest, UsageErrorsExitWithOneAndSayWhatIsWrong) {
    const auto extension = run(fmt::format("report --db '{}' --out '{}'", db().string(), (root_ / "r.docx").string()));
    EXPECT_EQ(extension.exit_code, 1);
    EXPECT_NE(extension.out.find("--out must end in .xlsx, .html or .pdf (" + (root_ / "r.docx").string() + ")"),
              std::string::npos)
        << extension.out;

    const auto period =
        run(fmt::format("report --db '{}' --period 2026-13 --out '{}'", db().string(), (root_ / "r.html").string()));
    EXPECT_EQ(period.exit_code, 1);
    EXPECT_NE(period.out.find("--period must be YYYY-MM (2026-13)"), std::string::npos) << period.out;

    const auto outside =
        run(fmt::format("report --db '{}' --period 2019-05 --out '{}'", db().string(), (root_ / "r.html").string()));
    EXPECT_EQ(outside.exit_code, 1);
    EXPECT_NE(outside.out.find("no daily data for 2019-05"), std::string::npos) << outside.out;

    const auto missing_out = run(fmt::format("report --db '{}'", db().string()));
    EXPECT_EQ(missing_out.exit_code, 1);

    const auto no_store =
        run(fmt::format("report --db '{}' --out '{}'", (root_ / "none.db").string(), (root_ / "r.html").string()));
    EXPECT_EQ(no_store.exit_code, 1);
    EXPECT_NE(no_store.out.find("no store at"), std::string::npos) << no_store.out;
    EXPECT_FALSE(fs::exists(root_ / "none.db"));  // a report never creates a store
    EXPECT_FALSE(fs::exists(root_ / "r.html"));
}

}  // namespace
}  // namespace gridaudit
