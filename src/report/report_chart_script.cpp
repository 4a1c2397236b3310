// The embedded chart script (see report_chart_script.hpp); its bytes are generated at build time
// by embed_script.cmake into report_chart_script_bytes.cpp.
#include "report/report_chart_script.hpp"

namespace gridaudit {

extern const unsigned char report_chart_script_bytes[];
extern const unsigned long report_chart_script_size;

std::string_view report_chart_script() {
    return {reinterpret_cast<const char*>(report_chart_script_bytes), report_chart_script_size};
}

}  // namespace gridaudit
