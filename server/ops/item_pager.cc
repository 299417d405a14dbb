#include "ops/item_pager.h"

#include "expr/evaluator.h"
#include "expr/projection.h"
#include "model/attribute_json.h"
#include "model/item_codec.h"
#include "model/item_size.h"

namespace jormun::ops {

namespace {

// DynamoDB stops at Limit or once a page has read 1 MB, and does not look
// ahead: a page that ends exactly at the last item still names it.
bool page_full(const Page& page, const PageRequest& req) {
  return (req.limit && page.scanned >= *req.limit) || page.bytes >= kMaxPageBytes;
}

model::Item key_of(const model::Item& item, const PageRequest& req) {
  model::Item key;
  for (const auto& name : req.key_attributes)
    if (auto a = item.find(name); a != item.end()) key.emplace(name, a->second);
  return key;
}

}  // namespace

Page read_page(host::Instance& engine, host::Keyspace keyspace, const PageRequest& req,
               model::JsonWriter& items) {
  Page page;
  host::Iterator it = engine.iterate(keyspace, req.range);
  std::string_view k, v;
  // Nothing looks inside the items: count and copy their stored form.
  if (!req.filter && !req.projection && !req.expand) {
    while (it.next(&k, &v)) {
      ++page.scanned;
      ++page.count;
      page.bytes += req.count_only ? model::stored_item_size(v)
                                   : model::write_stored_item_sized(v, items);
      if (page_full(page, req)) {
        page.last_evaluated_key = key_of(model::decode_item(v), req);
        break;
      }
    }
    return page;
  }
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
      if (!req.count_only) {
        // Two calls, not one with a conditional: a conditional mixing the
        // projection's new item with the others would copy them.
        if (req.projection)
          model::write_item(expr::project(item, req.projection->paths), items);
        else
          model::write_item(entry ? *entry : item, items);
      }
    }
    if (page_full(page, req)) {
      page.last_evaluated_key = key_of(item, req);
      break;
    }
  }
  return page;
}

void write_page_totals(const Page& page, model::JsonWriter& out) {
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
