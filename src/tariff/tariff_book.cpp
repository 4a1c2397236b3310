// Tariff versions by date and shared calendars (see tariff_book.hpp).
#include "tariff/tariff_book.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "tariff/tariff_json.hpp"

namespace gridaudit {
namespace {

// An open start sorts (and compares) before every date.
bool starts_before(const Tariff& a, const Tariff& b) {
    if (!a.effective_from) return b.effective_from.has_value();
    return b.effective_from && *a.effective_from < *b.effective_from;
}

bool in_force(const Tariff& tariff, CivilDate day) {
    return (!tariff.effective_from || *tariff.effective_from <= day) &&
           (!tariff.effective_to || day <= *tariff.effective_to);
}

struct ById {
    bool operator()(const Tariff& tariff, std::string_view id) const { return tariff.id < id; }
    bool operator()(std::string_view id, const Tariff& tariff) const { return id < tariff.id; }
};

}  // namespace

std::string effective_range_text(const Tariff& tariff) {
    if (tariff.effective_from && tariff.effective_to)
        return fmt::format("{} to {}", tariff.effective_from->to_string(), tariff.effective_to->to_string());
    if (tariff.effective_from) return fmt::format("from {}", tariff.effective_from->to_string());
    if (tariff.effective_to) return fmt::format("until {}", tariff.effective_to->to_string());
    return "all dates";
}

Result<TariffBook> TariffBook::build(std::vector<Tariff> tariffs, std::vector<SharedCalendar> calendars) {
    std::stable_sort(calendars.begin(), calendars.end(),
                     [](const SharedCalendar& a, const SharedCalendar& b) { return a.id < b.id; });
    for (std::size_t i = 1; i < calendars.size(); ++i) {
        if (calendars[i].id == calendars[i - 1].id)
            return user_error(fmt::format("calendar {} is defined twice: in {} and in {}", calendars[i].id,
                                          calendars[i - 1].source, calendars[i].source));
    }
    for (Tariff& tariff : tariffs) GA_TRY(resolve_calendar(tariff, calendars));
    std::stable_sort(tariffs.begin(), tariffs.end(), [](const Tariff& a, const Tariff& b) {
        if (a.id != b.id) return a.id < b.id;
        return starts_before(a, b);
    });
    // Sorted by start, two versions overlap exactly when some neighbours do.
    for (std::size_t i = 1; i < tariffs.size(); ++i) {
        const Tariff& earlier = tariffs[i - 1];
        const Tariff& later = tariffs[i];
        if (earlier.id != later.id) continue;
        const bool overlap = !earlier.effective_to || !later.effective_from || *later.effective_from <= *earlier.effective_to;
        if (!overlap) continue;
        // The first common day is the later start; with two open starts, every day up to the earlier end.
        std::string common = "on every date";
        if (later.effective_from) {
            common = fmt::format("on {}", later.effective_from->to_string());
        } else if (earlier.effective_to || later.effective_to) {
            const CivilDate end = !earlier.effective_to ? *later.effective_to
                                  : !later.effective_to ? *earlier.effective_to
                                                        : std::min(*earlier.effective_to, *later.effective_to);
            common = fmt::format("until {}", end.to_string());
        }
        return user_error(fmt::format("tariff {}: versions overlap: {} ({}) and {} ({}) are both in force {}", later.id,
                                      earlier.source, effective_range_text(earlier), later.source,
                                      effective_range_text(later), common));
    }
    TariffBook book;
    book.tariffs_ = std::move(tariffs);
    book.calendars_ = std::move(calendars);
    return book;
}

Result<TariffBook> TariffBook::from_documents(std::span<const TariffDocument> documents,
                                              std::vector<SharedCalendar> extra_calendars) {
    std::vector<Tariff> tariffs;
    std::vector<SharedCalendar> calendars = std::move(extra_calendars);
    for (const TariffDocument& document : documents) {
        const std::string source = document.file.empty() ? document.id : "tariffs/" + document.file;
        if (is_calendar_document(document.json)) {
            GA_ASSIGN_OR_RETURN(SharedCalendar calendar, parse_calendar_json(document.json, source));
            calendars.push_back(std::move(calendar));
            continue;
        }
        GA_ASSIGN_OR_RETURN(Tariff tariff, parse_tariff_json(document.json, source));
        tariffs.push_back(std::move(tariff));
    }
    return build(std::move(tariffs), std::move(calendars));
}

UsableTariffBook TariffBook::usable_from_documents(std::span<const TariffDocument> documents) {
    std::map<std::string, std::string> unusable;  // id -> reason
    const auto leave_out = [&](const std::string& id, std::string reason) {
        auto [at, inserted] = unusable.try_emplace(id, std::move(reason));
        (void)at;
        (void)inserted;  // the first reason is kept
    };
    std::vector<Tariff> tariffs;
    std::vector<SharedCalendar> calendars;
    std::map<std::string, std::string> bad_calendars;  // calendar id -> reason
    for (const TariffDocument& document : documents) {
        const std::string source = document.file.empty() ? document.id : "tariffs/" + document.file;
        if (is_calendar_document(document.json)) {
            auto calendar = parse_calendar_json(document.json, source);
            if (calendar)
                calendars.push_back(std::move(*calendar));
            else
                bad_calendars.try_emplace(document.id, calendar.error().message());
            continue;
        }
        auto tariff = parse_tariff_json(document.json, source);
        if (!tariff) {
            leave_out(document.id, tariff.error().message());
            continue;
        }
        if (tariff->id != document.id)
            leave_out(document.id, fmt::format("{} declares id {}, stored as {}", source, tariff->id, document.id));
        tariffs.push_back(std::move(*tariff));
    }
    // A calendar id defined twice is ambiguous: neither definition is used.
    std::stable_sort(calendars.begin(), calendars.end(),
                     [](const SharedCalendar& a, const SharedCalendar& b) { return a.id < b.id; });
    for (std::size_t i = 1; i < calendars.size(); ++i)
        if (calendars[i].id == calendars[i - 1].id)
            bad_calendars.try_emplace(calendars[i].id,
                                      fmt::format("calendar {} is defined twice: in {} and in {}", calendars[i].id,
                                                  calendars[i - 1].source, calendars[i].source));
    std::erase_if(calendars, [&](const SharedCalendar& c) { return bad_calendars.contains(c.id); });
    for (Tariff& tariff : tariffs) {
        if (tariff.calendar_pending && bad_calendars.contains(tariff.calendar_id)) {
            leave_out(tariff.id, fmt::format("{} references calendar {}, which cannot be used: {}", tariff.source,
                                             tariff.calendar_id, bad_calendars.at(tariff.calendar_id)));
            continue;
        }
        if (auto resolved = resolve_calendar(tariff, calendars); !resolved) leave_out(tariff.id, resolved.error().message());
    }
    // Versions that overlap: build() names them; the id is left out and the rest built again.
    for (;;) {
        std::erase_if(tariffs, [&](const Tariff& t) { return unusable.contains(t.id); });
        auto built = build(tariffs, calendars);
        if (built) {
            UsableTariffBook result{std::move(*built), {}};
            for (auto& [id, reason] : unusable) result.unusable.push_back({id, std::move(reason)});
            return result;
        }
        // build() fails only on overlapping versions here (calendars are unique and resolved):
        // find the id it names.
        std::stable_sort(tariffs.begin(), tariffs.end(), [](const Tariff& a, const Tariff& b) {
            if (a.id != b.id) return a.id < b.id;
            return starts_before(a, b);
        });
        std::optional<std::string> overlapping;
        for (std::size_t i = 1; i < tariffs.size() && !overlapping; ++i) {
            const Tariff& earlier = tariffs[i - 1];
            const Tariff& later = tariffs[i];
            if (earlier.id == later.id &&
                (!earlier.effective_to || !later.effective_from || *later.effective_from <= *earlier.effective_to))
                overlapping = later.id;
        }
        if (!overlapping) {  // not an overlap after all: no tariff can be trusted
            UsableTariffBook result;
            for (const Tariff& t : tariffs) unusable.try_emplace(t.id, built.error().message());
            for (auto& [id, reason] : unusable) result.unusable.push_back({id, std::move(reason)});
            return result;
        }
        leave_out(*overlapping, built.error().message());
    }
}

std::span<const Tariff> TariffBook::versions(std::string_view id) const {
    const auto [first, last] = std::equal_range(tariffs_.begin(), tariffs_.end(), id, ById{});
    return {first, last};
}

Result<const Tariff*> TariffBook::find(std::string_view id, CivilDate day) const {
    const std::span<const Tariff> candidates = versions(id);
    for (const Tariff& tariff : candidates)
        if (in_force(tariff, day)) return &tariff;
    if (candidates.empty())
        return user_error(
            fmt::format("no version of tariff {} is in force on {}: no tariff has this id", id, day.to_string()));
    std::string ranges;
    for (const Tariff& tariff : candidates)
        ranges += fmt::format("{}{} ({})", ranges.empty() ? "" : ", ", effective_range_text(tariff), tariff.source);
    return user_error(
        fmt::format("no version of tariff {} is in force on {} (versions: {})", id, day.to_string(), ranges));
}

std::vector<std::string> TariffBook::ids() const {
    std::vector<std::string> ids;
    for (const Tariff& tariff : tariffs_)
        if (ids.empty() || ids.back() != tariff.id) ids.push_back(tariff.id);
    return ids;
}

}  // namespace gridaudit
