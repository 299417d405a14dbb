// Table's stream methods: reading records, shards and their roll-over, and
// trimming (storage/table.h, storage/stream_shards.h).
#include <algorithm>

#include "storage/stream_record.h"
#include "storage/stream_shards.h"
#include "storage/table.h"

namespace jormun::storage {

void Table::read_stream(uint64_t stream, uint64_t from, uint64_t to,
                        const std::function<bool(uint64_t, std::string_view)>& visit) {
  Lease use(*this);
  const uint64_t end = std::min(to, sequencer_->visible_end());
  from = std::max<uint64_t>(from, 1);  // 0 is the stream's shards and horizon
  if (from >= end) return;
  host::Iterator it =
      engine_->iterate(streams_, {host::Bound{stream_record_key(stream, from), true},
                                  host::Bound{stream_record_key(stream, end), false}});
  std::string_view k, v;
  while (it.next(&k, &v))
    if (!visit(sequence_of_key(k), v)) return;
}

std::optional<Table::StreamBounds> Table::stream_bounds(uint64_t stream, uint64_t from,
                                                        uint64_t to) {
  Lease use(*this);
  const uint64_t end = std::min(to, sequencer_->visible_end());
  from = std::max<uint64_t>(from, 1);
  if (from >= end) return std::nullopt;
  host::RangeSpec range;
  range.lower = host::Bound{stream_record_key(stream, from), true};
  range.upper = host::Bound{stream_record_key(stream, end), false};
  std::string_view k, v;
  StreamBounds b;
  {
    host::Iterator it = engine_->iterate(streams_, range);
    if (!it.next(&k, &v)) return std::nullopt;
    b.first = sequence_of_key(k);
  }
  range.reverse = true;
  host::Iterator it = engine_->iterate(streams_, range);
  if (it.next(&k, &v)) b.last = sequence_of_key(k);
  return b;
}

std::optional<uint64_t> Table::replica_position() {
  Lease use(*this);
  std::string value;
  if (!engine_->get(streams_, replica_position_key(), &value)) return std::nullopt;
  return decode_replica_position(value);
}

Table::StreamShards& Table::stream_state_locked(const StreamSchema& stream) {
  auto found = stream_state_.find(stream.number);
  if (found != stream_state_.end()) return found->second;
  StreamShards state;
  StreamShard first;
  first.created_ms = label_ms(stream.label);
  first.id = first_shard_id(schema().id, stream.number);
  state.shards.push_back(std::move(first));
  host::Iterator it = engine_->iterate(
      streams_, {host::Bound{stream_meta_begin(stream.number), true},
                 host::Bound{stream_meta_end(stream.number), false}});
  std::string_view k, v;
  while (it.next(&k, &v)) {
    if (auto shard = decode_shard(k, v, schema().id))
      state.shards.push_back(std::move(*shard));  // in key order: by first
    else
      state.horizon = decode_horizon(v);
  }
  return stream_state_.emplace(stream.number, std::move(state)).first->second;
}

Table::StreamShards Table::stream_shards(const StreamSchema& stream) {
  Lease use(*this);
  std::lock_guard lock(shards_mu_);
  return stream_state_locked(stream);
}

uint64_t Table::take_stream_sequence(const StreamSchema& stream, SequenceHold& hold,
                                     int64_t now_ms) {
  Lease use(*this);
  // Held while the number is taken, so every number taken after a roll-over
  // is in the new shard.
  std::lock_guard lock(shards_mu_);
  StreamShards& state = stream_state_locked(stream);
  const uint64_t sequence = hold.take(*sequencer_);
  const StreamShard& last = state.shards.back();
  if (now_ms - last.created_ms >= kShardLifetimeMs) {
    StreamShard next;
    next.first = sequence;
    next.created_ms = now_ms;
    next.id = later_shard_id(schema().id, now_ms);
    next.parent = last.id;
    host::WriteBatch batch;
    batch.put(streams_, shard_key(stream.number, next.first), encode_shard(next));
    commit(std::move(batch));
    state.shards.push_back(std::move(next));
  }
  return sequence;
}

size_t Table::trim_stream(const StreamSchema& stream, int64_t cutoff_ms, size_t max,
                          uint64_t below) {
  Lease use(*this);
  uint64_t from;
  {
    std::lock_guard lock(shards_mu_);
    from = stream_state_locked(stream).horizon + 1;
  }
  std::vector<uint64_t> old;
  read_stream(stream.number, from, ~uint64_t{0}, [&](uint64_t sequence, std::string_view v) {
    // Records are in number order and numbers follow staging times (up to
    // writers racing within a millisecond or so): the first record young
    // enough ends the trim.
    if (sequence >= below && decode_stream_record(v).time_ms >= cutoff_ms) return false;
    old.push_back(sequence);
    return old.size() < max;
  });
  if (old.empty()) return 0;
  host::WriteBatch batch;
  for (uint64_t sequence : old) batch.del(streams_, stream_record_key(stream.number, sequence));
  batch.put(streams_, horizon_key(stream.number), encode_horizon(old.back()));
  commit(std::move(batch));
  std::lock_guard lock(shards_mu_);
  stream_state_locked(stream).horizon = old.back();
  return old.size();
}

}  // namespace jormun::storage
