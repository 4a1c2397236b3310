// Deterministic pseudo-random numbers for the synthetic utility.
//
// splitmix64 seeds an xoshiro256** generator per (seed, stream, index), so every customer, meter
// or area draws from its own independent stream and changing one part of the generator does not
// shift the numbers of the others. Distributions are built from IEEE basic operations only
// (+, -, *, /, sqrt, ldexp) -- never std:: distributions or libm's exp/log, whose results differ
// between library versions -- so the same seed gives the same numbers on any platform.
// Thread safety: GeneratorRng is a value; give each thread its own.
#pragma once

#include <cmath>
#include <cstdint>

namespace gridaudit {

// Purpose of a random stream. Never renumber: the values are part of the output's determinism.
enum class RandomStream : std::uint64_t {
    categories = 1,
    customer_attributes = 2,
    network = 3,
    customer_dates = 4,
    meters = 5,
    anomalies = 6,
    consumption = 7,
    area_losses = 8,
    ami_gaps = 9,
    reads = 10,
    bills = 11,
    payments = 12,
    events = 13,
    intervals = 14,
    work_orders = 15,
    names = 16,
    weather = 17,
    staff = 18,
    reading_anomalies = 19,    // wrong reads and reversed meters, drawn after every older anomaly
    billing_anomalies = 20,    // billing and account anomalies, drawn after the work orders
    late_fees = 21,            // waived late-payment charges
    collections = 22,          // daily collection totals that disagree with their payments
    temporary_anomalies = 23,  // temporary supplies left connected past their end
    meter_anomalies = 24,      // metering-device anomalies (meter_anomaly_plan)
    process_anomalies = 25,    // work orders, suspensions, categories and transfer supply (process_anomaly_plan)
    loss_anomalies = 26,       // outage events every meter behind an area records (loss_anomaly_plan)
    master_anomalies = 27,     // duplicate accounts and customers filed under no area (master_anomaly_plan)
    theft_scenario = 28,       // the interval theft scenario's areas and attacks (theft_scenario.hpp)
    bus_anomalies = 29,        // unmetered outgoing circuits on buses (loss_anomaly_plan.cpp)
};

[[nodiscard]] constexpr std::uint64_t splitmix64_next(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// e^x from basic operations: x = k ln2 + r, |r| <= ln2/2, a degree-13 Taylor polynomial for e^r
// (relative error below 1e-16) and an exact scaling by 2^k.
[[nodiscard]] inline double deterministic_exp(double x) {
    if (x > 700) x = 700;
    if (x < -700) x = -700;
    constexpr double ln2 = 0.69314718055994530942;
    const double k = std::floor(x / ln2 + 0.5);
    const double r = x - k * ln2;
    double term = 1;
    double sum = 1;
    for (int n = 1; n <= 13; ++n) {
        term = term * r / n;
        sum += term;
    }
    return std::ldexp(sum, static_cast<int>(k));
}

class GeneratorRng {
public:
    GeneratorRng(std::uint64_t seed, RandomStream stream, std::uint64_t index = 0) {
        std::uint64_t state = seed;
        std::uint64_t mixed = splitmix64_next(state);
        state = mixed ^ (static_cast<std::uint64_t>(stream) * 0xd1342543de82ef95ULL);
        mixed = splitmix64_next(state);
        state = mixed ^ (index * 0xc2b2ae3d27d4eb4fULL + 0x165667b19e3779f9ULL);
        for (auto& word : state_) word = splitmix64_next(state);
    }

    // xoshiro256** (Blackman and Vigna).
    std::uint64_t next() {
        const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
        const std::uint64_t t = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = rotl(state_[3], 45);
        return result;
    }

    // Uniform in [0, 1).
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    // Uniform in [low, high).
    double uniform(double low, double high) { return low + (high - low) * uniform(); }
    // Uniform integer in [0, count). REQUIRES: count > 0.
    std::uint64_t below(std::uint64_t count) {
        __extension__ using wide = unsigned __int128;  // GCC and Clang
        return static_cast<std::uint64_t>((static_cast<wide>(next()) * count) >> 64);
    }
    // Uniform integer in [low, high] (both inclusive). REQUIRES: low <= high.
    std::int64_t between(std::int64_t low, std::int64_t high) {
        return low + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(high - low) + 1));
    }
    bool chance(double probability) { return uniform() < probability; }

    // Approximately standard normal: the Irwin-Hall sum of four 16-bit uniforms of one draw,
    // centred and scaled to unit variance (range +-3.46). Cheap enough for every daily value.
    double normal() {
        const std::uint64_t bits = next();
        const double sum = static_cast<double>(bits & 0xffff) + static_cast<double>((bits >> 16) & 0xffff) +
                           static_cast<double>((bits >> 32) & 0xffff) + static_cast<double>(bits >> 48);
        constexpr double sqrt3 = 1.7320508075688772;
        return ((sum + 2.0) / 65536.0 - 2.0) * sqrt3;
    }

    // Lognormal with the given median and log-scale sigma.
    double lognormal(double median, double sigma) { return median * deterministic_exp(sigma * normal()); }

    // Index drawn with probability proportional to weights[i]. REQUIRES: positive total weight.
    template <class Weights>
    std::size_t weighted(const Weights& weights) {
        double total = 0;
        for (double w : weights) total += w;
        double pick = uniform() * total;
        std::size_t i = 0;
        for (double w : weights) {
            if (pick < w) return i;
            pick -= w;
            ++i;
        }
        return i - 1;
    }

private:
    static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t state_[4] = {};
};

}  // namespace gridaudit
