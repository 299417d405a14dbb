#include "ops/item_write.h"

#include <rapidjson/stringbuffer.h>

#include "common/api_error.h"
#include "expr/evaluator.h"
#include "model/attribute_json.h"
#include "model/item_codec.h"

namespace jormun::ops {
namespace {

void write_new_item(storage::Table& table, const std::string& key,
                    const std::optional<model::Item>& item) {
  host::WriteBatch batch;
  if (item)
    batch.put(table.items(), key, model::encode_item(*item));
  else
    batch.del(table.items(), key);
  table.write(batch);
}

[[noreturn]] void condition_failed(const std::optional<model::Item>& old, bool with_item) {
  ApiError e = ApiError::conditional_check_failed();
  if (!with_item || !old) throw e;
  rapidjson::StringBuffer buf;
  model::JsonWriter w(buf);
  model::write_item(*old, w);
  throw std::move(e).with_extra_json("\"Item\":" + std::string(buf.GetString(), buf.GetSize()));
}

}  // namespace

WriteOutcome write_item(storage::Table& table, const std::string& key, const ItemWrite& w) {
  WriteOutcome out;
  if (!w.condition && !w.needs_old) {
    // A blind write: the engine's batch is atomic on its own.
    out.new_item = w.mutate(nullptr);
    write_new_item(table, key, out.new_item);
    return out;
  }
  auto guard = table.locks().lock(key);
  out.old_item = table.get(key);
  const model::Item* old = out.old_item ? &*out.old_item : nullptr;
  if (w.condition && !expr::evaluate(*w.condition, old))
    condition_failed(out.old_item, w.old_item_on_failure);
  out.new_item = w.mutate(old);
  write_new_item(table, key, out.new_item);
  return out;
}

}  // namespace jormun::ops
