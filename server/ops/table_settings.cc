#include "ops/table_settings.h"

#include <algorithm>
#include <chrono>

#include "common/api_error.h"
#include "ops/resource_arn.h"

namespace jormun::ops {
namespace {

const std::string kInvalid = "One or more parameter values were invalid: ";

// The warm throughput DynamoDB gives a table nobody set one for.
constexpr int64_t kDefaultWarmRead = 12000;
constexpr int64_t kDefaultWarmWrite = 4000;

// Stands for the AWS managed key (alias/aws/dynamodb) in KMSMasterKeyArn.
constexpr std::string_view kManagedKeyId = "6f1b7c2e-0d4a-4c59-9a3e-5b8d2f7e1c40";

std::optional<UnitPair> read_pair(Params& p, const char* member, const char* read,
                                  const char* write) {
  const rapidjson::Value* v = p.object(member);
  if (!v) return std::nullopt;
  Params pair(*v);
  return UnitPair{pair.integer(read), pair.integer(write)};
}

void check_table_class(const std::string& c) {
  if (c != "STANDARD" && c != "STANDARD_INFREQUENT_ACCESS")
    throw ApiError::validation(
        "Invalid table-class parameter provided. Please try again with a valid "
        "table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS].");
}

// What DynamoDB describes as KMSMasterKeyArn for the key a client named.
// DynamoDB asks KMS, which turns an alias into its key's ARN; there is no KMS
// here, so an alias stays an alias ARN.
std::string kms_key_arn(const std::optional<std::string>& id, std::string_view region) {
  const std::string prefix =
      "arn:aws:kms:" + std::string(region) + ":" + std::string(kAccountId) + ":";
  if (!id || *id == "alias/aws/dynamodb")
    return prefix + "key/" + std::string(kManagedKeyId);
  if (id->starts_with("arn:")) return *id;
  if (id->starts_with("alias/")) return prefix + *id;
  return prefix + "key/" + *id;
}

// OnDemandThroughput's limits; -1 (no limit) is taken by UpdateTable only,
// where it clears a limit (stored as 0, not set).
void apply_on_demand(const UnitPair& u, bool update, storage::TableSchema& s) {
  struct Member {
    const std::optional<int64_t>& given;
    const char* name;
    int64_t& stored;
  };
  const Member members[] = {{u.read, "MaxReadRequestUnits", s.max_read_request_units},
                            {u.write, "MaxWriteRequestUnits", s.max_write_request_units}};
  for (const auto& m : members) {
    if (!m.given) continue;
    if (s.billing_mode == "PROVISIONED")
      throw ApiError::validation(
          kInvalid + m.name +
          " for OnDemandThroughput cannot be specified when the table "
          "BillingMode is PROVISIONED");
    if (*m.given < 1 && !(update && *m.given == -1))
      throw ApiError::validation(
          kInvalid + "Requested " + m.name +
          " for OnDemandThroughput for table is outside of valid range");
  }
  for (const auto& m : members)
    if (m.given) m.stored = *m.given == -1 ? 0 : *m.given;
}

int64_t warm_read(const storage::TableSchema& s) {
  return s.warm_read_units ? s.warm_read_units
                           : std::max(kDefaultWarmRead, s.read_capacity);
}
int64_t warm_write(const storage::TableSchema& s) {
  return s.warm_write_units ? s.warm_write_units
                            : std::max(kDefaultWarmWrite, s.write_capacity);
}

// WarmThroughput can only grow: DynamoDB refuses a decrease.
void apply_warm(const UnitPair& u, bool update, storage::TableSchema& s) {
  struct Member {
    const std::optional<int64_t>& given;
    const char* name;
    int64_t current;
    int64_t& stored;
  };
  const Member members[] = {
      {u.read, "ReadUnitsPerSecond", warm_read(s), s.warm_read_units},
      {u.write, "WriteUnitsPerSecond", warm_write(s), s.warm_write_units}};
  for (const auto& m : members) {
    if (!m.given) continue;
    if (*m.given < 1)
      throw ApiError::validation(
          kInvalid + "Requested " + m.name +
          " for WarmThroughput for table is outside of valid range");
    if (update && *m.given < m.current)
      throw ApiError::validation(
          kInvalid + "Requested " + m.name +
          " for WarmThroughput for table is lower than current "
          "WarmThroughput, decreasing WarmThroughput is not supported");
  }
  for (const auto& m : members)
    if (m.given) m.stored = *m.given;
}

void set_class(const std::string& c, storage::TableSchema& s) {
  using namespace std::chrono;
  check_table_class(c);
  s.table_class = c;
  s.table_class_time =
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count() /
      1000.0;
}

}  // namespace

std::optional<SseSpecification> read_sse_specification(Params& p, const char* member,
                                                       const std::string& path) {
  const rapidjson::Value* v = p.object(member);
  if (!v) return std::nullopt;
  Params sp(*v);
  SseSpecification x;
  x.enabled = sp.boolean("Enabled");
  auto type = sp.string("SSEType");
  p.one_of(type, path + ".sSEType", {"AES256", "KMS"});
  if (type) x.sse_type = std::string(*type);
  if (auto k = sp.string("KMSMasterKeyId")) x.kms_key_id = std::string(*k);
  return x;
}

std::string sse_key_arn(const SseSpecification& x, std::string_view region) {
  if (x.enabled == false && x.sse_type)
    throw ApiError::validation(kInvalid +
                               "SSEType can not be specified if Enabled is false");
  if (x.enabled == false && x.kms_key_id)
    throw ApiError::validation(kInvalid +
                               "KMSMasterKeyId can not be specified if Enabled is false");
  if (x.sse_type == "AES256")
    throw ApiError::validation(kInvalid + "SSEType AES256 is not supported");
  if (x.kms_key_id && x.sse_type != "KMS")
    throw ApiError::validation(kInvalid +
                               "SSEType KMS is required if KMSMasterKeyId is specified");
  // An SSEType without Enabled turns KMS encryption on, as in DynamoDB.
  if (!x.enabled.value_or(x.sse_type.has_value())) return "";
  return kms_key_arn(x.kms_key_id, region);
}

TableSettings read_table_settings(Params& p) {
  TableSettings t;
  t.sse = read_sse_specification(p, "SSESpecification", "sSESpecification");
  if (auto c = p.string("TableClass")) t.table_class = std::string(*c);
  t.deletion_protection = p.boolean("DeletionProtectionEnabled");
  t.on_demand =
      read_pair(p, "OnDemandThroughput", "MaxReadRequestUnits", "MaxWriteRequestUnits");
  t.warm = read_pair(p, "WarmThroughput", "ReadUnitsPerSecond", "WriteUnitsPerSecond");
  return t;
}

void apply_create_settings(const TableSettings& t, std::string_view region,
                           storage::TableSchema& s) {
  if (t.sse) s.sse_kms_key_arn = sse_key_arn(*t.sse, region);
  if (t.table_class) set_class(*t.table_class, s);
  if (t.on_demand) apply_on_demand(*t.on_demand, false, s);
  if (t.warm) apply_warm(*t.warm, false, s);
  if (t.deletion_protection) s.deletion_protection = *t.deletion_protection;
}

void check_settings_alone(const TableSettings& t, int other_changes, bool billing_given) {
  const int changes = other_changes + (t.sse ? 1 : 0) + (t.table_class ? 1 : 0) +
                      (t.deletion_protection ? 1 : 0) + (t.warm ? 1 : 0) +
                      (t.on_demand ? 1 : 0);
  auto only = [&](bool given, const std::string& what) {
    if (given && changes > 1) throw ApiError::validation(kInvalid + what);
  };
  only(t.sse.has_value(),
       "Server-Side Encryption modification must be the only operation in the request");
  only(t.table_class.has_value(),
       "TableClass modification must be the only operation in the request");
  only(t.deletion_protection.has_value(),
       "DeletionProtection modification must be the only operation in the request");
  only(t.warm.has_value(), "WarmThroughput must be the only operation in the request");
  if (t.on_demand && changes - (billing_given ? 1 : 0) > 1)
    throw ApiError::validation(kInvalid +
                               "OnDemandThroughput can only be combined with BillingMode "
                               "in an UpdateTable request");
}

void apply_update_settings(const TableSettings& t, std::string_view region,
                           storage::TableSchema& s) {
  if (t.sse) {
    std::string arn = sse_key_arn(*t.sse, region);
    if (arn.empty() && s.sse_kms_key_arn.empty())
      throw ApiError::validation(kInvalid + "Table is already encrypted by default");
    if (arn == s.sse_kms_key_arn)
      throw ApiError::validation(
          kInvalid +
          "Table is already encrypted with given KMSMasterKeyId. Use "
          "KMSMasterKeyId parameter if you want to change Master Key");
    s.sse_kms_key_arn = arn;
  }
  // STANDARD on a table that never had a class changes nothing: DynamoDB
  // keeps describing no TableClassSummary.
  if (t.table_class) {
    check_table_class(*t.table_class);
    if (*t.table_class != s.table_class &&
        !(s.table_class.empty() && *t.table_class == "STANDARD"))
      set_class(*t.table_class, s);
  }
  if (t.deletion_protection) s.deletion_protection = *t.deletion_protection;
  if (t.on_demand) apply_on_demand(*t.on_demand, true, s);
  if (t.warm) apply_warm(*t.warm, true, s);
  // Limits of on-demand capacity mean nothing to a provisioned table.
  if (s.billing_mode == "PROVISIONED")
    s.max_read_request_units = s.max_write_request_units = 0;
}

void write_sse_description(const storage::TableSchema& s, model::JsonWriter& w) {
  if (!s.sse_kms_key_arn.empty()) {
    w.Key("SSEDescription");
    w.StartObject();
    w.Key("Status");
    w.String("ENABLED");
    w.Key("SSEType");
    w.String("KMS");
    w.Key("KMSMasterKeyArn");
    w.String(s.sse_kms_key_arn);
    w.EndObject();
  }
}

void write_table_settings(const storage::TableSchema& s, model::JsonWriter& w) {
  w.Key("DeletionProtectionEnabled");
  w.Bool(s.deletion_protection);
  if (!s.table_class.empty()) {
    w.Key("TableClassSummary");
    w.StartObject();
    w.Key("TableClass");
    w.String(s.table_class);
    w.Key("LastUpdateDateTime");
    w.Double(s.table_class_time);
    w.EndObject();
  }
  write_sse_description(s, w);
  if (s.max_read_request_units != 0 || s.max_write_request_units != 0) {
    w.Key("OnDemandThroughput");
    w.StartObject();
    w.Key("MaxReadRequestUnits");
    w.Int64(s.max_read_request_units ? s.max_read_request_units : -1);
    w.Key("MaxWriteRequestUnits");
    w.Int64(s.max_write_request_units ? s.max_write_request_units : -1);
    w.EndObject();
  }
  w.Key("WarmThroughput");
  w.StartObject();
  w.Key("ReadUnitsPerSecond");
  w.Int64(warm_read(s));
  w.Key("WriteUnitsPerSecond");
  w.Int64(warm_write(s));
  w.Key("Status");
  w.String("ACTIVE");
  w.EndObject();
}

void check_deletable(const storage::TableSchema& s) {
  if (s.deletion_protection)
    throw ApiError::validation(
        "Resource cannot be deleted as it is currently protected against deletion. "
        "Disable deletion protection first.");
}

}  // namespace jormun::ops
