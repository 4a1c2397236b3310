// A case of the closed loop and what is shown with it. The plain shapes (CaseState, Conclusion,
// Case, CaseEvent, ...) live in model/case_record.hpp so that the store and the frames the SHARE
// rules read share them; this header is where the cases layer and its callers (the CLI, the
// server) take them from.
// Thread safety: plain data.
#pragma once

#include <vector>

#include "model/case_record.hpp"

namespace gridaudit {

// A case with its history, its evidence (findings, active or not) and the fee center's anomalies.
struct CaseDetail {
    Case summary;
    std::vector<CaseEvent> events;
    std::vector<CaseEvidence> evidence;
    std::vector<FeeCenterAnomaly> anomalies;
    std::vector<CaseState> next_states;  // the states the state machine allows from here
};

}  // namespace gridaudit
