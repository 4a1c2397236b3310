// The fuzz targets' invariant check: a broken invariant aborts, which libFuzzer reports as a crash
// and saves the input under build/fuzz/artifacts/ (fuzz/run-briefly.sh, run-long.sh).
#pragma once

#include <cstdlib>

namespace gridaudit::fuzzing {

inline void require(bool condition) {
    if (!condition) std::abort();
}

}  // namespace gridaudit::fuzzing
