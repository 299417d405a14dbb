#include "storage/shared_catalog.h"

#include <charconv>
#include <stdexcept>

#include "storage/catalog_file.h"

namespace jormun::storage {
namespace {

// DO NOT CHANGE: the stored layout (shared_catalog.h).
constexpr const char* kVersionKey = "v";
constexpr const char* kTablePrefix = "t/";

std::string table_key(std::string_view name) { return kTablePrefix + std::string(name); }

uint64_t parse_version(const std::string& text) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size())
    throw DataDirError("the cluster's catalog: version '" + text + "' is not a number");
  return v;
}

}  // namespace

SharedCatalog::SharedCatalog(std::shared_ptr<host::Library> lib, const std::string& dir,
                             std::vector<std::pair<std::string, std::string>> options,
                             const jormun_host_services* services) {
  if (!lib->has(JORMUN_CAP_PRECONDITIONS))
    throw host::EngineError(JORMUN_NOT_SUPPORTED,
                            "the cluster's engine " + std::string(lib->name()) +
                                " does not check preconditions (ABI 1.3)");
  options.emplace_back("instance_id", kInstanceId);
  instance_ = host::Instance::open(std::move(lib), dir, options, services);
  ks_ = *instance_->keyspace("catalog", true);
}

uint64_t SharedCatalog::version() {
  std::string text;
  return instance_->get(ks_, kVersionKey, &text) ? parse_version(text) : 0;
}

SharedCatalog::State SharedCatalog::read() {
  for (;;) {
    State state;
    state.version = version();
    host::RangeSpec range;
    range.lower = host::Bound{kTablePrefix, true};
    range.upper = host::Bound{"t0", false};  // '0' follows '/'
    auto it = instance_->iterate(ks_, range);
    std::string_view key, value;
    while (it.next(&key, &value)) {
      TableSchema schema = table_from_json(value, "the cluster's catalog, " + std::string(key));
      std::string name = schema.name;
      state.tables.emplace(std::move(name), std::move(schema));
    }
    if (version() == state.version) return state;
  }
}

std::optional<std::string> SharedCatalog::row(const std::string& key) {
  std::string value;
  if (!instance_->get(ks_, key, &value)) return std::nullopt;
  return value;
}

std::map<std::string, std::string> SharedCatalog::rows(const std::string& prefix) {
  std::string end = prefix;
  ++end.back();  // the first key past the prefix (it ends in '/')
  host::RangeSpec range;
  range.lower = host::Bound{prefix, true};
  range.upper = host::Bound{end, false};
  std::map<std::string, std::string> out;
  auto it = instance_->iterate(ks_, range);
  std::string_view key, value;
  while (it.next(&key, &value)) out.emplace(key, value);
  return out;
}

bool SharedCatalog::swap_row(const std::string& key, const std::optional<std::string>& expected,
                             const std::optional<std::string>& value) {
  host::WriteBatch batch;
  batch.expect(ks_, key, expected);
  if (value)
    batch.put(ks_, key, *value);
  else
    batch.del(ks_, key);
  return write_checked(batch);
}

bool SharedCatalog::remove_row(const std::string& key, int attempts) {
  for (int attempt = 0; attempt < attempts; ++attempt) {
    const std::optional<std::string> seen = row(key);
    if (!seen || swap_row(key, seen, std::nullopt)) return true;
  }
  return false;
}

bool SharedCatalog::write_checked(const host::WriteBatch& batch) {
  try {
    instance_->write(batch, true);
  } catch (const host::EngineError& e) {
    if (e.status() == JORMUN_CONFLICT) return false;
    throw;
  }
  return true;
}

bool SharedCatalog::commit(uint64_t from, const std::vector<TableSchema>& put,
                           const std::vector<std::string>& removed) {
  host::WriteBatch batch;
  batch.expect(ks_, kVersionKey,
               from == 0 ? std::nullopt : std::optional<std::string>(std::to_string(from)));
  batch.put(ks_, kVersionKey, std::to_string(from + 1));
  for (const auto& schema : put) batch.put(ks_, table_key(schema.name), table_to_json(schema));
  for (const auto& name : removed) batch.del(ks_, table_key(name));
  return write_checked(batch);
}

}  // namespace jormun::storage
