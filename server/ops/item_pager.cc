#include "ops/item_pager.h"

#include "expr/evaluator.h"
#include "expr/projection.h"
#include "model/item_codec.h"
#include "model/item_size.h"

namespace jormun::ops {

Page read_page(host::Instance& engine, host::Keyspace keyspace, const PageRequest& req) {
  Page page;
  host::Iterator it = engine.iterate(keyspace, req.range);
  std::string_view k, v;
  while (it.next(&k, &v)) {
    model::Item item = model::decode_item(v);
    std::optional<model::Item> entry;
    if (req.expand) {
      if (req.return_entry) entry = item;
      item = req.expand(std::move(item));
    }
    ++page.scanned;
    page.bytes += model::item_size(item);
    if (!req.filter || expr::evaluate(*req.filter, &item)) {
      ++page.count;
      if (!req.count_only)
        page.items.push_back(req.projection ? expr::project(item, req.projection->paths)
                             : entry        ? std::move(*entry)
                                            : item);
    }
    // DynamoDB stops at Limit or once a page has read 1 MB, and does not look
    // ahead: a page that ends exactly at the last item still names it.
    if ((req.limit && page.scanned >= *req.limit) || page.bytes >= kMaxPageBytes) {
      model::Item key;
      for (const auto& name : req.key_attributes)
        if (auto a = item.find(name); a != item.end()) key.emplace(name, a->second);
      page.last_evaluated_key = std::move(key);
      break;
    }
  }
  return page;
}

void write_page(const Page& page, bool count_only, model::JsonWriter& out) {
  if (!count_only) {
    out.Key("Items");
    out.StartArray();
    for (const auto& item : page.items) model::write_item(item, out);
    out.EndArray();
  }
  out.Key("Count");
  out.Uint64(page.count);
  out.Key("ScannedCount");
  out.Uint64(page.scanned);
  if (page.last_evaluated_key) {
    out.Key("LastEvaluatedKey");
    model::write_item(*page.last_evaluated_key, out);
  }
}

}  // namespace jormun::ops
