// DynamoDB's parallel scan: segment i of N on its own connection and thread.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <rapidjson/document.h>

#include "client/client.h"

namespace jormun::admin {

// The HTTP client lives below the server (server/client/): one copy for both.
using client::Client;
using client::Endpoint;

// Called with each page's Items array, from the segment's thread, one page
// at a time per segment but several segments at once.
using PageHandler = std::function<void(const rapidjson::Value& items)>;

// Scans `table` (or its index `index`) in `segments` segments at once, in
// pages of at most `page_size` items (0: the server's 1 MB pages).
// Base-table scans read consistently. Stops between pages once interrupted()
// (admin/interrupt.h) or after a segment failed, and then returns false or
// rethrows the first failure, after every thread ended.
bool parallel_scan(const Endpoint& endpoint, const std::string& table,
                   const std::optional<std::string>& index, int segments, int page_size,
                   const PageHandler& on_page);

}  // namespace jormun::admin
