// Tests of the catalogue registry: complete metadata, policy checking, JSON and Markdown views.
#include "rules/catalogue.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace gridaudit {
namespace {

TEST(CatalogueTest, EveryRuleHasCompleteUniqueMetadata) {
    std::set<std::string> ids;
    for (const auto& rule : standard_catalogue().rules()) {
        const RuleInfo& info = rule->info();
        EXPECT_TRUE(ids.insert(info.id).second) << "duplicate id " << info.id;
        EXPECT_TRUE(rule_id_names_its_area(info)) << info.id << " must start with its area code (or MASTER- in PROC)";
        EXPECT_GT(info.description.size(), 80u) << info.id;
        EXPECT_FALSE(info.title.empty()) << info.id;
        EXPECT_FALSE(info.evidence_fields.empty()) << info.id;
    }
    for (const char* required : {"METER-ROTATION-OVERDUE", "METER-MULTIPLIER-MISMATCH", "METER-ACCURACY-CLASS"})
        EXPECT_TRUE(ids.contains(required)) << required;
}

TEST(CatalogueTest, RuleIdsStartWithTheirAreaAndMasterDataChecksAreProcessRules) {
    RuleInfo info;
    info.id = "METER-X";
    info.area = InspectionArea::METER;
    EXPECT_TRUE(rule_id_names_its_area(info));
    info.area = InspectionArea::BILL;
    EXPECT_FALSE(rule_id_names_its_area(info));
    info.id = "MASTER-X";
    EXPECT_FALSE(rule_id_names_its_area(info)) << "master-data checks are reported in PROC only";
    info.area = InspectionArea::PROC;
    EXPECT_TRUE(rule_id_names_its_area(info));
    info.id = "METERX";
    info.area = InspectionArea::METER;
    EXPECT_FALSE(rule_id_names_its_area(info));
}

TEST(CatalogueTest, PolicyTyposAreUserErrors) {
    const Catalogue& catalogue = standard_catalogue();
    auto check = [&](std::string_view text) { return catalogue.check_policy(*Policy::parse(text, "p.toml")); };
    EXPECT_TRUE(check("[rules.METER-ROTATION-OVERDUE]\nsingle_phase_years = 9\n"));
    const auto unknown_rule = check("[rules.METER-ROTATION-OVERDUEE]\nsingle_phase_years = 9\n");
    ASSERT_FALSE(unknown_rule);
    EXPECT_NE(unknown_rule.error().message().find("names no rule"), std::string::npos);
    const auto unknown_parameter = check("[rules.METER-ROTATION-OVERDUE]\nsingle_phase_yers = 9\n");
    ASSERT_FALSE(unknown_parameter);
    EXPECT_NE(unknown_parameter.error().message().find("single_phase_yers"), std::string::npos);
    const auto wrong_type = check("[rules.METER-ROTATION-OVERDUE]\nsingle_phase_years = \"ten\"\n");
    ASSERT_FALSE(wrong_type);
    EXPECT_NE(wrong_type.error().message().find("wrong type"), std::string::npos);
    EXPECT_FALSE(check("[rules.METER-ROTATION-OVERDUE]\nenabled = 1\n"));
}

TEST(CatalogueTest, JsonListsEveryRuleWithItsParameters) {
    const auto document = nlohmann::json::parse(standard_catalogue().to_json());
    ASSERT_EQ(document["rules"].size(), standard_catalogue().rules().size());
    bool found = false;
    for (const auto& rule : document["rules"]) {
        if (rule["id"] != "METER-ROTATION-OVERDUE") continue;
        found = true;
        EXPECT_EQ(rule["area"], "METER");
        EXPECT_EQ(rule["parameters"][0]["name"], "three_phase_years");
        EXPECT_EQ(rule["parameters"][0]["default"], 6.0);
    }
    EXPECT_TRUE(found);
}

TEST(CatalogueTest, DocsRulesMdIsTheGeneratedMarkdown) {
    std::ifstream in(GRIDAUDIT_DOCS_DIR "/rules.md");
    std::stringstream content;
    content << in.rdbuf();
    EXPECT_EQ(content.str(), standard_catalogue().to_markdown())
        << "docs/rules.md is stale: run `make docs` (gridaudit rules --markdown > docs/rules.md)";
}

}  // namespace
}  // namespace gridaudit

namespace gridaudit {
namespace {

TEST(CatalogueTest, DefaultPolicyFileParsesChecksAndMatchesConfig) {
    const std::string text = standard_catalogue().to_policy_toml();
    const auto policy = Policy::parse(text, "defaults.toml");
    ASSERT_TRUE(policy) << policy.error().message();
    EXPECT_TRUE(standard_catalogue().check_policy(*policy));
    EXPECT_EQ(policy->number("rules.METER-ROTATION-OVERDUE", "three_phase_years", -1), 6);
    std::ifstream in(GRIDAUDIT_CONFIG_DIR "/gridaudit.toml");
    std::stringstream content;
    content << in.rdbuf();
    EXPECT_EQ(content.str(), text) << "config/gridaudit.toml is stale: run `make docs`";
}

}  // namespace
}  // namespace gridaudit
