#include "ops/partiql_plan.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "common/api_error.h"
#include "expr/functions.h"
#include "ops/item_request.h"
#include "ops/partiql_expression.h"

namespace jormun::ops {
namespace {

using partiql::Expr;
using partiql::Statement;
using Op = StatementPlan::Op;

// The top-level conjuncts of a WHERE: the terms of its AND, or itself.
std::vector<const Expr*> conjuncts(const std::optional<Expr>& where) {
  std::vector<const Expr*> out;
  if (!where) return out;
  if (where->kind != Expr::Kind::kAnd) return {&*where};
  for (const auto& arg : where->args) out.push_back(&arg);
  return out;
}

bool is_attribute(const Expr& e, const std::string& name) {
  return e.kind == Expr::Kind::kPath && e.path.size() == 1 && e.path[0].name == name;
}

// The value a conjunct `name = value` (or `value = name`) gives, or null.
const partiql::Value* equality(const Expr& e, const std::string& name) {
  if (e.kind != Expr::Kind::kCompare || e.op != "=") return nullptr;
  if (is_attribute(e.args[0], name) && e.args[1].kind == Expr::Kind::kValue)
    return &e.args[1].value;
  if (is_attribute(e.args[1], name) && e.args[0].kind == Expr::Kind::kValue)
    return &e.args[0].value;
  return nullptr;
}

// Whether a condition names `attribute` at its top level anywhere.
bool mentions(const Expr& e, const std::string& attribute) {
  if (e.kind == Expr::Kind::kPath) return !e.path.empty() && e.path[0].name == attribute;
  for (const auto& arg : e.args)
    if (mentions(arg, attribute)) return true;
  return false;
}

// The values of a conjunct `name IN (values...)`, or null.
const std::vector<Expr>* in_values(const Expr& e, const std::string& name) {
  if (e.kind != Expr::Kind::kIn || !is_attribute(e.args[0], name)) return nullptr;
  for (size_t i = 1; i < e.args.size(); ++i)
    if (e.args[i].kind != Expr::Kind::kValue) return nullptr;
  return &e.args;
}

// A sort key condition a KeyConditionExpression accepts.
bool sort_key_condition(const Expr& e, const std::string& sk) {
  auto value = [](const Expr& x) { return x.kind == Expr::Kind::kValue; };
  switch (e.kind) {
    case Expr::Kind::kCompare:
      return e.op != "<>" && is_attribute(e.args[0], sk) && value(e.args[1]);
    case Expr::Kind::kBetween:
      return is_attribute(e.args[0], sk) && value(e.args[1]) && value(e.args[2]);
    case Expr::Kind::kCall:
      return expr::find_function(e.op, expr::kInKeyCondition) != nullptr &&
             e.args.size() == 2 && is_attribute(e.args[0], sk) && value(e.args[1]);
    default:
      return false;
  }
}

std::string and_all(PartiqlExpressions& ex, const std::vector<const Expr*>& terms) {
  std::string out;
  for (const Expr* t : terms) {
    if (!out.empty()) out += " AND ";
    out += ex.condition(*t);
  }
  return out;
}

class Planner {
 public:
  Planner(Context& ctx, const Statement& s, const rapidjson::Value* parameters)
      : s_(s), table_(require_item_table(ctx, s.table)), ex_(plan_.request, parameters) {
    plan_.request.SetObject();
    plan_.table = s.table;
    member("TableName", json_string(s.table, alloc()));
  }

  StatementPlan run(ReadPlan reads) {
    switch (s_.kind) {
      case Statement::Kind::kSelect:
        if (reads == ReadPlan::kKeyLookup ||
            (reads == ReadPlan::kGetItemOrQueryOrScan && is_full_key_lookup()))
          key_lookup(Op::kGetItem);
        else select();
        break;
      case Statement::Kind::kExists:
        key_lookup(Op::kConditionCheck);
        break;
      case Statement::Kind::kInsert:
        insert();
        break;
      case Statement::Kind::kUpdate:
        update();
        break;
      case Statement::Kind::kDelete:
        erase();
        break;
    }
    ex_.add_to(plan_.request);
    return std::move(plan_);
  }

 private:
  rapidjson::Document::AllocatorType& alloc() { return plan_.request.GetAllocator(); }
  void member(const char* name, rapidjson::Value v) {
    plan_.request.AddMember(rapidjson::StringRef(name), v, alloc());
  }
  void expression(const char* name, const std::string& text_) {
    if (!text_.empty()) member(name, json_string(text_, alloc()));
  }
  void no_index() const {
    if (s_.index)
      throw ApiError::validation("Statements that write items cannot name an index: \"" +
                                 s_.table + "\".\"" + *s_.index + "\"");
  }
  std::vector<std::string> table_keys() const {
    const auto& schema = table_->schema();
    std::vector<std::string> keys{schema.partition_key.name};
    if (schema.sort_key) keys.push_back(schema.sort_key->name);
    return keys;
  }
  std::string partition_key_path() { return ex_.path({{table_keys()[0], {}}}); }
  // The condition that the statement's item exists.
  std::string exists_text() {
    return call_text(expr::Function::kAttributeExists, partition_key_path());
  }
  void projection() {
    std::string text_;
    for (const auto& p : s_.projection) {
      if (!text_.empty()) text_ += ", ";
      text_ += ex_.path(p);
    }
    expression("ProjectionExpression", text_);
  }

  // Takes the full table key from the WHERE's equalities into Key; returns
  // the other conjuncts, which become a condition.
  std::vector<const Expr*> key(const std::vector<const Expr*>& terms) {
    rapidjson::Value key(rapidjson::kObjectType);
    std::vector<const Expr*> rest = terms;
    for (const auto& name : table_keys()) {
      auto it = rest.begin();
      for (; it != rest.end(); ++it)
        if (const partiql::Value* v = equality(**it, name)) {
          key.AddMember(json_string(name, alloc()), ex_.attribute(*v), alloc());
          break;
        }
      if (it == rest.end())
        throw ApiError::validation(
            "Where clause does not contain a mandatory equality on all key attributes");
      rest.erase(it);
    }
    member("Key", std::move(key));
    return rest;
  }

  // Whether the SELECT reads the table (not an index) with a WHERE made of
  // exactly one equality per key attribute of the table.
  bool is_full_key_lookup() const {
    if (s_.index || s_.order_by) return false;
    const auto terms = conjuncts(s_.where);
    const auto keys = table_keys();
    if (terms.size() != keys.size()) return false;
    for (const auto& name : keys)
      if (std::none_of(terms.begin(), terms.end(),
                       [&](const Expr* t) { return equality(*t, name) != nullptr; }))
        return false;
    return true;
  }

  // GetItem (a batch's or transaction's read, or ExecuteStatement's SELECT
  // of one key) or a transaction's
  // ConditionCheck: the WHERE is the full key, plus a condition for checks.
  void key_lookup(Op op) {
    plan_.op = op;
    if (s_.index)
      throw ApiError::validation("A key lookup cannot read an index: \"" + s_.table + "\".\"" +
                                 *s_.index + "\"");
    auto rest = key(conjuncts(s_.where));
    if (op == Op::kGetItem) {
      if (!rest.empty())
        throw ApiError::validation(
            "Where clause does not contain a mandatory equality on all key attributes");
      projection();
      return;
    }
    std::string cond = exists_text();
    if (!rest.empty()) cond += " AND " + and_all(ex_, rest);
    expression("ConditionExpression", cond);
  }

  void select() {
    const auto& schema = table_->schema();
    const storage::KeyAttribute* pk = &schema.partition_key;
    const storage::KeyAttribute* sk = schema.sort_key ? &*schema.sort_key : nullptr;
    std::vector<std::string> keys = table_keys();
    // A multi-attribute index key is read by a Scan of the index with the
    // WHERE as its filter (the planner pins one key attribute, not a tuple).
    bool multi_attribute = false;
    if (s_.index) {
      member("IndexName", json_string(*s_.index, alloc()));
      if (const storage::IndexSchema* ix = table_->find_index(*s_.index)) {
        pk = &ix->partition_key;
        sk = ix->sort_key ? &*ix->sort_key : nullptr;
        keys.push_back(pk->name);
        if (sk) keys.push_back(sk->name);
        multi_attribute = !ix->more_partition_keys.empty() || !ix->more_sort_keys.empty();
      }
    }
    auto terms = conjuncts(s_.where);
    // Query when one conjunct pins the partition key (= or IN) and what is
    // left can be a filter (which may not name key attributes); Scan
    // otherwise.
    std::vector<const Expr*> key_terms, rest;
    const std::vector<Expr>* in = nullptr;  // IN's operands, the key first
    for (const Expr* t : terms) {
      if (key_terms.empty() && equality(*t, pk->name)) {
        key_terms.push_back(t);
      } else if (key_terms.empty() && (in = in_values(*t, pk->name))) {
        key_terms.push_back(t);
      } else if (key_terms.size() == 1 && sk && sort_key_condition(*t, sk->name)) {
        key_terms.push_back(t);
      } else {
        rest.push_back(t);
      }
    }
    bool query = !key_terms.empty() && !multi_attribute;
    for (const Expr* t : rest)
      for (const auto& k : keys)
        if (mentions(*t, k)) query = false;
    if (query) {
      plan_.op = Op::kQuery;
      std::string key_condition;
      if (in) {
        // One Query per value: the first is bound here, the others by the
        // caller, in turn (StatementPlan::partitions).
        plan_.partition_placeholder = ex_.value((*in)[1].value);
        for (size_t i = 2; i < in->size(); ++i)
          plan_.partitions.push_back(ex_.attribute((*in)[i].value));
        key_condition = ex_.path((*in)[0].path) + " = " + plan_.partition_placeholder;
        key_terms.erase(key_terms.begin());
      }
      for (const Expr* t : key_terms)
        key_condition += (key_condition.empty() ? "" : " AND ") + ex_.condition(*t);
      expression("KeyConditionExpression", key_condition);
      expression("FilterExpression", and_all(ex_, rest));
    } else {
      plan_.op = Op::kScan;
      if (s_.where) expression("FilterExpression", ex_.condition(*s_.where));
    }
    if (s_.order_by) {
      if (!query || in || !sk || s_.order_by->size() != 1 ||
          (*s_.order_by)[0].name != sk->name)
        throw ApiError::validation(
            "ORDER BY needs a WHERE that pins the partition key, and can only name the sort "
            "key");
      member("ScanIndexForward", rapidjson::Value(!s_.descending));
    }
    projection();
  }

  void insert() {
    no_index();
    plan_.op = Op::kPutItem;
    rapidjson::Value item = ex_.attribute(s_.item);
    if (!item.IsObject() || !item.HasMember("M") || !item["M"].IsObject())
      throw ApiError::validation("INSERT's VALUE must be a map: {'attribute': value, ...}");
    member("Item", std::move(item["M"]));
    expression("ConditionExpression",
               call_text(expr::Function::kAttributeNotExists, partition_key_path()));
  }

  void update() {
    no_index();
    plan_.op = Op::kUpdateItem;
    auto rest = key(conjuncts(s_.where));
    std::vector<std::string> sets, adds, deletes, removes;
    for (const auto& a : s_.set) {
      const std::string target = ex_.path(a.path);
      const Expr& v = a.value;
      const expr::FunctionDescriptor* f =
          v.kind == Expr::Kind::kCall ? expr::find_function(v.op, expr::kInPartiqlSet)
                                      : nullptr;
      if (f != nullptr) {
        if (v.args.size() < f->min_arguments || v.args.size() > f->max_arguments ||
            v.args[0].kind != Expr::Kind::kPath || ex_.path(v.args[0].path) != target ||
            v.args[1].kind != Expr::Kind::kValue)
          throw ApiError::validation(v.op + " takes the attribute being set and a set: SET a = " +
                                     v.op + "(a, <<...>>)");
        (f->clause == expr::UpdateExpression::Clause::kAdd ? adds : deletes)
            .push_back(target + " " + ex_.value(v.args[1].value));
      } else if (v.kind == Expr::Kind::kArithmetic) {
        sets.push_back(target + " = " + ex_.condition(v.args[0]) + " " + v.op + " " +
                       ex_.condition(v.args[1]));
      } else {
        sets.push_back(target + " = " + ex_.condition(v));
      }
    }
    for (const auto& p : s_.remove) removes.push_back(ex_.path(p));
    std::string update;
    auto clause = [&](const char* word, const std::vector<std::string>& parts) {
      if (parts.empty()) return;
      if (!update.empty()) update += ' ';
      update += word;
      for (size_t i = 0; i < parts.size(); ++i) update += (i ? ", " : " ") + parts[i];
    };
    clause("SET", sets);
    clause("REMOVE", removes);
    clause("ADD", adds);
    clause("DELETE", deletes);
    expression("UpdateExpression", update);
    // UPDATE changes an item that exists, never creates one.
    std::string cond = exists_text();
    if (!rest.empty()) cond += " AND " + and_all(ex_, rest);
    expression("ConditionExpression", cond);
    returning();
  }

  void erase() {
    no_index();
    plan_.op = Op::kDeleteItem;
    auto rest = key(conjuncts(s_.where));
    expression("ConditionExpression", and_all(ex_, rest));
    if (s_.returning != Statement::Returning::kNone &&
        s_.returning != Statement::Returning::kAllOld)
      throw ApiError::validation("Only RETURNING ALL OLD * is allowed in DELETE statements");
    returning();
  }

  void returning() {
    static constexpr const char* kNames[] = {"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW",
                                             "UPDATED_NEW"};
    if (s_.returning == Statement::Returning::kNone) return;
    member("ReturnValues", rapidjson::Value(rapidjson::StringRef(kNames[static_cast<int>(s_.returning)])));
  }

  const Statement& s_;
  StatementPlan plan_;
  std::shared_ptr<storage::Table> table_;
  PartiqlExpressions ex_;
};

}  // namespace

StatementPlan plan_statement(Context& ctx, const Statement& s, const rapidjson::Value* parameters,
                             ReadPlan reads) {
  const size_t given = parameters ? parameters->Size() : 0;
  if (given != s.parameters)
    throw ApiError::validation("Number of parameters in request and statement don't match.");
  return Planner(ctx, s, parameters).run(reads);
}

}  // namespace jormun::ops
