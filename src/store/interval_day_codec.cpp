// The packed interval day row: encoding, decoding, the merge of a batch into a day, and the
// placement of days into a 15-minute matrix (shared by the SQLite and PostgreSQL stores).
#include "store/interval_day_codec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "store/series_codec.hpp"

namespace gridaudit {
namespace {

std::string flags_text(std::uint8_t flags) {
    static const auto& codes = find_table("ami_interval")->column("flags")->codes;
    std::string text;
    for (std::size_t bit = 0; bit < codes.size(); ++bit) {
        if ((flags >> bit & 1) == 0) continue;
        if (!text.empty()) text += '|';
        text += codes[bit];
    }
    return text;
}

std::optional<std::string> kwh_text(double kwh) {
    if (std::isnan(kwh)) return std::nullopt;
    return fmt::format("{}", kwh);
}

}  // namespace

std::int32_t utc_day_of(std::int64_t unix_seconds) {
    const std::int64_t day =
        unix_seconds >= 0 ? unix_seconds / seconds_per_day : -((-unix_seconds + seconds_per_day - 1) / seconds_per_day);
    return static_cast<std::int32_t>(day);
}

void PackedDay::encode(const std::vector<Interval>& intervals) {
    gaps.clear();
    minutes.clear();
    kwh.clear();
    flag_bytes.clear();
    any_flag = false;
    std::int64_t previous_end = 0;
    for (const auto& interval : intervals) {
        gaps.push_back(interval.offset - previous_end);
        previous_end = interval.offset + interval.minutes * 60;
        minutes.push_back(interval.minutes);
        kwh.push_back(interval.kwh);
        flag_bytes.push_back(interval.flags);
        any_flag = any_flag || interval.flags != 0;
    }
    gap_bytes.clear();
    minute_bytes.clear();
    kwh_bytes.clear();
    encode_integer_column(gaps, gap_bytes);
    encode_integer_column(minutes, minute_bytes);
    encode_value_column(kwh, kwh_bytes);
}

bool decode_day(std::int64_t count, std::span<const std::uint8_t> gap_bytes, std::span<const std::uint8_t> minute_bytes,
                std::span<const std::uint8_t> kwh_bytes, std::span<const std::uint8_t> flag_bytes, bool has_flags,
                PackedDay& scratch, std::vector<Interval>& intervals) {
    if (count < 0 || integer_column_size(gap_bytes) != static_cast<std::size_t>(count)) return false;
    const auto size = static_cast<std::size_t>(count);
    scratch.gaps.resize(size);
    scratch.minutes.resize(size);
    scratch.kwh.resize(size);
    if (!decode_integer_column(gap_bytes, scratch.gaps) || !decode_integer_column(minute_bytes, scratch.minutes) ||
        !decode_value_column(kwh_bytes, scratch.kwh) || (has_flags && flag_bytes.size() != size))
        return false;
    intervals.clear();
    std::int64_t previous_end = 0;
    for (std::size_t i = 0; i < size; ++i) {
        const std::int64_t offset = previous_end + scratch.gaps[i];
        previous_end = offset + scratch.minutes[i] * 60;
        const std::uint8_t flags = has_flags ? flag_bytes[i] : std::uint8_t{0};
        intervals.push_back(Interval{offset, scratch.minutes[i], scratch.kwh[i], flags});
    }
    return true;
}

Result<bool> merge_interval_day(const IntervalSeriesRows& batch, std::span<const std::uint32_t> rows, std::int32_t day,
                                std::string_view meter_id, std::vector<Interval>& stored_intervals, TableChange& change,
                                const IntervalCorrection& record) {
    const std::int64_t day_start = static_cast<std::int64_t>(day) * seconds_per_day;
    bool changed = false;
    for (const auto row : rows) {
        const Interval incoming{batch.start[row] - day_start, batch.minutes[row], batch.kwh[row], batch.flags[row]};
        const auto at =
            std::lower_bound(stored_intervals.begin(), stored_intervals.end(), incoming.offset,
                             [](const Interval& interval, std::int64_t offset) { return interval.offset < offset; });
        if (at == stored_intervals.end() || at->offset != incoming.offset) {
            stored_intervals.insert(at, incoming);
            ++change.inserted;
            changed = true;
            continue;
        }
        Interval& stored = *at;
        std::string row_key;
        const auto key = [&]() -> const std::string& {
            if (row_key.empty())
                row_key = fmt::format("{}|{}", meter_id, Instant::from_unix_seconds(batch.start[row]).to_string(0));
            return row_key;
        };
        bool corrected = false;
        if (stored.minutes != incoming.minutes) {
            GA_TRY(record(key(), "minutes", fmt::format("{}", stored.minutes), fmt::format("{}", incoming.minutes)));
            stored.minutes = incoming.minutes;
            corrected = true;
        }
        if (!std::isnan(incoming.kwh) && stored.kwh != incoming.kwh) {  // empty never overwrites
            GA_TRY(record(key(), "kwh", kwh_text(stored.kwh), kwh_text(incoming.kwh)));
            stored.kwh = incoming.kwh;
            corrected = true;
        }
        if (stored.flags != incoming.flags) {
            GA_TRY(record(key(), "flags", flags_text(stored.flags), flags_text(incoming.flags)));
            stored.flags = incoming.flags;
            corrected = true;
        }
        ++(corrected ? change.corrected : change.unchanged);
        changed = changed || corrected;
    }
    return changed;
}

IntervalPlacer::IntervalPlacer(IntervalMatrix& matrix, std::int64_t range_start)
    : matrix_(matrix),
      range_start_(range_start),
      range_end_(range_start + static_cast<std::int64_t>(matrix.day_count) * seconds_per_day) {}

std::size_t IntervalPlacer::add_meter(std::string meter_id) {
    matrix_.meter_ids.push_back(std::move(meter_id));
    const std::size_t length = matrix_.row_length();
    matrix_.kwh.resize(matrix_.kwh.size() + length, std::numeric_limits<double>::quiet_NaN());
    matrix_.flags.resize(matrix_.flags.size() + length, 0);
    matrix_.stored.resize(matrix_.stored.size() + static_cast<std::size_t>(matrix_.day_count), 0);
    matrix_.coarse_intervals.push_back(0);
    return matrix_.meter_ids.size() - 1;
}

void IntervalPlacer::place_day(std::size_t row, std::int64_t day_start, const std::vector<Interval>& intervals) {
    for (const auto& interval : intervals) place_interval(row, day_start + interval.offset, interval);
}

void IntervalPlacer::place_interval(std::size_t row, std::int64_t start, const Interval& interval) {
    constexpr std::int64_t slot_seconds = IntervalMatrix::slot_minutes * 60;
    if (start < range_start_ || start >= range_end_) return;
    const std::int64_t relative = start - range_start_;
    const auto day = static_cast<std::size_t>(relative / seconds_per_day);
    auto& stored = matrix_.stored[row * static_cast<std::size_t>(matrix_.day_count) + day];
    if (stored < std::numeric_limits<std::uint16_t>::max()) ++stored;
    if (interval.minutes > IntervalMatrix::slot_minutes) {
        ++matrix_.coarse_intervals[row];
        return;
    }
    const bool five_minutes = interval.minutes == 5;
    if (relative % (five_minutes ? 300 : slot_seconds) != 0 || (!five_minutes && interval.minutes != 15)) {
        matrix_.off_grid_meter.push_back(static_cast<std::uint32_t>(row));
        matrix_.off_grid_start.push_back(start);
        return;
    }
    const std::size_t at = row * matrix_.row_length() + static_cast<std::size_t>(relative / slot_seconds);
    if (parts_.size() < matrix_.row_length()) parts_.assign(matrix_.row_length(), 0);
    std::uint8_t& parts = parts_[at - row * matrix_.row_length()];
    const std::uint8_t added = five_minutes ? 1 : 3;
    // A first part sets the slot; later parts add up (a missing part makes the sum NaN).
    matrix_.kwh[at] = parts == 0 ? interval.kwh : matrix_.kwh[at] + interval.kwh;
    matrix_.flags[at] |= interval.flags;
    if (parts == 0) touched_.push_back(at - row * matrix_.row_length());
    parts = static_cast<std::uint8_t>(std::min(255, parts + added));
}

void IntervalPlacer::finish_meter(std::size_t row) {
    const std::size_t base = row * matrix_.row_length();
    for (const std::size_t slot : touched_) {
        if (parts_[slot] != 3) matrix_.kwh[base + slot] = std::numeric_limits<double>::quiet_NaN();
        parts_[slot] = 0;
    }
    touched_.clear();
}

void drop_meters_without_intervals(IntervalMatrix& matrix) {
    std::size_t kept = 0;
    const std::size_t length = matrix.row_length();
    const auto days = static_cast<std::size_t>(matrix.day_count);
    std::vector<std::uint32_t> new_row(matrix.meter_count());
    for (std::size_t m = 0; m < matrix.meter_count(); ++m) {
        new_row[m] = static_cast<std::uint32_t>(kept);
        if (!matrix.has_intervals(m)) continue;
        if (kept != m) {
            matrix.meter_ids[kept] = std::move(matrix.meter_ids[m]);
            std::copy_n(matrix.kwh.begin() + static_cast<std::ptrdiff_t>(m * length), length,
                        matrix.kwh.begin() + static_cast<std::ptrdiff_t>(kept * length));
            std::copy_n(matrix.flags.begin() + static_cast<std::ptrdiff_t>(m * length), length,
                        matrix.flags.begin() + static_cast<std::ptrdiff_t>(kept * length));
            std::copy_n(matrix.stored.begin() + static_cast<std::ptrdiff_t>(m * days), days,
                        matrix.stored.begin() + static_cast<std::ptrdiff_t>(kept * days));
            matrix.coarse_intervals[kept] = matrix.coarse_intervals[m];
        }
        ++kept;
    }
    if (kept == matrix.meter_count()) return;
    // Off-grid starts lie inside the range, so their meters have intervals and are kept.
    for (auto& row : matrix.off_grid_meter) row = new_row[row];
    matrix.meter_ids.resize(kept);
    matrix.kwh.resize(kept * length);
    matrix.flags.resize(kept * length);
    matrix.stored.resize(kept * days);
    matrix.coarse_intervals.resize(kept);
}

Result<IntervalRange> interval_range(IntervalMatrix& matrix, CivilDate first, CivilDate last, int utc_offset_minutes) {
    matrix.first_day = first;
    matrix.utc_offset_minutes = utc_offset_minutes;
    if (last < first) return IntervalRange{};
    if (utc_offset_minutes < -24 * 60 || utc_offset_minutes > 24 * 60)
        return user_error(fmt::format("UTC offset of {} minutes is out of range", utc_offset_minutes));
    matrix.day_count = last - first + 1;
    IntervalRange range;
    range.range_start =
        static_cast<std::int64_t>(first.days_since_epoch()) * seconds_per_day - std::int64_t{utc_offset_minutes} * 60;
    const std::int64_t range_end = range.range_start + static_cast<std::int64_t>(matrix.day_count) * seconds_per_day;
    range.first_utc_day = CivilDate::from_days(utc_day_of(range.range_start)).to_string();
    range.last_utc_day = CivilDate::from_days(utc_day_of(range_end - 1)).to_string();
    return range;
}

}  // namespace gridaudit
