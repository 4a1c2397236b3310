// Strict reading of query parameters and JSON bodies (see request_parsing.hpp).
#include "server/request_parsing.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "server/api_errors.hpp"
#include "text/printable_text.hpp"

namespace gridaudit {
namespace {

std::string joined(std::span<const std::string_view> names) {
    std::string out;
    for (const std::string_view name : names) {
        if (!out.empty()) out += ", ";
        out += name;
    }
    return out;
}

std::string joined(const std::vector<std::string>& names) {
    std::vector<std::string_view> views(names.begin(), names.end());
    return joined(views);
}

// The non-empty parts of a comma-separated list.
std::vector<std::string_view> comma_separated(std::string_view text) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find(',', start);
        if (end == std::string_view::npos) end = text.size();
        if (end > start) parts.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return parts;
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

// The deepest nesting of arrays and objects in a JSON text (strings skipped), up to `limit` + 1:
// checked before parsing so that no input can make the parser or the value recurse deeply.
int nesting_depth(std::string_view text, int limit) {
    int depth = 0, deepest = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
            if (deepest > limit) return deepest;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return deepest;
}

std::string_view json_type_name(const nlohmann::json& value) {
    if (value.is_null()) return "null";
    if (value.is_boolean()) return "a boolean";
    if (value.is_number()) return "a number";
    if (value.is_string()) return "a string";
    if (value.is_array()) return "an array";
    return "an object";
}

Result<std::int64_t> json_integer(const nlohmann::json& value, std::string_view field, std::int64_t min,
                                  std::int64_t max) {
    std::int64_t number = 0;
    if (value.is_number_unsigned()) {
        const auto unsigned_value = value.get<std::uint64_t>();
        if (unsigned_value > static_cast<std::uint64_t>(max))
            return field_error(field, fmt::format("must be an integer from {} to {} ({})", min, max, unsigned_value));
        number = static_cast<std::int64_t>(unsigned_value);
    } else if (value.is_number_integer()) {
        number = value.get<std::int64_t>();
    } else {
        return field_error(field, fmt::format("must be an integer, not {}", json_type_name(value)));
    }
    if (number < min || number > max)
        return field_error(field, fmt::format("must be an integer from {} to {} ({})", min, max, number));
    return number;
}

}  // namespace

// --- query ---------------------------------------------------------------------------------------

Result<QueryParameters> QueryParameters::of(const ApiRequest& request, const ApiRoute& route) {
    QueryParameters parameters;
    for (const auto& [name, value] : request.query) {
        if (std::find(route.query.begin(), route.query.end(), name) == route.query.end()) {
            return field_error(printable_value(name),
                               route.query.empty()
                                   ? std::string("unknown query parameter (this route takes none)")
                                   : fmt::format("unknown query parameter (accepted: {})", joined(route.query)));
        }
        if (parameters.text(name)) return field_error(name, "given more than once");
        parameters.values_.emplace_back(name, value);
    }
    return parameters;
}

std::optional<std::string_view> QueryParameters::text(std::string_view name) const {
    for (const auto& [key, value] : values_)
        if (key == name) return std::string_view(value);
    return std::nullopt;
}

Result<std::optional<std::int64_t>> QueryParameters::integer(std::string_view name, std::int64_t min,
                                                             std::int64_t max) const {
    const auto value = text(name);
    if (!value) return std::nullopt;
    const auto number = parse_integer(*value);
    if (!number || *number < min || *number > max)
        return field_error(name,
                           fmt::format("must be an integer from {} to {} ({})", min, max, printable_value(*value)));
    return number;
}

Result<std::optional<double>> QueryParameters::number(std::string_view name, double min) const {
    const auto value = text(name);
    if (!value) return std::nullopt;
    double number = 0;
    const auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), number);
    if (value->empty() || error != std::errc() || end != value->data() + value->size() || !std::isfinite(number) ||
        number < min)
        return field_error(name, fmt::format("must be a number of {} or more ({})", min, printable_value(*value)));
    return number;
}

Result<std::optional<bool>> QueryParameters::boolean(std::string_view name) const {
    const auto value = text(name);
    if (!value) return std::nullopt;
    if (*value == "true") return true;
    if (*value == "false") return false;
    return field_error(name, fmt::format("must be true or false ({})", printable_value(*value)));
}

Result<std::optional<Period>> QueryParameters::period(std::string_view name) const {
    const auto value = text(name);
    if (!value) return std::nullopt;
    const auto period = Period::parse(*value);
    if (!period) return field_error(name, fmt::format("must be a month YYYY-MM ({})", printable_value(*value)));
    return period;
}

Result<std::optional<CivilDate>> QueryParameters::date(std::string_view name) const {
    const auto value = text(name);
    if (!value) return std::nullopt;
    const auto date = CivilDate::parse(*value);
    if (!date) return field_error(name, fmt::format("must be a date YYYY-MM-DD ({})", printable_value(*value)));
    return date;
}

Result<std::optional<std::string>> QueryParameters::choice(std::string_view name,
                                                           std::span<const std::string_view> names) const {
    const auto value = text(name);
    if (!value) return std::nullopt;
    if (std::find(names.begin(), names.end(), *value) == names.end())
        return field_error(name, fmt::format("must be one of {} ({})", joined(names), printable_value(*value)));
    return std::string(*value);
}

Result<PageRequest> page_request(const QueryParameters& query) {
    PageRequest page;
    GA_ASSIGN_OR_RETURN(const auto number, query.integer("page", 1, 1'000'000'000));
    GA_ASSIGN_OR_RETURN(const auto size, query.integer("page_size", 1, PageRequest::max_page_size));
    if (number) page.page = *number;
    if (size) page.page_size = *size;
    return page;
}

Result<std::vector<SortKey>> sort_request(const QueryParameters& query, std::span<const std::string_view> allowed,
                                          std::string_view default_sort) {
    const std::string_view text = query.text("sort").value_or(default_sort);
    std::vector<SortKey> keys;
    for (const std::string_view part : comma_separated(text)) {
        SortKey key;
        std::string_view field = part;
        if (field.starts_with('-')) {
            key.descending = true;
            field.remove_prefix(1);
        }
        if (std::find(allowed.begin(), allowed.end(), field) == allowed.end())
            return field_error("sort", fmt::format("cannot sort by {} (fields: {}, each optionally preceded by - "
                                                   "for descending, separated by commas)",
                                                   printable_value(field), joined(allowed)));
        if (std::any_of(keys.begin(), keys.end(), [&](const SortKey& k) { return k.field == field; }))
            return field_error("sort", fmt::format("{} is given twice", printable_value(field)));
        key.field = std::string(field);
        keys.push_back(std::move(key));
    }
    if (keys.empty()) return field_error("sort", "is empty");
    return keys;
}

nlohmann::json page_document(const PageRequest& page, std::size_t total, nlohmann::json items) {
    return nlohmann::json{
        {"items", std::move(items)}, {"page", page.page}, {"page_size", page.page_size}, {"total", total}};
}

// --- JSON bodies -----------------------------------------------------------------------------------

Result<JsonBody> JsonBody::parse(std::string_view text, std::span<const std::string_view> allowed) {
    if (nesting_depth(text, max_depth) > max_depth)
        return field_error("body", fmt::format("nested deeper than {} levels", max_depth));
    JsonBody body;
    body.document_ = nlohmann::json::parse(text, nullptr, false);
    if (body.document_.is_discarded()) return field_error("body", "is not valid JSON (UTF-8)");
    if (!body.document_.is_object())
        return field_error("body", fmt::format("must be a JSON object, not {}", json_type_name(body.document_)));
    for (const auto& [name, value] : body.document_.items()) {
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
            return field_error(name.empty() ? std::string("\"\"") : printable_value(name), allowed.empty()
                                                          ? std::string("unknown field (this route takes none)")
                                                          : fmt::format("unknown field (fields: {})", joined(allowed)));
    }
    return body;
}

bool JsonBody::has(std::string_view name) const {
    const auto found = document_.find(name);
    return found != document_.end() && !found->is_null();
}

Result<std::optional<std::string>> JsonBody::optional_text(std::string_view name, std::size_t max_length) const {
    const auto found = document_.find(name);
    if (found == document_.end() || found->is_null()) return std::nullopt;
    if (!found->is_string()) return field_error(name, fmt::format("must be a string, not {}", json_type_name(*found)));
    std::string value = found->get<std::string>();
    if (value.size() > max_length)
        return field_error(name, fmt::format("is longer than {} bytes ({})", max_length, value.size()));
    return value;
}

Result<std::string> JsonBody::text(std::string_view name, std::size_t max_length) const {
    GA_ASSIGN_OR_RETURN(auto value, optional_text(name, max_length));
    if (!value) return field_error(name, "is required");
    return std::move(*value);
}

Result<std::optional<std::int64_t>> JsonBody::optional_integer(std::string_view name, std::int64_t min,
                                                               std::int64_t max) const {
    const auto found = document_.find(name);
    if (found == document_.end() || found->is_null()) return std::nullopt;
    GA_ASSIGN_OR_RETURN(const std::int64_t value, json_integer(*found, name, min, max));
    return value;
}

Result<std::int64_t> JsonBody::integer(std::string_view name, std::int64_t min, std::int64_t max) const {
    GA_ASSIGN_OR_RETURN(const auto value, optional_integer(name, min, max));
    if (!value) return field_error(name, "is required");
    return *value;
}

Result<std::vector<std::int64_t>> JsonBody::integer_list(std::string_view name, std::size_t max_items, std::int64_t min,
                                                         std::int64_t max) const {
    const auto found = document_.find(name);
    if (found == document_.end() || found->is_null()) return field_error(name, "is required");
    if (!found->is_array())
        return field_error(name, fmt::format("must be an array of integers, not {}", json_type_name(*found)));
    if (found->empty()) return field_error(name, "must not be empty");
    if (found->size() > max_items)
        return field_error(name, fmt::format("has more than {} items ({})", max_items, found->size()));
    std::vector<std::int64_t> values;
    for (std::size_t i = 0; i < found->size(); ++i) {
        GA_ASSIGN_OR_RETURN(const std::int64_t value,
                            json_integer((*found)[i], fmt::format("{}[{}]", name, i), min, max));
        values.push_back(value);
    }
    return values;
}

Result<std::optional<CivilDate>> JsonBody::optional_date(std::string_view name) const {
    GA_ASSIGN_OR_RETURN(const auto text, optional_text(name, 10));
    if (!text) return std::nullopt;
    const auto date = CivilDate::parse(*text);
    if (!date) return field_error(name, fmt::format("must be a date YYYY-MM-DD ({})", printable_value(*text)));
    return date;
}

bool has_media_type(std::string_view content_type, std::string_view media_type) {
    const std::size_t end = content_type.find(';');
    std::string_view type = content_type.substr(0, end);
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
    std::string lower(type);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    return lower == media_type;
}

bool is_json_content_type(std::string_view content_type) {
    return has_media_type(content_type, "application/json");
}

}  // namespace gridaudit
