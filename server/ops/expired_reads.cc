#include "ops/expired_reads.h"

#include <string>

#include "common/clock.h"
#include "ops/item_key.h"
#include "ops/ttl_sweeper.h"

namespace jormun::ops {

bool hides_expired(const config::TtlConfig& config, const storage::TableSchema& table) {
  return config.hide_expired && !table.ttl_attribute.empty();
}

bool hidden_as_expired(const config::TtlConfig& config, const storage::TableSchema& table,
                       const model::Item& item) {
  if (!hides_expired(config, table)) return false;
  const model::Decimal now =
      model::Decimal::parse(std::to_string(clock::now_ms() / 1000));
  return ttl_expired(item, table.ttl_attribute, now);
}

std::function<bool(const model::Item&)> expired_filter(const config::TtlConfig& config,
                                                       storage::Table& table,
                                                       bool reads_index) {
  if (!hides_expired(config, table.schema())) return {};
  return [&config, &table, reads_index](const model::Item& item) {
    const storage::TableSchema& schema = table.schema();
    if (!reads_index || item.count(schema.ttl_attribute))
      return hidden_as_expired(config, schema, item);
    auto base = table.get(key_from_key_param(schema, key_of(schema, item)));
    return base && hidden_as_expired(config, schema, *base);
  };
}

}  // namespace jormun::ops
