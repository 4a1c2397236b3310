// Reading the open cases, the handling of findings and the duplicate attempts through CaseStore.
#include "frame/case_loader.hpp"

namespace gridaudit {

Result<CaseColumns> load_case_columns(Store& store) {
    CaseStore& cases = store.cases();
    CaseColumns columns;
    CaseFilter open;
    open.open_only = true;
    GA_ASSIGN_OR_RETURN(columns.open_cases, cases.list_cases(open));
    GA_ASSIGN_OR_RETURN(columns.findings, cases.finding_handling());
    GA_ASSIGN_OR_RETURN(columns.duplicate_attempts, cases.duplicate_attempts());
    return columns;
}

}  // namespace gridaudit
