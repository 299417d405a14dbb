#include "ops/item_write.h"

#include <rapidjson/stringbuffer.h>

#include "common/api_error.h"
#include "expr/evaluator.h"
#include "model/attribute_json.h"
#include "ops/item_key.h"

namespace jormun::ops {
namespace {

[[noreturn]] void condition_failed(const std::optional<model::Item>& old,
                                   bool with_item) {
  ApiError e = ApiError::conditional_check_failed();
  if (!with_item || !old) throw e;
  rapidjson::StringBuffer buf;
  model::JsonWriter w(buf);
  model::write_item(*old, w);
  throw std::move(e).with_extra_json("\"Item\":" +
                                     std::string(buf.GetString(), buf.GetSize()));
}

}  // namespace

WriteOutcome write_item(storage::Table& table, const std::string& key,
                        const ItemWrite& w) {
  WriteOutcome out;
  // Even a write that reads nothing holds the stripe: otherwise it could land
  // between a read-modify-write's read and its write and be overwritten.
  auto guard = table.locks().lock(key);
  if (!w.condition && !w.needs_old && !table.needs_old_image()) {
    // write_item_blind refuses if an index appeared meanwhile; then the item
    // is read as below.
    out.new_item = w.mutate(nullptr);
    if (table.write_item_blind(key, out.new_item ? &*out.new_item : nullptr)) return out;
  }
  out.old_item = table.get(key);
  const model::Item* old = out.old_item ? &*out.old_item : nullptr;
  if (w.condition && !expr::evaluate(*w.condition, old))
    condition_failed(out.old_item, w.old_item_on_failure);
  out.new_item = w.mutate(old);
  if (out.new_item) check_index_key_types(table.schema(), *out.new_item);
  // Removing an item that is not there changes nothing.
  if (old || out.new_item)
    table.write_item(key, old, out.new_item ? &*out.new_item : nullptr);
  return out;
}

}  // namespace jormun::ops
