// Reading a request's input strictly, every refusal a 400 naming the parameter or field
// (api_errors.hpp's field_error): the query parameters a route accepts (an unknown or repeated one
// is refused), paging (`page` from 1, `page_size` 1..500, default 50) and sorting (`sort=field` or
// `sort=-field`, comma-separated keys, among the fields a route allows), and a JSON body: one
// object of at most 64 levels, only the fields the route knows, each of the type it expects.
// Thread safety: values; const methods may be called from several threads.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "server/api_request.hpp"
#include "server/api_routes.hpp"

namespace gridaudit {

class QueryParameters {
public:
    // The request's query checked against the route: each parameter known and given once.
    [[nodiscard]] static Result<QueryParameters> of(const ApiRequest& request, const ApiRoute& route);

    [[nodiscard]] std::optional<std::string_view> text(std::string_view name) const;
    [[nodiscard]] Result<std::optional<std::int64_t>> integer(std::string_view name, std::int64_t min,
                                                              std::int64_t max) const;
    [[nodiscard]] Result<std::optional<double>> number(std::string_view name, double min) const;
    [[nodiscard]] Result<std::optional<bool>> boolean(std::string_view name) const;    // true/false
    [[nodiscard]] Result<std::optional<Period>> period(std::string_view name) const;   // YYYY-MM
    [[nodiscard]] Result<std::optional<CivilDate>> date(std::string_view name) const;  // YYYY-MM-DD
    // One of `names` (a closed vocabulary, e.g. a level), or nullopt when absent.
    [[nodiscard]] Result<std::optional<std::string>> choice(std::string_view name,
                                                            std::span<const std::string_view> names) const;

private:
    std::vector<std::pair<std::string, std::string>> values_;
};

struct PageRequest {
    std::int64_t page = 1;  // from 1
    std::int64_t page_size = 50;
    static constexpr std::int64_t max_page_size = 500;

    [[nodiscard]] std::size_t offset() const { return static_cast<std::size_t>((page - 1) * page_size); }
};
[[nodiscard]] Result<PageRequest> page_request(const QueryParameters& query);

struct SortKey {
    std::string field;
    bool descending = false;
};
// The `sort` parameter (or `default_sort` when absent) as keys among `allowed`.
[[nodiscard]] Result<std::vector<SortKey>> sort_request(const QueryParameters& query,
                                                        std::span<const std::string_view> allowed,
                                                        std::string_view default_sort);

// `{"items": [...], "page", "page_size", "total"}`: the page of `items` (all matching, sorted).
[[nodiscard]] nlohmann::json page_document(const PageRequest& page, std::size_t total, nlohmann::json items);

// A JSON object body with the fields a route accepts.
class JsonBody {
public:
    static constexpr int max_depth = 64;

    // REQUIRES: `allowed` names every field the route reads.
    [[nodiscard]] static Result<JsonBody> parse(std::string_view text, std::span<const std::string_view> allowed);

    [[nodiscard]] bool has(std::string_view name) const;
    [[nodiscard]] Result<std::string> text(std::string_view name, std::size_t max_length) const;  // required
    [[nodiscard]] Result<std::optional<std::string>> optional_text(std::string_view name, std::size_t max_length) const;
    [[nodiscard]] Result<std::int64_t> integer(std::string_view name, std::int64_t min, std::int64_t max) const;
    [[nodiscard]] Result<std::optional<std::int64_t>> optional_integer(std::string_view name, std::int64_t min,
                                                                       std::int64_t max) const;
    // A non-empty list of at most `max_items` integers in [min, max], each named "name[i]".
    [[nodiscard]] Result<std::vector<std::int64_t>> integer_list(std::string_view name, std::size_t max_items,
                                                                 std::int64_t min, std::int64_t max) const;
    [[nodiscard]] Result<std::optional<CivilDate>> optional_date(std::string_view name) const;
    [[nodiscard]] const nlohmann::json& document() const { return document_; }

private:
    nlohmann::json document_;
};

// Whether the content type is `media_type` (lower case, e.g. "text/csv"), in any case, parameters
// such as charset allowed.
[[nodiscard]] bool has_media_type(std::string_view content_type, std::string_view media_type);
// Whether the content type is JSON ("application/json", parameters such as charset allowed).
[[nodiscard]] bool is_json_content_type(std::string_view content_type);

}  // namespace gridaudit
