// Tests of the Evidence builder: the JSON text it writes and its check against the rule's declared fields.
#include "rules/evidence.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "rules/catalogue.hpp"

namespace gridaudit {
namespace {

RuleInfo rule_declaring(std::vector<std::string> fields) {
    RuleInfo info;
    info.id = "METER-X";
    info.evidence_fields = std::move(fields);
    return info;
}

TEST(EvidenceTest, MissingValuesAreNullAndKeysAreInByteOrderWhateverTheSetterOrder) {
    const RuleInfo rule = rule_declaring({"b", "a", "c", "d", "e", "f", "g", "h", "i"});
    const std::vector<std::string> names{"x", "y"};
    Evidence evidence(rule);
    evidence.number("b", std::nan(""))
        .number("a", 1.5)
        .integer("c", 3)
        .number("d", std::optional<double>{})
        .date("e", std::optional<CivilDate>{})
        .date("f", *CivilDate::parse("2025-03-01"))
        .money("g", Money::from_units(6'801'500))
        .texts("h", names)
        .number("i", 315.0);
    EXPECT_EQ(evidence.dump(),
              R"({"a":1.5,"b":null,"c":3,"d":null,"e":null,"f":"2025-03-01","g":"680.15","h":["x","y"],"i":315.0})");
}

TEST(EvidenceTest, TheTextIsNlohmannsDumpOfTheSameObject) {
    const RuleInfo rule = rule_declaring({"problem", "kwh", "nested"});
    const nlohmann::json nested{{"peak", Evidence::number_or_null(std::nan(""))}, {"flat", 2.25}};
    const std::string built = Evidence(rule).text("problem", "p").number("kwh", 0.1).json("nested", nested).dump();
    EXPECT_EQ(built, (nlohmann::json{{"problem", "p"}, {"kwh", 0.1}, {"nested", nested}}.dump()));
}

TEST(EvidenceTest, UndeclaredFieldsAreFoundInAFindingsJson) {
    const RuleInfo rule = rule_declaring({"a", "b"});
    EXPECT_TRUE(undeclared_evidence_fields(rule, R"({"a":1,"b":null})").empty());
    EXPECT_TRUE(undeclared_evidence_fields(rule, "{}").empty());
    EXPECT_TRUE(undeclared_evidence_fields(rule, "").empty());
    EXPECT_EQ(undeclared_evidence_fields(rule, R"({"a":1,"same_as_customers":[],"z":0})"),
              (std::vector<std::string>{"same_as_customers", "z"}));
    EXPECT_EQ(undeclared_evidence_fields(rule, "[1]"), std::vector<std::string>{"(not a JSON object)"});
}

#ifndef NDEBUG
TEST(EvidenceDeathTest, WritingAnUndeclaredFieldStopsADebugBuild) {
    const RuleInfo rule = rule_declaring({"a"});
    EXPECT_DEATH(Evidence(rule).integer("b", 1), "does not declare");
}
#endif

}  // namespace
}  // namespace gridaudit
