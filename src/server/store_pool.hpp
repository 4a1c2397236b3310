// The Stores of a server's worker threads: a Store object serves one thread at a time, so each
// request leases one for its duration and gives it back; the pool opens a new one only when every
// open Store is leased, so there are never more Stores than threads serving at once.
// Thread safety: lease() may be called from any number of threads; a lease is used by one thread.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/store.hpp"

namespace gridaudit {

class StorePool;

// A Store leased from the pool, returned to it on destruction.
class StoreLease {
public:
    StoreLease(StorePool& pool, std::unique_ptr<Store> store) : pool_(&pool), store_(std::move(store)) {}
    StoreLease(StoreLease&& other) noexcept = default;
    StoreLease& operator=(StoreLease&&) = delete;
    StoreLease(const StoreLease&) = delete;
    ~StoreLease();

    [[nodiscard]] Store& operator*() const { return *store_; }
    [[nodiscard]] Store* operator->() const { return store_.get(); }

private:
    StorePool* pool_;
    std::unique_ptr<Store> store_;
};

class StorePool {
public:
    // The store at `location` must exist (StoreOpening::existing_only).
    explicit StorePool(std::string location) : location_(std::move(location)) {}

    // An idle Store, or a newly opened one (a failure to open is the store's error).
    [[nodiscard]] Result<StoreLease> lease();
    // How many Stores the pool has opened (leased or idle).
    [[nodiscard]] std::size_t opened() const;

private:
    friend class StoreLease;
    void give_back(std::unique_ptr<Store> store);

    std::string location_;
    mutable std::mutex mutex_;
    std::vector<std::unique_ptr<Store>> idle_;
    std::size_t opened_ = 0;
};

}  // namespace gridaudit
