// The tariffs of an export or a run, by id and date: a tariff id may have several versions, each in
// force over [effective_from, effective_to] (both inclusive; a missing bound is open, a version
// with neither covers all time). Versions of one id must not overlap. Shared holiday calendars
// (calendar_json.hpp) are resolved into the tariffs that reference them when the book is built.
//
//   TariffBook book = TariffBook::build(tariffs, calendars)          // parsed tariffs
//   TariffBook book = TariffBook::from_documents(store.tariffs())    // the store's documents
//   Result<const Tariff*> tariff = book->find("RES-TIER", day);      // the version in force that day
//
// Thread safety: immutable once built; find() may be called from many threads. Pointers returned
// by find() stay valid as long as the book (moving the book keeps them valid).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "model/rows.hpp"
#include "tariff/calendar_json.hpp"
#include "tariff/tariff.hpp"

namespace gridaudit {

// A tariff id left out of a book because a document of it cannot be used, and why.
struct UnusableTariff {
    std::string id;
    std::string reason;  // the loader's message, naming the document
};

struct UsableTariffBook;

class TariffBook {
public:
    TariffBook() = default;

    // Builds a book from parsed tariffs (versions of one id in any order) and shared calendars.
    // Fails (user error) when two calendars share an id (naming both sources), when a tariff
    // references a calendar that is not among `calendars` (naming the tariff's source and the id),
    // or when two versions of one tariff id are in force on a common day (naming both sources).
    [[nodiscard]] static Result<TariffBook> build(std::vector<Tariff> tariffs,
                                                  std::vector<SharedCalendar> calendars = {});

    // Parses the store's documents: those declaring "kind": "calendar" are calendar documents,
    // every other one a GridAudit tariff (named "tariffs/<file>" in messages); `extra_calendars`
    // (from --calendar files, say) join the documents' calendars. Then as build().
    [[nodiscard]] static Result<TariffBook> from_documents(std::span<const TariffDocument> documents,
                                                           std::vector<SharedCalendar> extra_calendars = {});

    // As from_documents(), but a document that cannot be used (unparsable, a calendar it names
    // missing or ambiguous, versions overlapping) leaves out only its own tariff id, every version
    // of it, and says why; the other tariffs are in the book. A calendar document that cannot be
    // used is named in the reason of each tariff that references it.
    [[nodiscard]] static UsableTariffBook usable_from_documents(std::span<const TariffDocument> documents);

    // The version of tariff `id` in force on `day`. User error "no version of tariff X is in force
    // on D" (with the versions' ranges, or saying that no tariff has the id).
    [[nodiscard]] Result<const Tariff*> find(std::string_view id, CivilDate day) const;

    // Every version of `id`, in order of effective_from (an open start first); empty when unknown.
    [[nodiscard]] std::span<const Tariff> versions(std::string_view id) const;
    // The distinct tariff ids, sorted.
    [[nodiscard]] std::vector<std::string> ids() const;
    // Every version of every tariff, by id then effective_from.
    [[nodiscard]] std::span<const Tariff> tariffs() const { return tariffs_; }
    [[nodiscard]] std::span<const SharedCalendar> calendars() const { return calendars_; }
    [[nodiscard]] bool empty() const { return tariffs_.empty(); }

private:
    std::vector<Tariff> tariffs_;  // sorted by id, then effective_from
    std::vector<SharedCalendar> calendars_;
};

struct UsableTariffBook {
    TariffBook book;
    std::vector<UnusableTariff> unusable;  // by id, one entry per id
};

// "2026-01-01 to 2026-06-30", "from 2026-07-01", "until 2025-12-31", "all dates": a version's range.
[[nodiscard]] std::string effective_range_text(const Tariff& tariff);

}  // namespace gridaudit
