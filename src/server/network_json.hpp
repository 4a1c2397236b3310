// The JSON pieces the read and network routes share when they describe the network: a number (null
// when not finite), a node kind's name and the balance levels a query may name (`level=`), so the
// line-loss routes and the loss table spell the network alike.
// Thread safety: stateless.
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <string_view>

#include "engine/balance/energy_balance.hpp"
#include "frame/region_frame.hpp"  // NodeKind

namespace gridaudit {

// The names `level=` accepts, from the area up.
inline constexpr std::array<std::string_view, 4> balance_level_names{"area", "feeder", "bus", "substation"};

// `value`, or null when it is NaN or infinite.
[[nodiscard]] nlohmann::json number_json(double value);

// "substation", "bus", "feeder" or "area".
[[nodiscard]] std::string_view node_kind_name(NodeKind kind);

// The level named `name`, one of balance_level_names (anything else is the area).
[[nodiscard]] BalanceLevel balance_level_named(std::string_view name);

}  // namespace gridaudit
