// Table's transaction records (storage/table.h): the keyspace beside the
// items where transactions over several tables leave their markers
// (storage/transaction_log.h) and ClientRequestTokens their records
// (storage/transaction_tokens.h), and recovery's rewrite of a share.
#include "storage/stream_record.h"
#include "storage/table.h"

namespace jormun::storage {

std::optional<host::Keyspace> Table::records_keyspace(bool create) {
  std::lock_guard lock(records_mu_);
  if (!records_) records_ = engine_->keyspace(kTransactionsKeyspace, create);
  return records_;
}

TransactionLog::Part Table::log_part(const host::WriteBatch& batch) const {
  TransactionLog::Part part;
  part.table = schema().name;
  part.table_id = schema().id;
  auto name_of = [&](host::Keyspace ks) -> std::string {
    if (ks.handle == items_.handle) return std::string(kItemsKeyspace);
    if (ks.handle == streams_.handle) return std::string(kStreamsKeyspace);
    for (const auto& [index, handle] : index_keyspaces_)
      if (handle.handle == ks.handle) return std::string(kIndexKeyspacePrefix) + index;
    return std::string(kTransactionsKeyspace);
  };
  batch.for_each([&](bool put, host::Keyspace ks, const std::string& key,
                     const std::string& value) {
    part.ops.push_back({put, name_of(ks), key, value});
  });
  return part;
}

std::string Table::record_key(std::string_view anchor, char kind, std::string_view name) {
  std::string key(anchor.substr(0, 8));
  key.resize(8, '\0');
  key.push_back(kind);
  key.append(name);
  return key;
}

bool Table::finish_part(const TransactionLog::Part& part, uint64_t id) {
  Lease use(*this);
  if (part.ops.empty()) return false;
  auto records = records_keyspace(true);
  const std::string marker = record_key(part.ops.front().key, TransactionLog::kMarkerKind,
                                        TransactionLog::marker_name(id));
  std::string ignored;
  if (engine_->get(*records, marker, &ignored)) return false;
  // The share's changes to the counts are not known: they are recounted.
  forget_counts();
  unsave_counts();
  host::WriteBatch batch;
  for (const auto& op : part.ops) {
    // An index dropped since has no keyspace any more: its entries go with it.
    auto ks = op.keyspace == kTransactionsKeyspace ? records
                                                   : engine_->keyspace(op.keyspace, false);
    if (!ks) continue;
    if (op.put)
      batch.put(*ks, op.key, op.value);
    else
      batch.del(*ks, op.key);
    // The numbers of records written again are taken: none is handed out twice.
    if (op.keyspace == kStreamsKeyspace) sequencer_->skip_to(sequence_of_key(op.key) + 1);
  }
  batch.put(*records, marker, "");
  engine_->write(batch, true);
  return true;
}

void Table::for_each_record(
    char kind,
    const std::function<void(std::string_view, std::string_view, std::string_view)>& fn) {
  Lease use(*this);
  auto records = records_keyspace(false);
  if (!records) return;
  // Records of every kind are spread over the keyspace by their anchors.
  host::Iterator it = engine_->iterate(*records, {});
  std::string_view k, v;
  while (it.next(&k, &v))
    if (k.size() > 8 && k[8] == kind) fn(k, k.substr(9), v);
}

void Table::delete_records(const std::vector<std::string>& keys, bool sync) {
  Lease use(*this);
  auto records = records_keyspace(false);
  if (!records || keys.empty()) return;
  host::WriteBatch batch;
  for (const auto& key : keys) batch.del(*records, key);
  engine_->write(batch, sync);
}

void Table::sweep_markers(uint64_t up_to, bool sync) {
  Lease use(*this);
  std::vector<std::string> keys;
  for_each_record(TransactionLog::kMarkerKind,
                  [&](std::string_view key, std::string_view name, std::string_view) {
                    if (TransactionLog::marker_id(name) <= up_to) keys.emplace_back(key);
                  });
  delete_records(keys, sync);
}

}  // namespace jormun::storage
