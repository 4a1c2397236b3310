// The pool of per-thread Stores (see store_pool.hpp).
#include "server/store_pool.hpp"

namespace gridaudit {

StoreLease::~StoreLease() {
    if (store_) pool_->give_back(std::move(store_));
}

Result<StoreLease> StorePool::lease() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            std::unique_ptr<Store> store = std::move(idle_.back());
            idle_.pop_back();
            return StoreLease(*this, std::move(store));
        }
    }
    GA_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, Store::open(location_, StoreOpening::existing_only));
    std::lock_guard lock(mutex_);
    ++opened_;
    return StoreLease(*this, std::move(store));
}

std::size_t StorePool::opened() const {
    std::lock_guard lock(mutex_);
    return opened_;
}

void StorePool::give_back(std::unique_ptr<Store> store) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(store));
}

}  // namespace gridaudit
