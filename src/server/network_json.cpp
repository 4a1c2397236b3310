// The JSON pieces of the network shared by the read and network routes (see network_json.hpp).
#include "server/network_json.hpp"

#include <cmath>

#include "analysis/loss_analysis.hpp"  // balance_level(NodeKind)

namespace gridaudit {

nlohmann::json number_json(double value) {
    return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

std::string_view node_kind_name(NodeKind kind) {
    return balance_level_name(balance_level(kind));
}

BalanceLevel balance_level_named(std::string_view name) {
    return name == "substation" ? BalanceLevel::substation
           : name == "bus"      ? BalanceLevel::bus
           : name == "feeder"   ? BalanceLevel::feeder
                                : BalanceLevel::area;
}

}  // namespace gridaudit
