#include "admin/parallel_scan.h"

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "admin/interrupt.h"
#include "admin/json_text.h"

namespace jormun::admin {

bool parallel_scan(const Endpoint& endpoint, const std::string& table,
                   const std::optional<std::string>& index, int segments, int page_size,
                   const PageHandler& on_page) {
  std::atomic<bool> failed{false};
  std::atomic<int> finished{0};
  std::exception_ptr first_failure;
  std::mutex failure_mutex;
  auto scan_segment = [&](int segment) {
    try {
      Client client(endpoint);
      std::string start_key;
      do {
        std::string request = "{\"TableName\":" + json_string(table);
        if (index) request += ",\"IndexName\":" + json_string(*index);
        else request += ",\"ConsistentRead\":true";
        if (segments > 1)
          request += ",\"Segment\":" + std::to_string(segment) +
                     ",\"TotalSegments\":" + std::to_string(segments);
        if (page_size > 0) request += ",\"Limit\":" + std::to_string(page_size);
        if (!start_key.empty()) request += ",\"ExclusiveStartKey\":" + start_key;
        request += "}";
        rapidjson::Document page = client.call("Scan", request);
        if (auto items = page.FindMember("Items");
            items != page.MemberEnd() && items->value.IsArray())
          on_page(items->value);
        auto last = page.FindMember("LastEvaluatedKey");
        start_key = last != page.MemberEnd() ? json_text(last->value) : "";
      } while (!start_key.empty() && !interrupted() && !failed.load());
      if (start_key.empty()) ++finished;
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      if (!first_failure) first_failure = std::current_exception();
      failed = true;
    }
  };
  std::vector<std::thread> threads;
  for (int i = 1; i < segments; ++i) threads.emplace_back(scan_segment, i);
  scan_segment(0);
  for (auto& t : threads) t.join();
  if (first_failure) std::rethrow_exception(first_failure);
  return finished == segments;
}

}  // namespace jormun::admin
