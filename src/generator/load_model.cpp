// The synthetic utility's load tables: seasonal, weekly, holiday and hourly shapes per category.
#include "generator/load_model.hpp"

#include "generator/china_calendar.hpp"

namespace gridaudit {
namespace {

const std::array<CategoryLoadShape, load_category_count>& shapes() {
    static const std::array<CategoryLoadShape, load_category_count> table{{
        // residential: air conditioning in summer, heating in winter, more at home on weekends and
        // during the Spring Festival; evening peak.
        {{1.30, 1.22, 1.00, 0.88, 0.90, 1.05, 1.40, 1.50, 1.15, 0.92, 0.95, 1.15},
         {0.98, 0.97, 0.97, 0.98, 1.00, 1.06, 1.07},
         1.25, 1.05, 1.05,
         {0.50, 0.40, 0.35, 0.35, 0.35, 0.45, 0.80, 1.10, 1.00, 0.80, 0.75, 0.90,
          1.00, 0.85, 0.75, 0.75, 0.85, 1.20, 1.60, 1.80, 1.70, 1.50, 1.10, 0.75},
         0.16, 0.07, 2.0},
        // commercial: shops and offices, cooling in summer, closed for much of the Spring Festival.
        {{1.10, 0.95, 0.95, 0.92, 0.98, 1.10, 1.35, 1.40, 1.15, 0.98, 0.95, 1.05},
         {1.00, 1.00, 1.00, 1.00, 1.03, 1.05, 0.95},
         0.55, 0.95, 1.00,
         {0.30, 0.25, 0.25, 0.25, 0.25, 0.30, 0.45, 0.80, 1.30, 1.60, 1.70, 1.70,
          1.60, 1.60, 1.60, 1.60, 1.60, 1.50, 1.50, 1.40, 1.20, 0.90, 0.55, 0.40},
         0.11, 0.05, 1.8},
        // industrial: day shifts, weekends reduced, factories stop for the Spring Festival.
        {{0.95, 0.80, 1.00, 1.02, 1.02, 1.03, 1.05, 1.05, 1.03, 1.02, 1.02, 1.02},
         {1.05, 1.05, 1.05, 1.05, 1.03, 0.85, 0.65},
         0.20, 0.60, 0.70,
         {0.50, 0.45, 0.45, 0.45, 0.45, 0.50, 0.70, 1.30, 1.60, 1.60, 1.60, 1.40,
          1.20, 1.60, 1.60, 1.60, 1.50, 1.30, 0.90, 0.80, 0.75, 0.70, 0.60, 0.55},
         0.14, 0.0, 1.7},
        // large industrial: three shifts, shifted toward the valley tariff.
        {{0.98, 0.88, 1.00, 1.01, 1.01, 1.02, 1.03, 1.03, 1.02, 1.01, 1.01, 1.00},
         {1.01, 1.01, 1.01, 1.01, 1.01, 0.98, 0.93},
         0.45, 0.80, 0.90,
         {1.05, 1.05, 1.05, 1.05, 1.00, 1.00, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95,
          1.00, 1.00, 1.00, 1.00, 0.95, 0.95, 0.90, 0.90, 0.95, 1.00, 1.10, 1.10},
         0.07, 0.0, 1.3},
        // agricultural: irrigation pumps in summer, daytime.
        {{0.35, 0.35, 0.55, 0.80, 1.10, 1.70, 2.10, 2.00, 1.30, 0.80, 0.50, 0.40},
         {1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00},
         0.70, 1.00, 1.00,
         {0.60, 0.60, 0.60, 0.60, 0.60, 0.70, 1.00, 1.40, 1.50, 1.50, 1.40, 1.20,
          1.10, 1.30, 1.40, 1.40, 1.30, 1.10, 0.90, 0.80, 0.70, 0.70, 0.60, 0.60},
         0.30, 0.04, 2.0},
        // temporary: construction sites, daytime, stopped over the Spring Festival.
        {{0.95, 0.85, 1.00, 1.05, 1.05, 1.05, 1.00, 1.00, 1.05, 1.05, 1.05, 0.95},
         {1.05, 1.05, 1.05, 1.05, 1.05, 0.95, 0.60},
         0.10, 0.50, 0.60,
         {0.20, 0.20, 0.20, 0.20, 0.20, 0.30, 0.80, 1.80, 2.00, 2.00, 2.00, 1.50,
          1.20, 2.00, 2.00, 2.00, 1.80, 1.20, 0.60, 0.40, 0.30, 0.30, 0.20, 0.20},
         0.18, 0.0, 2.0},
    }};
    return table;
}

}  // namespace

std::string_view load_category_code(LoadCategory category) {
    switch (category) {
        case LoadCategory::residential: return "residential";
        case LoadCategory::commercial: return "commercial";
        case LoadCategory::industrial: return "industrial";
        case LoadCategory::large_industrial: return "large_industrial";
        case LoadCategory::agricultural: return "agricultural";
        case LoadCategory::temporary: return "temporary";
    }
    return "residential";
}

const CategoryLoadShape& category_load_shape(LoadCategory category) {
    return shapes()[static_cast<std::size_t>(category)];
}

double season_factor(LoadCategory category, CivilDate date) {
    const auto& season = category_load_shape(category).monthly_season;
    const int month = static_cast<int>(date.month()) - 1;
    const Period period = Period::of(date);
    const double length = period.day_count();
    // Position relative to the middle of the month, in months.
    const double offset = (static_cast<double>(date.day()) - 0.5 - length / 2.0) / length;
    const int other = offset >= 0 ? (month + 1) % 12 : (month + 11) % 12;
    const double weight = offset >= 0 ? offset : -offset;
    return season[static_cast<std::size_t>(month)] * (1 - weight) + season[static_cast<std::size_t>(other)] * weight;
}

double calendar_factor(LoadCategory category, CivilDate date) {
    const CategoryLoadShape& shape = category_load_shape(category);
    double factor = shape.weekday[date.weekday_from_monday()];
    switch (holiday_kind(date)) {
        case HolidayKind::spring_festival: factor = shape.spring_festival; break;
        case HolidayKind::spring_festival_shoulder: factor *= shape.spring_festival_shoulder; break;
        case HolidayKind::public_holiday: factor = shape.public_holiday * shape.weekday[6]; break;
        case HolidayKind::none: break;
    }
    return factor;
}

TouPeriod tou_period_of_hour(int hour) {
    if ((hour >= 8 && hour < 11) || (hour >= 18 && hour < 23)) return TouPeriod::peak;
    if (hour >= 23 || hour < 7) return TouPeriod::valley;
    return TouPeriod::flat;
}

TouShares tou_shares(LoadCategory category) {
    const auto& hourly = category_load_shape(category).hourly;
    TouShares shares;
    double total = 0;
    for (int h = 0; h < 24; ++h) {
        const double w = hourly[static_cast<std::size_t>(h)];
        total += w;
        switch (tou_period_of_hour(h)) {
            case TouPeriod::peak: shares.peak += w; break;
            case TouPeriod::flat: shares.flat += w; break;
            case TouPeriod::valley: shares.valley += w; break;
        }
    }
    shares.peak /= total;
    shares.flat /= total;
    shares.valley /= total;
    return shares;
}

double solar_yield(unsigned month) {
    constexpr std::array<double, 12> yield{2.5, 2.8, 3.2, 3.8, 4.2, 4.0, 4.8, 4.8, 4.0, 3.6, 3.0, 2.6};
    return yield[(month - 1) % 12];
}

}  // namespace gridaudit
