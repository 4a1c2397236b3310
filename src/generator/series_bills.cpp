// The series simulation's bills and payments (series_simulator.hpp): each month priced from the
// reads as an audit recomputes it, the injected billing and account anomalies, payments with late
// fees and waivers, and the daily collections.
#include "generator/series_simulator.hpp"

#include <cstdlib>
#include <optional>

namespace gridaudit::simulation {

// Prices one month exactly as an audit recomputes it from the bills.csv row: the registers as
// written (two decimals), kvarh and demand when written, the days connected from supply dates.
Result<MonthBill> SeriesSimulator::price(const SyntheticTariff& tariff, const CustomerTerms& terms,
                                         const PlannedCustomer& c, Period period, const BillEnergy& energy,
                                         std::optional<std::int64_t> demand, BillingState& state) const {
    RegisterReadings registers;
    registers.total_kwh = from_hundredths(energy.total);
    if (tariff.time_of_use()) {
        registers.peak_kwh = from_hundredths(energy.peak);
        registers.flat_kwh = from_hundredths(energy.total - energy.peak - energy.valley);
        registers.valley_kwh = from_hundredths(energy.valley);
    }
    GA_ASSIGN_OR_RETURN(std::vector<double> period_kwh, period_kwh_from_registers(tariff.tariff, registers));
    MonthUsage usage;
    usage.period = period;
    usage.period_kwh = std::move(period_kwh);
    if (energy.reactive) usage.kvarh = from_hundredths(*energy.reactive);
    if (demand) usage.max_demand_kw = from_hundredths(*demand);
    const CivilDate from = std::max(c.supply_start, period.first_day());
    const CivilDate to = c.supply_end ? std::min(*c.supply_end, period.last_day()) : period.last_day();
    const int days = to - from + 1;
    // A month wholly after the supply end (a temporary supply left connected) is billed whole.
    usage.days_connected = days <= 0 || days == period.day_count() ? 0 : days;
    return price_month(tariff.tariff, terms, usage, state);
}

SeriesSimulator::BillCharges SeriesSimulator::charges_of(const MonthBill& bill) {
    BillCharges charges;
    charges.energy = bill.component(BillComponent::energy) + bill.component(BillComponent::demand);
    charges.basic = bill.component(BillComponent::basic);
    charges.power_factor = bill.component(BillComponent::power_factor);
    charges.funds = bill.component(BillComponent::funds);
    charges.fixed = bill.component(BillComponent::fixed) + bill.component(BillComponent::minimum);
    charges.total = bill.total;
    return charges;
}

std::string SeriesSimulator::money_text(Money amount) {
    const std::int64_t cents = amount.units() / 100;
    const std::int64_t magnitude = cents < 0 ? -cents : cents;
    return fmt::format("{}{}.{:02}", cents < 0 ? "-" : "", magnitude / 100, magnitude % 100);
}

// The customer's payment of one bill, as drawn from its payment stream (the draws do not depend
// on anything injected, so the stream stays aligned with older outputs).
SeriesSimulator::PaymentPlan SeriesSimulator::draw_payment(const PlannedCustomer& c, CivilDate issued, CivilDate due,
                                                           GeneratorRng& random) const {
    PaymentPlan plan;
    plan.channel = random.chance(0.8) ? c.channel : static_cast<int>(random.below(channel_codes.size()));
    const bool autopay = channel_codes[static_cast<std::size_t>(plan.channel)] == "autopay";
    const bool late = !autopay && random.chance(c.late_payer ? 0.35 : 0.02);
    const bool unpaid = !autopay && random.chance(c.late_payer ? 0.04 : 0.003);
    plan.paid = autopay ? issued + static_cast<std::int32_t>(random.between(1, 3))
                : late  ? due + static_cast<std::int32_t>(random.between(1, 45))
                        : issued + static_cast<std::int32_t>(random.between(0, 14));
    plan.exists = !unpaid && plan.paid <= plan_.payments_cutoff;
    return plan;
}

Result<Money> SeriesSimulator::late_fee(const PlannedCustomer& c, Money total, CivilDate due, CivilDate paid) const {
    LatePayment late;
    late.customer = c.category == LoadCategory::residential ? CustomerClass::residential : CustomerClass::other;
    late.paid = paid;
    late.arrears.push_back(Arrears{total, due, std::nullopt});
    GA_ASSIGN_OR_RETURN(const Recovery recovery, compute_late_payment(late, RecoveryPolicy{}));
    return recovery.total;
}

void SeriesSimulator::fail(Status status) {
    if (status_ && !status) status_ = std::move(status);
}

void SeriesSimulator::write_bills(int index, PlannedCustomer& c, const std::vector<MeterTrack>& tracks) {
    fail(try_write_bills(index, c, tracks));
}

Status SeriesSimulator::try_write_bills(int index, PlannedCustomer& c, const std::vector<MeterTrack>& tracks) {
    const SyntheticTariff& tariff = synthetic_tariff(c.tariff);
    const SyntheticTariff& correct = synthetic_tariff(c.correct_tariff);
    const bool tou = tariff.time_of_use();
    const bool two_part = tariff.tariff.basic.has_value();
    CustomerTerms terms;
    terms.capacity_kva = c.contracted_kva;
    if (c.pf_standard == 90) terms.pf_standard = PowerFactorStandard::pf_0_90;
    if (c.pf_standard == 85) terms.pf_standard = PowerFactorStandard::pf_0_85;
    if (c.pf_standard == 80) terms.pf_standard = PowerFactorStandard::pf_0_80;
    terms.supply_start = c.supply_start;
    // Per meter, the index of the last point billed from: the latest read on or before the month
    // end that opens the first billed month (consumption before it is outside the export's bills).
    std::vector<std::size_t> last(tracks.size(), 0);
    for (std::size_t t = 0; t < tracks.size(); ++t)
        for (std::size_t i = 0; i < tracks[t].points.size(); ++i)
            if (tracks[t].points[i].date <= month_ends_.front() && tracks[t].points[i].available) last[t] = i;
    GeneratorRng random(plan_.seed, RandomStream::bills, static_cast<std::uint64_t>(index));
    GeneratorRng paying(plan_.seed, RandomStream::payments, static_cast<std::uint64_t>(index));
    GeneratorRng waiving(plan_.seed, RandomStream::late_fees, static_cast<std::uint64_t>(index));
    GeneratorRng injected(plan_.seed, RandomStream::billing_anomalies,
                          (1ull << 40) + static_cast<std::uint64_t>(index));
    BillingState state;
    BillingState correct_state;
    std::int64_t billed_total = 0;
    std::int64_t correct_total = 0;
    const BillingAnomaly anomaly = c.billing_anomaly;
    bool applied = false;
    int zero_left = anomaly == BillingAnomaly::zero_with_capacity ? c.billing_months : 0;
    std::vector<std::string> zero_bills;
    Period first_zero;
    std::string own_paid_bill;  // becomes last_paid_bill_ once the customer is done
    const std::string_view number = std::string_view(c.id).substr(1);
    for (std::size_t k = 1; k < month_ends_.size(); ++k) {
        const CivilDate previous_end = month_ends_[k - 1];
        const CivilDate end = month_ends_[k];
        BillEnergy energy;
        energy.reactive = 0;
        std::int64_t demand = 0;
        bool billed = false;
        for (std::size_t t = 0; t < tracks.size(); ++t) {
            const MeterTrack& track = tracks[t];
            const PlannedMeter& meter = plan_.meters[static_cast<std::size_t>(track.meter)];
            if (track.points.empty() || meter.installed_on > end) continue;
            if (meter.removed_on && *meter.removed_on - 1 <= previous_end) continue;
            billed = true;
            const bool in_service_at_end = !meter.removed_on || *meter.removed_on > end;
            std::size_t target = track.points.size();
            for (std::size_t i = last[t] + 1; i < track.points.size(); ++i) {
                const ReadPoint& p = track.points[i];
                if ((in_service_at_end && p.kind == ReadPoint::Kind::month_end && p.date == end) ||
                    (!in_service_at_end && p.kind == ReadPoint::Kind::removal)) {
                    target = i;
                    break;
                }
            }
            if (target == track.points.size() || !track.points[target].available) continue;  // missed read
            const ReadPoint& from = track.points[last[t]];
            const ReadPoint& to = track.points[target];
            const std::int64_t multiplier = meter.recorded_multiplier;
            energy.total += (to.total - from.total) * multiplier;
            energy.peak += (to.peak - from.peak) * multiplier;
            energy.valley += (to.valley - from.valley) * multiplier;
            *energy.reactive += (to.reactive - from.reactive) * multiplier;
            if (to.kind == ReadPoint::Kind::month_end) demand = std::max(demand, to.demand * multiplier);
            last[t] = target;
        }
        if (!billed) continue;
        if (c.pf_standard == 0) energy.reactive.reset();
        const Period period = Period::of(end);
        const bool target_month = static_cast<int>(k) >= c.billing_month;
        std::string detail;
        double magnitude = 1;

        // Injected before pricing: the bill is priced consistently from what it shows.
        bool zero_bill = false;
        if (zero_left > 0 && target_month) {
            zero_bill = true;
            --zero_left;
            energy.total = energy.peak = energy.valley = 0;
            if (energy.reactive) energy.reactive = 0;
            demand = 0;
        }
        if (anomaly == BillingAnomaly::energy_vs_reads && !applied && target_month && energy.total >= 1000) {
            const std::int64_t read_total = energy.total;
            auto scaled = [&](std::int64_t value) {
                return static_cast<std::int64_t>(std::llround(static_cast<double>(value) * c.billing_factor));
            };
            energy.total = scaled(energy.total);
            energy.peak = scaled(energy.peak);
            energy.valley = scaled(energy.valley);
            if (energy.peak + energy.valley > energy.total) energy.valley = energy.total - energy.peak;
            if (energy.reactive) energy.reactive = scaled(*energy.reactive);
            magnitude = static_cast<double>(energy.total) / static_cast<double>(read_total);
            detail =
                fmt::format("bill_id=B{:04}{:02}{} period={} kwh_billed={} kwh_reads={}", period.year(), period.month(),
                            number, period.to_string(), kwh_text(energy.total), kwh_text(read_total));
            applied = true;
        }
        const std::optional<std::int64_t> billed_demand =
            two_part ? std::optional<std::int64_t>((demand + 50) / 100) : std::nullopt;
        GA_ASSIGN_OR_RETURN(const MonthBill bill, price(tariff, terms, c, period, energy, billed_demand, state));
        BillCharges charges = charges_of(bill);
        if (c.correct_tariff != c.tariff) {
            GA_ASSIGN_OR_RETURN(const MonthBill right,
                                price(correct, terms, c, period, energy, billed_demand, correct_state));
            correct_total += right.total.units();
        }

        // Injected after pricing: the bill no longer agrees with the tariff.
        if (anomaly == BillingAnomaly::recompute_mismatch && !applied && target_month) {
            int variant = c.billing_variant;
            auto component = [&](int v) -> Money& {
                return v == 1 ? charges.power_factor : v == 2 ? charges.funds : charges.energy;
            };
            if (std::abs(component(variant).units()) < Money::units_per_currency)
                variant = 0;  // too small to be off by 3-20 % in whole cents: the energy charge instead
            if (std::abs(component(variant).units()) >= Money::units_per_currency) {
                Money& changed = component(variant);
                const Money priced = changed;
                changed = Money::from_units(
                    std::llround(static_cast<double>(priced.units()) * c.billing_factor / 100.0) * 100);
                charges.total = charges.energy + charges.basic + charges.power_factor + charges.funds + charges.fixed;
                magnitude = static_cast<double>(changed.units()) / static_cast<double>(priced.units());
                constexpr std::array<std::string_view, 3> names{"energy_charge", "pf_adjustment", "surcharges"};
                detail = fmt::format("bill_id=B{:04}{:02}{} period={} component={} billed={} priced={}", period.year(),
                                     period.month(), number, period.to_string(),
                                     names[static_cast<std::size_t>(variant)], money_text(changed), money_text(priced));
                applied = true;
            }
        }
        std::string_view other_item;
        if (anomaly == BillingAnomaly::unlisted_charge && !applied && target_month) {
            charges.other = Money::from_units(c.other_charge);
            other_item = c.other_charge_item;
            charges.total += charges.other;
            magnitude = static_cast<double>(c.other_charge) / Money::units_per_currency;
            std::string item(other_item);
            std::replace(item.begin(), item.end(), ' ', '_');  // detail is space-separated key=value pairs
            detail = fmt::format("bill_id=B{:04}{:02}{} period={} other_charges={} item={}", period.year(),
                                 period.month(), number, period.to_string(), money_text(charges.other), item);
            applied = true;
        }
        billed_total += charges.total.units();

        const CivilDate issued = end + static_cast<std::int32_t>(random.between(2, 5));
        const CivilDate due = issued + 15;
        std::string bill_id = fmt::format("B{:04}{:02}{}", period.year(), period.month(), number);
        if (zero_bill) {
            if (zero_bills.empty()) first_zero = period;
            zero_bills.push_back(bill_id);
        }

        // Payment and settlement state.
        PaymentPlan payment;
        if (charges.total.units() > 0) payment = draw_payment(c, issued, due, paying);
        std::string_view payment_bill = bill_id;
        bool status_paid = charges.total.units() <= 0;
        bool charge_late_fee = true;
        std::optional<Money> injected_fee;  // late_fee_missing's under- and over-charged variants
        const bool account_target = target_month && !applied && charges.total.units() > 0;
        if (account_target && anomaly == BillingAnomaly::paid_without_payment) {
            payment.exists = false;
            status_paid = true;
            magnitude = static_cast<double>(charges.total.units()) / Money::units_per_currency;
            detail = fmt::format("bill_id={} period={} total={} payment_status=paid payments=0", bill_id,
                                 period.to_string(), money_text(charges.total));
            applied = true;
        } else if (account_target && anomaly == BillingAnomaly::payment_without_bill) {
            if (!payment.exists) {
                payment.exists = true;
                payment.paid = issued + static_cast<std::int32_t>(injected.between(0, 14));
            }
            payment_bill = c.billing_variant == 1 ? std::string_view(last_paid_bill_) : std::string_view();
            magnitude = static_cast<double>(charges.total.units()) / Money::units_per_currency;
            detail = fmt::format("bill_id={} period={} paid_on={} amount={} payment_bill_id={}", bill_id,
                                 period.to_string(), payment.paid.to_string(), money_text(charges.total),
                                 payment_bill.empty() ? std::string_view("none") : payment_bill);
            applied = true;
        } else if (account_target && anomaly == BillingAnomaly::late_fee_missing) {
            payment.exists = true;
            if (channel_codes[static_cast<std::size_t>(payment.channel)] == "autopay") payment.channel = 0;
            if (!(payment.paid > due)) payment.paid = due + static_cast<std::int32_t>(injected.between(1, 45));
            charge_late_fee = false;
            GA_ASSIGN_OR_RETURN(const Money due_fee, late_fee(c, charges.total, due, payment.paid));
            // Under-charged: half the charge; over-charged: one and a half times it (to the fen, down).
            const std::int64_t fen = Money::units_per_currency / 100;
            if (c.billing_variant == 1) injected_fee = Money::from_units(due_fee.units() / 2 / fen * fen);
            if (c.billing_variant == 2) injected_fee = Money::from_units(due_fee.units() * 3 / 2 / fen * fen);
            const Money charged = injected_fee.value_or(Money());
            magnitude = static_cast<double>(std::llabs((due_fee - charged).units())) / Money::units_per_currency;
            detail = fmt::format("bill_id={} period={} due_on={} paid_on={} late_fee_due={} late_fee_charged={}",
                                 bill_id, period.to_string(), due.to_string(), payment.paid.to_string(),
                                 money_text(due_fee), money_text(charged));
            if (c.billing_truth_row >= 0)
                plan_.truth[static_cast<std::size_t>(c.billing_truth_row)].anomaly =
                    c.billing_variant == 1   ? "account_late_fee_under_charged"
                    : c.billing_variant == 2 ? "account_late_fee_over_charged"
                                             : "account_late_fee_missing";
            applied = true;
        }
        if (payment.exists && payment_bill == bill_id) status_paid = true;
        if (!detail.empty() && c.billing_truth_row >= 0) {
            TruthRow& row = plan_.truth[static_cast<std::size_t>(c.billing_truth_row)];
            row.start = period.first_day();
            row.end = period.last_day();
            row.magnitude = magnitude;
            row.detail = std::move(detail);
        }

        CsvSink& out = sinks_.bills;
        out.field(bill_id);
        out.field(c.id);
        out.text(period.to_string());
        out.comma();
        out.fixed(energy.total, 2);
        out.comma();
        if (tou) {
            out.fixed(energy.peak, 2);
            out.comma();
            out.fixed(energy.total - energy.peak - energy.valley, 2);
            out.comma();
            out.fixed(energy.valley, 2);
            out.comma();
        } else {
            out.text(",,,");
        }
        if (energy.reactive) out.fixed(*energy.reactive, 2);
        out.comma();
        if (billed_demand) out.fixed(*billed_demand, 2);
        out.comma();
        write_money(out, charges.energy);
        out.comma();
        if (two_part) write_money(out, charges.basic);
        out.comma();
        if (terms.pf_standard && tariff.tariff.power_factor.adjusted) write_money(out, charges.power_factor);
        out.comma();
        if (!tariff.tariff.funds.empty()) write_money(out, charges.funds);
        out.comma();
        write_money(out, charges.total);
        out.comma();
        out.date(issued);
        out.comma();
        out.date(due);
        out.comma();
        if (!tariff.tariff.fixed_charges.empty() || tariff.tariff.monthly_minimum.units() != 0 ||
            tariff.tariff.yearly_minimum.units() != 0)
            write_money(out, charges.fixed);
        out.comma();
        if (!other_item.empty()) {
            write_money(out, charges.other);
            out.comma();
            out.text(other_item);
        } else {
            out.comma();
        }
        out.comma();
        out.text(status_paid ? "paid" : "unpaid");
        out.end_row();

        if (payment.exists) {
            Money fee;
            std::string_view waiver;
            std::string waiver_number;
            if (injected_fee) fee = *injected_fee;
            if (payment.paid > due && charge_late_fee) {
                GA_ASSIGN_OR_RETURN(fee, late_fee(c, charges.total, due, payment.paid));
                if (waiving.chance(0.03)) {
                    fee = Money();
                    waiver_number = fmt::format("JM{:04}{:06}", payment.paid.year(), ++waiver_number_);
                    waiver = waiver_number;
                }
            }
            write_payment(c, payment_bill, payment, charges.total, fee, waiver);
            if (payment_bill == bill_id) own_paid_bill = bill_id;
        }
    }
    if (anomaly == BillingAnomaly::zero_with_capacity && !zero_bills.empty() && c.billing_truth_row >= 0) {
        TruthRow& row = plan_.truth[static_cast<std::size_t>(c.billing_truth_row)];
        row.start = first_zero.first_day();
        row.end = (first_zero + static_cast<std::int32_t>(zero_bills.size()) - 1).last_day();
        row.magnitude = static_cast<double>(zero_bills.size());
        row.detail =
            fmt::format("bills={} first_bill_id={} last_bill_id={} kva={}", zero_bills.size(), zero_bills.front(),
                        zero_bills.back(), static_cast<std::int64_t>(std::llround(c.contracted_kva)));
        applied = zero_bills.size() >= 3;
    }
    if (!own_paid_bill.empty()) last_paid_bill_ = std::move(own_paid_bill);
    if (anomaly != BillingAnomaly::none && !applied && c.billing_truth_row >= 0)
        plan_.truth[static_cast<std::size_t>(c.billing_truth_row)].withdrawn = true;
    if (c.truth_row >= 0 && billed_total > 0)
        plan_.truth[static_cast<std::size_t>(c.truth_row)].magnitude =
            static_cast<double>(correct_total) / static_cast<double>(billed_total);
    return {};
}

void SeriesSimulator::write_payment(const PlannedCustomer& c, std::string_view bill_id, const PaymentPlan& payment,
                                    Money amount, Money fee, std::string_view waiver) {
    CsvSink& out = sinks_.payments;
    out.text("P");
    char digits[10];
    std::uint64_t n = ++payment_number_;
    for (int i = 9; i >= 0; --i, n /= 10) digits[i] = static_cast<char>('0' + n % 10);
    out.text(std::string_view(digits, 10));
    out.comma();
    out.field(bill_id);
    out.field(c.id);
    out.date(payment.paid);
    out.comma();
    write_money(out, amount);
    out.comma();
    out.text(channel_codes[static_cast<std::size_t>(payment.channel)]);
    out.comma();
    write_money(out, fee);
    out.comma();
    out.text(waiver);
    out.comma();  // notice_id: ordinary payments pay bills, not back-billing notices
    out.end_row();
    const std::size_t slot = static_cast<std::size_t>(payment.paid - first_) * channel_codes.size() +
                             static_cast<std::size_t>(payment.channel);
    if (slot >= collections_.size()) collections_.resize(slot + 1);
    collections_[slot].first += 1;
    collections_[slot].second += amount.units() + fee.units();
}

// collections.csv: one row per day and channel with payments; a few rows (the injected
// account_collection_mismatch) disagree with the payments they should sum.
Status SeriesSimulator::write_collections() {
    GeneratorRng random(plan_.seed, RandomStream::collections);
    std::vector<std::size_t> rows;
    for (std::size_t slot = 0; slot < collections_.size(); ++slot)
        if (collections_[slot].first > 0) rows.push_back(slot);
    const int wanted = std::max(5, static_cast<int>(std::lround(0.001 * static_cast<double>(plan_.customers.size()))));
    std::vector<std::size_t> pick = rows;
    for (std::size_t i = pick.size(); i > 1; --i) std::swap(pick[i - 1], pick[random.below(i)]);
    if (pick.size() > static_cast<std::size_t>(wanted)) pick.resize(static_cast<std::size_t>(wanted));
    std::sort(pick.begin(), pick.end());
    CsvSink& out = sinks_.collections;
    for (const std::size_t slot : rows) {
        std::int64_t count = collections_[slot].first;
        std::int64_t amount = collections_[slot].second;
        const CivilDate day = first_ + static_cast<std::int32_t>(slot / channel_codes.size());
        const std::string_view channel = channel_codes[slot % channel_codes.size()];
        if (std::binary_search(pick.begin(), pick.end(), slot)) {
            const std::int64_t true_amount = amount;
            const std::int64_t true_count = count;
            if (random.chance(0.25)) {
                count += count > 1 && random.chance(0.5) ? -1 : 1;
            } else {
                // 0.5-5 % of the day's total (at least 1.00) more or less: a missing or doubled deposit.
                std::int64_t delta =
                    std::llround(static_cast<double>(amount) * random.uniform(0.005, 0.05) / 100.0) * 100;
                delta = std::max<std::int64_t>(delta, Money::units_per_currency);
                amount += random.chance(0.5) && amount - delta > 0 ? -delta : delta;
            }
            plan_.truth.push_back(
                TruthRow{"collection", fmt::format("{}|{}", day.to_string(), channel), "account_collection_mismatch",
                         day, day, static_cast<double>(amount) / static_cast<double>(true_amount),
                         fmt::format("payments_recorded={} payments_true={} amount_recorded={} amount_true={}", count,
                                     true_count, money_text(Money::from_units(amount)),
                                     money_text(Money::from_units(true_amount)))});
        }
        out.date(day);
        out.comma();
        out.field(channel);
        out.integer(count);
        out.comma();
        out.fixed(amount / 100, 2);
        out.end_row();
    }
    return {};
}

}  // namespace gridaudit::simulation
