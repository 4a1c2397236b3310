// Strong identifiers: a customer id cannot be passed where a meter id is expected.
//
// `Key<Tag>` is the utility's own textual id as exported ("C0001234"); `Index<Tag>` is a dense
// position in a loaded frame (0..n-1), used by the engine's columnar arrays.
// Thread safety: value types.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>

namespace gridaudit {

template <class Tag>
class Key {
public:
    Key() = default;
    explicit Key(std::string value) : value_(std::move(value)) {}
    [[nodiscard]] const std::string& str() const { return value_; }
    [[nodiscard]] bool empty() const { return value_.empty(); }
    auto operator<=>(const Key&) const = default;

private:
    std::string value_;
};

template <class Tag>
class Index {
public:
    static constexpr std::uint32_t none_value = UINT32_MAX;
    constexpr Index() = default;
    constexpr explicit Index(std::uint32_t value) : value_(value) {}
    [[nodiscard]] constexpr std::uint32_t value() const { return value_; }
    [[nodiscard]] constexpr bool valid() const { return value_ != none_value; }
    constexpr auto operator<=>(const Index&) const = default;

private:
    std::uint32_t value_ = none_value;
};

struct CustomerTag {};
struct MeterTag {};
struct NodeTag {};
struct OrgUnitTag {};
struct StaffTag {};
struct BatchTag {};

using CustomerKey = Key<CustomerTag>;
using MeterKey = Key<MeterTag>;
using NodeKey = Key<NodeTag>;
using OrgUnitKey = Key<OrgUnitTag>;
using StaffKey = Key<StaffTag>;

using CustomerIndex = Index<CustomerTag>;
using MeterIndex = Index<MeterTag>;
using NodeIndex = Index<NodeTag>;

}  // namespace gridaudit

template <class Tag>
struct std::hash<gridaudit::Key<Tag>> {
    std::size_t operator()(const gridaudit::Key<Tag>& key) const noexcept { return std::hash<std::string>{}(key.str()); }
};
