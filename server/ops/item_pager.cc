#include "ops/item_pager.h"

#include "expr/evaluator.h"
#include "expr/projection.h"
#include "model/attribute_json.h"
#include "model/item_codec.h"
#include "model/item_size.h"

namespace jormun::ops {

namespace {

model::Item key_of(const model::Item& item, const PageRequest& req) {
  model::Item key;
  for (const auto& name : req.key_attributes)
    if (auto a = item.find(name); a != item.end()) key.emplace(name, a->second);
  return key;
}

}  // namespace

Page read_page(storage::Table& table, const PageRequest& req, model::JsonWriter& items) {
  Page page;
  storage::PageRead read;
  if (!req.filter && !req.projection && !req.expand && !req.hide) {
    // Nothing looks inside the items: count and copy their stored form.
    read = table.read_page(req.read, [&](std::string_view v) {
      return req.count_only ? model::stored_item_size(v)
                            : model::write_stored_item_sized(v, items);
    });
    page.count = read.scanned;
  } else {
    read = table.read_page(req.read, [&](std::string_view v) {
      model::Item item = model::decode_item(v);
      std::optional<model::Item> entry;
      if (req.expand) {
        if (req.return_entry) entry = item;
        item = req.expand(std::move(item));
      }
      size_t size = model::item_size(item);
      if (req.hide && req.hide(item)) return size;
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
      return size;
    });
  }
  page.scanned = read.scanned;
  page.bytes = read.bytes;
  // The stored form holds every key attribute: an index entry carries the
  // table's key as well as its own.
  if (read.last) page.last_evaluated_key = key_of(model::decode_item(*read.last), req);
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
