// Store::open: chooses the backend from the location's form.
#include "store/store.hpp"

#include "store/postgres_store.hpp"
#include "store/sqlite_store.hpp"

namespace gridaudit {

Result<std::unique_ptr<Store>> Store::open(std::string_view location, StoreOpening opening) {
    if (is_postgres_location(location)) {
        GA_ASSIGN_OR_RETURN(auto store, PostgresStore::open(std::string(location), opening));
        return std::unique_ptr<Store>(std::move(store));
    }
    GA_ASSIGN_OR_RETURN(auto store, SqliteStore::open(std::string(location), opening == StoreOpening::existing_only
                                                                                 ? SqliteOpening::existing_only
                                                                                 : SqliteOpening::create_if_missing));
    return std::unique_ptr<Store>(std::move(store));
}

}  // namespace gridaudit
