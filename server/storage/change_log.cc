#include "storage/change_log.h"

#include <stdexcept>

#include "model/key_codec.h"
#include "storage/stream_record.h"
#include "storage/table.h"
#include "storage/write_set.h"

namespace jormun::storage {

const StreamSchema& change_log_stream() {
  static const StreamSchema stream{kChangeLogStream, "", StreamSchema::View::kNewImage, true};
  return stream;
}

uint64_t replay_change_log(Table& source, uint64_t from, uint64_t to, int64_t up_to_ms,
                           Table& target, std::stop_token stop) {
  const TableSchema& schema = target.schema();
  uint64_t applied = 0;
  // Numbers follow staging times only roughly (writers race within a
  // millisecond), so the whole rest of the log is read and each record
  // judged by its own time; per item, number order is write order.
  source.read_stream(kChangeLogStream, from, to,
                     [&](uint64_t, std::string_view stored) {
                       if (stop.stop_requested())
                         throw std::runtime_error("the server is stopping");
                       StreamRecord r = decode_stream_record(stored);
                       if (r.time_ms > up_to_ms) return true;
                       const model::AttributeValue& pk = r.keys.at(schema.partition_key.name);
                       const model::AttributeValue* sk =
                           schema.sort_key ? &r.keys.at(schema.sort_key->name) : nullptr;
                       WriteSet set;
                       set.stage(target, model::base_key(pk, sk),
                                 Mutation{false, [&](const model::Item*) {
                                            return r.new_image;
                                          }});
                       set.commit();
                       ++applied;
                       return true;
                     });
  return applied;
}

}  // namespace jormun::storage
