// The reading-quality rules on frames filled by hand: METER-STOPPED, METER-REVERSED and the SERV
// read rules with billing reads given through a BillingReadsSource.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "rules/reading/reading_rules.hpp"

namespace gridaudit {
namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();
const CivilDate first_day = CivilDate::from_ymd(2026, 8, 1);
const CivilDate as_of = CivilDate::from_ymd(2026, 10, 31);

// One area A1 with gateway G1 and customers C<i> with meters M<i>, daily registers from
// 2026-08-01 to 2026-10-31 (92 days).
class FrameBuilder {
public:
    FrameBuilder() {
        frame_.substation_id = "S1";
        frame_.network.id = {"A1"};
        frame_.network.parent = {NodeIndex{}};
        frame_.network.kind = {NodeKind::area};
        frame_.network.name = {"A1"};
        frame_.network.rated_kva = {400};
        frame_.network.gateway_meter = {MeterIndex{0}};
        frame_.daily.first_day = first_day;
        frame_.daily.day_count = as_of - first_day + 1;
        add_meter("G1", CustomerIndex{}, [](int d) { return 1000.0 + 50 * d; }, [](int) { return 0.0; });
    }
    // Adds a customer and its meter; import(d) and export(d) give the registers of day d.
    template <class Import, class Export>
    std::size_t add_customer(const std::string& id, Import import, Export exported, std::string status = "active") {
        auto& c = frame_.customers;
        c.id.push_back("C" + id);
        c.node.push_back(NodeIndex{0});
        c.category.push_back("residential");
        c.voltage_kv.push_back(0.22);
        c.contracted_kva.push_back(8);
        c.tariff_id.push_back("RES-TIER");
        c.pf_standard.push_back(nan_value);
        c.status.push_back(std::move(status));
        c.supply_start.push_back(CivilDate::from_ymd(2020, 1, 1));
        c.supply_end.push_back(std::nullopt);
        return add_meter("M" + id, CustomerIndex{static_cast<std::uint32_t>(c.id.size() - 1)}, import, exported);
    }
    RegionFrame& frame() { return frame_; }

private:
    template <class Import, class Export>
    std::size_t add_meter(const std::string& id, CustomerIndex customer, Import import, Export exported) {
        auto& m = frame_.meters;
        m.id.push_back(id);
        m.customer.push_back(customer);
        m.node.push_back(NodeIndex{0});
        m.is_gateway.push_back(!customer.valid());
        m.model.push_back("DDZY71");
        m.accuracy_class.push_back("2.0");
        m.phases.push_back(1);
        m.rated_current.push_back(5);
        m.ct_ratio_text.push_back("1");
        m.pt_ratio_text.push_back("1");
        m.ct_ratio.push_back(1);
        m.pt_ratio.push_back(1);
        m.ct_class.push_back("");
        m.pt_class.push_back("");
        m.multiplier.push_back(1);
        m.installed_on.push_back(CivilDate::from_ymd(2020, 1, 1));
        m.last_tested_on.push_back(std::nullopt);
        m.removed_on.push_back(std::nullopt);
        frame_.daily.meter_ids.push_back(id);
        for (int d = 0; d < frame_.daily.day_count; ++d) {
            frame_.daily.import_register.push_back(import(d));
            frame_.daily.export_register.push_back(exported(d));
        }
        return m.id.size() - 1;
    }
    RegionFrame frame_;
};

std::vector<std::string> run(const Rule& rule, const RegionFrame& frame, std::vector<Finding>* out = nullptr) {
    const RuleSettings settings(rule.info(), Policy());
    std::vector<Finding> findings;
    rule.evaluate(RuleContext{frame, as_of, std::nullopt}, settings, findings);
    std::vector<std::string> subjects;
    for (const auto& f : findings) subjects.push_back(f.subject_id);
    if (out) *out = findings;
    return subjects;
}

auto zero = [](int) { return 0.0; };

TEST(ReadingRulesTest, StoppedMeterIsFoundButNotAFlatVacantOrSuspendedOne) {
    FrameBuilder b;
    b.add_customer("1", [](int d) { return 100.0 + 5 * std::min(d, 60); }, zero);         // stopped on day 61
    b.add_customer("2", [](int d) { return 100.0 + 5 * d; }, zero);                       // normal
    b.add_customer("3", [](int d) { return 100.0 + 5 * std::min(d, 60); }, zero, "suspended");
    b.add_customer("4", [](int d) { return 100.0 + 0.2 * std::min(d, 60); }, zero);        // vacant-home level use
    b.add_customer("5", [](int d) { return 100.0 + 5 * std::min(d, 88); }, zero);         // flat 3 days only
    b.add_customer("6", [](int d) { return d % 9 == 0 ? nan_value : 100.0 + 5 * std::min(d, 60); }, zero);  // gaps
    b.add_customer("7", [](int) { return 4321.0; }, zero);  // stopped before the loaded window
    const auto m8 = b.add_customer("8", [](int) { return 0.0; }, zero);  // installed in the window, never ran
    b.frame().meters.installed_on[m8] = first_day + 10;
    std::vector<Finding> findings;
    EXPECT_EQ(run(*make_meter_stopped_rule(), b.frame(), &findings), (std::vector<std::string>{"M1", "M6", "M7"}));
    EXPECT_TRUE(nlohmann::json::parse(findings[2].evidence_json)["prior_daily_kwh"].is_null());
    EXPECT_FALSE(findings[2].kwh_at_risk);
    const auto evidence = nlohmann::json::parse(findings[0].evidence_json);
    EXPECT_EQ(evidence["flat_since"], "2026-10-01");
    EXPECT_EQ(evidence["flat_days"], 31);
    EXPECT_DOUBLE_EQ(evidence["prior_daily_kwh"].get<double>(), 5.0);
    ASSERT_TRUE(findings[0].kwh_at_risk);
    EXPECT_DOUBLE_EQ(*findings[0].kwh_at_risk, 155.0);
}

TEST(ReadingRulesTest, StoppedMeterNeedsNormalSupplyInTheArea) {
    FrameBuilder b;
    b.add_customer("1", [](int d) { return 100.0 + 5 * std::min(d, 60); }, zero);
    // The gateway stopped too: an outage or a data problem, not a stopped meter.
    auto& frame = b.frame();
    for (int d = 55; d < frame.daily.day_count; ++d) frame.daily.import_register[static_cast<std::size_t>(d)] = 1000.0 + 50 * 55;
    EXPECT_TRUE(run(*make_meter_stopped_rule(), frame).empty());
}

TEST(ReadingRulesTest, ReversedMeterIsFoundButNotAGeneratingCustomer) {
    FrameBuilder b;
    // Reversed from day 40: import stops, the energy appears on the export register.
    b.add_customer("1", [](int d) { return 100.0 + 5 * std::min(d, 40); }, [](int d) { return 5.0 * std::max(0, d - 40); });
    // Rooftop PV: exports every day, imports every day.
    b.add_customer("2", [](int d) { return 100.0 + 4 * d; }, [](int d) { return 20.0 + 9 * d; });
    // Partly reversed after a quiet stretch: import goes on at half speed.
    b.add_customer("3", [](int d) { return 100.0 + 6 * std::min(d, 50) + 3 * std::max(0, d - 50); },
                   [](int d) { return 7.0 + 3 * std::max(0, d - 50); });
    std::vector<Finding> findings;
    EXPECT_EQ(run(*make_meter_reversed_rule(), b.frame(), &findings), (std::vector<std::string>{"M1", "M3"}));
    EXPECT_EQ(nlohmann::json::parse(findings[1].evidence_json)["export_since"], "2026-09-21");
    // A reversed meter's flat import register is not a stopped meter.
    EXPECT_TRUE(run(*make_meter_stopped_rule(), b.frame()).empty());
}

struct ReadFixture {
    FrameBuilder builder;
    BillingReadColumns reads;
    BillingReadsSource source() const {
        return [this](const RegionFrame&) { return &reads; };
    }
};

TEST(ReadingRulesTest, EstimatedReadsWithReaderAndTeamRates) {
    ReadFixture f;
    const auto m1 = f.builder.add_customer("1", [](int d) { return 100.0 + 5 * d; }, zero);
    const auto m2 = f.builder.add_customer("2", [](int d) { return 100.0 + 5 * d; }, zero);
    const CivilDate ends[] = {CivilDate::from_ymd(2026, 8, 31), CivilDate::from_ymd(2026, 9, 30),
                              CivilDate::from_ymd(2026, 10, 31)};
    for (CivilDate end : ends) {
        const double v = 100.0 + 5 * (end - first_day);
        f.reads.push(MeterIndex{static_cast<std::uint32_t>(m1)}, end, v,
                     end == ends[0] ? ReadSource::ami : ReadSource::estimated, "S1", "U1");
        f.reads.push(MeterIndex{static_cast<std::uint32_t>(m2)}, end, v, ReadSource::ami, "S2", "U1");
    }
    sort_billing_reads(f.reads);
    std::vector<Finding> findings;
    EXPECT_EQ(run(*make_serv_estimated_read_rule(f.source()), f.builder.frame(), &findings),
              (std::vector<std::string>{"M1"}));
    const auto evidence = nlohmann::json::parse(findings[0].evidence_json);
    EXPECT_EQ(evidence["max_consecutive"], 2);
    EXPECT_NEAR(evidence["reader_estimation_rate"].get<double>(), 2.0 / 3, 1e-12);
    EXPECT_NEAR(evidence["team_estimation_rate"].get<double>(), 2.0 / 6, 1e-12);
    EXPECT_EQ(findings[0].severity, Severity::high);
    EXPECT_EQ(findings[0].period, "2026-10");
}

TEST(ReadingRulesTest, MissedReadOnlyForMetersInServiceFromTheFirstRead) {
    ReadFixture f;
    const auto m1 = f.builder.add_customer("1", [](int d) { return 100.0 + 5 * d; }, zero);
    const auto m2 = f.builder.add_customer("2", [](int d) { return 100.0 + 5 * d; }, zero);
    const auto m3 = f.builder.add_customer("3", [](int d) { return 100.0 + 5 * d; }, zero);
    f.builder.frame().meters.removed_on[m3] = CivilDate::from_ymd(2026, 9, 15);  // removed: no read due after
    for (const auto& [y, mo, d] : {std::tuple{2026, 8, 31}, {2026, 9, 30}, {2026, 10, 31}}) {
        const CivilDate end = CivilDate::from_ymd(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
        f.reads.push(MeterIndex{static_cast<std::uint32_t>(m2)}, end, 1, ReadSource::ami, "S1", "U1");
        if (mo != 9) f.reads.push(MeterIndex{static_cast<std::uint32_t>(m1)}, end, 1, ReadSource::ami, "S1", "U1");
        if (mo == 8) f.reads.push(MeterIndex{static_cast<std::uint32_t>(m3)}, end, 1, ReadSource::ami, "S1", "U1");
    }
    sort_billing_reads(f.reads);
    std::vector<Finding> findings;
    EXPECT_EQ(run(*make_serv_missed_read_rule(f.source()), f.builder.frame(), &findings),
              (std::vector<std::string>{"M1"}));
    EXPECT_EQ(nlohmann::json::parse(findings[0].evidence_json)["missed_month_ends"],
              nlohmann::json::array({"2026-09-30"}));
}

TEST(ReadingRulesTest, WrongManualReadAndBackwardsRead) {
    ReadFixture f;
    auto reg = [](int d) { return 100.0 + 5 * d; };
    const auto m1 = f.builder.add_customer("1", reg, zero);  // manual read off by 40
    const auto m2 = f.builder.add_customer("2", reg, zero);  // manual read equal to AMI
    const auto m3 = f.builder.add_customer("3", reg, zero);  // an AMI-sourced read lower than the previous one
    const auto m4 = f.builder.add_customer("4", reg, zero);  // estimated read off: not this rule's case
    const auto m5 = f.builder.add_customer("5", reg, zero);  // manual read on the installation day
    f.builder.frame().meters.installed_on[m5] = CivilDate::from_ymd(2026, 9, 30);
    const CivilDate aug = CivilDate::from_ymd(2026, 8, 31), sep = CivilDate::from_ymd(2026, 9, 30);
    auto at = [&](CivilDate day) { return 100.0 + 5 * (day - first_day); };
    auto idx = [](std::size_t m) { return MeterIndex{static_cast<std::uint32_t>(m)}; };
    f.reads.push(idx(m1), aug, at(aug), ReadSource::ami, "S1", "U1");
    f.reads.push(idx(m1), sep, at(sep) + 40, ReadSource::manual, "S1", "U1");
    f.reads.push(idx(m2), aug, at(aug), ReadSource::ami, "S1", "U1");
    f.reads.push(idx(m2), sep, at(sep), ReadSource::manual, "S1", "U1");
    f.reads.push(idx(m3), aug, at(aug), ReadSource::ami, "S1", "U1");
    f.reads.push(idx(m3), sep, at(aug) - 10, ReadSource::ami, "S1", "U1");
    f.reads.push(idx(m4), aug, at(aug), ReadSource::ami, "S1", "U1");
    f.reads.push(idx(m4), sep, at(sep) + 40, ReadSource::estimated, "S1", "U1");
    f.reads.push(idx(m5), sep, 0, ReadSource::manual, "S9", "U1");
    sort_billing_reads(f.reads);
    std::vector<Finding> findings;
    EXPECT_EQ(run(*make_serv_wrong_read_rule(f.source()), f.builder.frame(), &findings),
              (std::vector<std::string>{"M1", "M3"}));
    EXPECT_EQ(nlohmann::json::parse(findings[0].evidence_json)["kind"], "ami_mismatch");
    EXPECT_EQ(nlohmann::json::parse(findings[1].evidence_json)["kind"], "backwards");
    ASSERT_TRUE(findings[0].kwh_at_risk);
    EXPECT_DOUBLE_EQ(*findings[0].kwh_at_risk, 40);
}

TEST(ReadingRulesTest, CatalogueWithoutReadsHasOnlyTheRegisterRules) {
    Catalogue plain;
    add_reading_rules(plain);
    EXPECT_EQ(plain.rules().size(), 2u);
    EXPECT_NE(plain.find("METER-STOPPED"), nullptr);
    Catalogue full;
    add_reading_rules(full, [](const RegionFrame&) -> const BillingReadColumns* { return nullptr; });
    EXPECT_EQ(full.rules().size(), 5u);
    EXPECT_NE(full.find("SERV-WRONG-READ"), nullptr);
}

}  // namespace
}  // namespace gridaudit

namespace gridaudit {
namespace {

// The same metadata rules as the standard catalogue's (tests/rules/catalogue_test.cpp), and the
// generated default policy parses and checks.
TEST(ReadingRulesTest, MetadataIsCompleteAndTheDefaultPolicyChecks) {
    Catalogue catalogue;
    add_reading_rules(catalogue, [](const RegionFrame&) -> const BillingReadColumns* { return nullptr; });
    for (const auto& rule : catalogue.rules()) {
        const RuleInfo& info = rule->info();
        EXPECT_EQ(info.id.rfind(std::string(inspection_area_code(info.area)) + "-", 0), 0u) << info.id;
        EXPECT_GT(info.description.size(), 80u) << info.id;
        EXPECT_FALSE(info.title.empty()) << info.id;
        EXPECT_FALSE(info.evidence_fields.empty()) << info.id;
        EXPECT_EQ(info.truth_anomalies.size(), 1u) << info.id;
    }
    const auto policy = Policy::parse(catalogue.to_policy_toml(), "defaults.toml");
    ASSERT_TRUE(policy) << policy.error().message();
    EXPECT_TRUE(catalogue.check_policy(*policy));
    const auto typo = Policy::parse("[rules.METER-STOPPED]\nmin_flat_day = 3\n", "p.toml");
    ASSERT_TRUE(typo);
    EXPECT_FALSE(catalogue.check_policy(*typo));
}

}  // namespace
}  // namespace gridaudit
