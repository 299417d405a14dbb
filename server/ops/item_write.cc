#include "ops/item_write.h"

#include <rapidjson/stringbuffer.h>

#include "common/api_error.h"
#include "expr/evaluator.h"
#include "model/attribute_json.h"
#include "ops/item_key.h"

namespace jormun::ops {
namespace {

[[noreturn]] void condition_failed(const model::Item* old, bool with_item) {
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
  storage::Mutation m;
  m.needs_old = w.condition || w.needs_old;
  m.decide = [&](const model::Item* old) {
    if (w.condition && !expr::evaluate(*w.condition, old))
      condition_failed(old, w.old_item_on_failure);
    std::optional<model::Item> item = w.mutate(old);
    // The stage holds the table's schema gate: this is the schema the
    // item's index entries are computed with.
    if (item) check_index_key_types(table.schema(), *item);
    return item;
  };
  storage::WriteSet set;
  WriteOutcome out = set.stage(table, key, m);
  set.commit();
  return out;
}

}  // namespace jormun::ops
