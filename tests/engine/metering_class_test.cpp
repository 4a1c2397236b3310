// Tests of the DL/T 448-2000 metering-class table (REFERENCE.md section 8), row by row.
#include "engine/metering_class.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace gridaudit {
namespace {

struct ClassCase {
    int phases;
    double capacity_kva;
    double monthly_kwh;
    MeteringClass expected;
};

TEST(MeteringClassTest, ClassFollowsCapacityAndMonthlyEnergyThresholds) {
    const double unknown = std::nan("");
    const ClassCase cases[] = {
        {1, 8, 300, MeteringClass::V},            {1, 20000, 9e6, MeteringClass::V},  // single-phase is always V
        {3, 314.9, unknown, MeteringClass::IV},   {3, 315, unknown, MeteringClass::III},
        {3, 1999, 99'999, MeteringClass::III},    {3, 2000, unknown, MeteringClass::II},
        {3, 9999, unknown, MeteringClass::II},    {3, 10000, unknown, MeteringClass::I},
        {3, 50, 100'000, MeteringClass::III},     {3, 50, 1'000'000, MeteringClass::II},
        {3, 50, 5'000'000, MeteringClass::I},     {3, 2500, 6'000'000, MeteringClass::I},
        {3, 12000, 10, MeteringClass::I},
    };
    for (const auto& c : cases)
        EXPECT_EQ(required_metering_class(c.phases, c.capacity_kva, c.monthly_kwh), c.expected)
            << c.phases << " phases, " << c.capacity_kva << " kVA, " << c.monthly_kwh << " kWh";
}

TEST(MeteringClassTest, AccuracyOrderPutsSClassesAheadOfPlain) {
    EXPECT_TRUE(meets_accuracy("0.2S", "0.2"));
    EXPECT_TRUE(meets_accuracy("0.2", "0.5S"));
    EXPECT_FALSE(meets_accuracy("0.5", "0.5S"));
    EXPECT_TRUE(meets_accuracy("1.0", "1.0"));
    EXPECT_FALSE(meets_accuracy("2.0", "1.0"));
    EXPECT_FALSE(meets_accuracy("3.0", "2.0"));
    EXPECT_FALSE(meets_accuracy("0.1", "2.0"));  // unknown classes never pass silently
    EXPECT_FALSE(accuracy_rank("1").has_value());
}

TEST(MeteringClassTest, RequirementsMatchTheTable) {
    EXPECT_EQ(accuracy_requirement(MeteringClass::I).active_meter, "0.5S");
    EXPECT_EQ(accuracy_requirement(MeteringClass::II).active_meter, "0.5");
    EXPECT_EQ(accuracy_requirement(MeteringClass::II).current_transformer, "0.2");
    EXPECT_EQ(accuracy_requirement(MeteringClass::III).active_meter, "1.0");
    EXPECT_EQ(accuracy_requirement(MeteringClass::III).voltage_transformer, "0.5");
    EXPECT_EQ(accuracy_requirement(MeteringClass::IV).active_meter, "2.0");
    EXPECT_EQ(accuracy_requirement(MeteringClass::IV).current_transformer, "0.5S");
    EXPECT_EQ(accuracy_requirement(MeteringClass::V).voltage_transformer, "");
}

}  // namespace
}  // namespace gridaudit
