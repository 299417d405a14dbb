#include "partiql/parser.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "common/api_error.h"
#include "partiql/lexer.h"

namespace jormun::partiql {
namespace {

using Type = Token::Type;

ApiError malformed(std::string_view detail) {
  return ApiError::validation(std::string(kMalformed) + std::string(detail));
}

class Parser {
 public:
  explicit Parser(std::string_view text) : tokens_(tokenize(text)) {}

  Statement statement() {
    Statement s;
    if (accept_keyword("SELECT")) {
      select(s);
    } else if (accept_keyword("INSERT")) {
      insert(s);
    } else if (accept_keyword("UPDATE")) {
      update(s);
    } else if (accept_keyword("DELETE")) {
      erase(s);
    } else if (accept_keyword("EXISTS")) {
      expect_punct("(");
      expect_keyword("SELECT");
      select(s);
      expect_punct(")");
      s.kind = Statement::Kind::kExists;
    } else {
      throw malformed("Expected data manipulation");
    }
    accept_punct(";");
    if (peek().type != Type::kEof) unexpected();
    s.parameters = parameters_;
    return s;
  }

 private:
  const Token& peek(size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  const Token& next() {
    const Token& t = peek();
    if (pos_ < tokens_.size() - 1) ++pos_;
    return t;
  }
  [[noreturn]] void unexpected() const {
    const Token& t = peek();
    if (t.type == Type::kEof) throw malformed("Unexpected end of statement");
    if (t.type == Type::kInvalid)
      throw malformed("Invalid token at position " + std::to_string(t.begin + 1) + ": " +
                      t.text);
    throw malformed("Unexpected token '" + t.text + "' at position " +
                    std::to_string(t.begin + 1));
  }
  bool accept_keyword(std::string_view word) {
    if (!peek().is_keyword(word)) return false;
    next();
    return true;
  }
  void expect_keyword(std::string_view word) {
    if (!accept_keyword(word)) unexpected();
  }
  bool accept_punct(std::string_view p) {
    if (!peek().is_punct(p)) return false;
    next();
    return true;
  }
  void expect_punct(std::string_view p) {
    if (!accept_punct(p)) unexpected();
  }
  // Guards one level of recursion.
  struct Depth {
    explicit Depth(Parser& p) : parser(p) {
      if (++parser.depth_ > kMaxDepth) throw malformed("Statement nests too deeply");
    }
    ~Depth() { --parser.depth_; }
    Parser& parser;
  };

  // A bare or quoted name.
  std::string name() {
    const Token& t = peek();
    if (t.type != Type::kIdentifier && t.type != Type::kQuoted) unexpected();
    return next().text;
  }

  void table(Statement& s) {
    s.table = name();
    if (accept_punct(".")) s.index = name();
  }

  Path path() {
    Path p{{name(), std::nullopt}};
    for (;;) {
      if (accept_punct(".")) {
        p.push_back({name(), std::nullopt});
      } else if (accept_punct("[")) {
        const Token& t = peek();
        // Nine digits at most: DynamoDB's lists are far shorter, and stoull
        // must not overflow.
        if (t.type != Type::kNumber || t.text.size() > 9 ||
            t.text.find_first_not_of("0123456789") != std::string::npos)
          unexpected();
        p.push_back({"", std::stoull(next().text)});
        expect_punct("]");
      } else {
        return p;
      }
    }
  }

  void select(Statement& s) {
    s.kind = Statement::Kind::kSelect;
    if (!accept_punct("*")) {
      do s.projection.push_back(path());
      while (accept_punct(","));
    }
    expect_keyword("FROM");
    table(s);
    if (accept_keyword("WHERE")) s.where = condition();
    if (accept_keyword("ORDER")) {
      expect_keyword("BY");
      s.order_by = path();
      if (accept_keyword("DESC")) s.descending = true;
      else accept_keyword("ASC");
    }
  }

  void insert(Statement& s) {
    s.kind = Statement::Kind::kInsert;
    expect_keyword("INTO");
    table(s);
    expect_keyword("VALUE");
    s.item = value();
  }

  void update(Statement& s) {
    s.kind = Statement::Kind::kUpdate;
    table(s);
    bool any = false;
    for (;;) {
      if (accept_keyword("SET")) {
        do {
          SetAction a{path(), {}};
          expect_punct("=");
          a.value = set_value();
          s.set.push_back(std::move(a));
        } while (accept_punct(","));
      } else if (accept_keyword("REMOVE")) {
        do s.remove.push_back(path());
        while (accept_punct(","));
      } else {
        break;
      }
      any = true;
    }
    if (!any) unexpected();
    expect_keyword("WHERE");
    s.where = condition();
    returning(s);
  }

  void erase(Statement& s) {
    s.kind = Statement::Kind::kDelete;
    expect_keyword("FROM");
    table(s);
    expect_keyword("WHERE");
    s.where = condition();
    returning(s);
  }

  void returning(Statement& s) {
    if (!accept_keyword("RETURNING")) return;
    bool all = accept_keyword("ALL");
    if (!all) expect_keyword("MODIFIED");
    bool old = accept_keyword("OLD");
    if (!old) expect_keyword("NEW");
    expect_punct("*");
    using R = Statement::Returning;
    s.returning = old ? (all ? R::kAllOld : R::kUpdatedOld) : (all ? R::kAllNew : R::kUpdatedNew);
  }

  // SET's right side: an operand, a sum or difference of two, or a function.
  Expr set_value() {
    Expr left = operand();
    if (peek().is_punct("+") || peek().is_punct("-")) {
      Expr e{Expr::Kind::kArithmetic, next().text, {}, {}, {}};
      e.args.push_back(std::move(left));
      e.args.push_back(operand());
      return e;
    }
    return left;
  }

  Expr condition() {
    Depth d(*this);
    Expr left = conjunction();
    if (!peek().is_keyword("OR")) return left;
    Expr e{Expr::Kind::kOr, {}, {}, {}, {}};
    e.args.push_back(std::move(left));
    while (accept_keyword("OR")) e.args.push_back(conjunction());
    return e;
  }

  Expr conjunction() {
    Expr left = negation();
    if (!peek().is_keyword("AND")) return left;
    Expr e{Expr::Kind::kAnd, {}, {}, {}, {}};
    e.args.push_back(std::move(left));
    while (accept_keyword("AND")) e.args.push_back(negation());
    return e;
  }

  Expr negation() {
    if (!accept_keyword("NOT")) return predicate();
    Depth d(*this);
    Expr e{Expr::Kind::kNot, {}, {}, {}, {}};
    e.args.push_back(negation());
    return e;
  }

  Expr predicate() {
    Expr left = operand();
    static constexpr std::string_view kComparisons[] = {"=", "<>", "!=", "<", "<=", ">", ">="};
    for (auto op : kComparisons) {
      if (!accept_punct(op)) continue;
      Expr e{Expr::Kind::kCompare, op == "!=" ? "<>" : std::string(op), {}, {}, {}};
      e.args.push_back(std::move(left));
      e.args.push_back(operand());
      return e;
    }
    if (accept_keyword("BETWEEN")) {
      Expr e{Expr::Kind::kBetween, {}, {}, {}, {}};
      e.args.push_back(std::move(left));
      e.args.push_back(operand());
      expect_keyword("AND");
      e.args.push_back(operand());
      return e;
    }
    const bool negated = peek().is_keyword("NOT") && peek(1).is_keyword("IN");
    if (negated) next();
    if (accept_keyword("IN")) {
      Expr e{Expr::Kind::kIn, {}, {}, {}, {}};
      e.args.push_back(std::move(left));
      const std::string close = peek().is_punct("[") ? "]" : ")";
      if (!accept_punct("[")) expect_punct("(");
      do e.args.push_back(operand());
      while (accept_punct(","));
      expect_punct(close);
      if (!negated) return e;
      Expr n{Expr::Kind::kNot, {}, {}, {}, {}};
      n.args.push_back(std::move(e));
      return n;
    }
    if (accept_keyword("IS")) {
      const bool is_not = accept_keyword("NOT");
      std::string what;
      if (accept_keyword("MISSING")) what = "MISSING";
      else if (accept_keyword("NULL")) what = "NULL";
      else unexpected();
      Expr e{Expr::Kind::kIs, (is_not ? "NOT " : "") + what, {}, {}, {}};
      e.args.push_back(std::move(left));
      return e;
    }
    return left;
  }

  // A path, a literal, a `?`, a function call or a parenthesised condition.
  Expr operand() {
    const Token& t = peek();
    if (t.is_punct("(")) {
      next();
      Expr e = condition();
      expect_punct(")");
      return e;
    }
    if (t.type == Type::kIdentifier && peek(1).is_punct("(")) return call();
    if ((t.type == Type::kIdentifier && !literal_keyword(t)) || t.type == Type::kQuoted)
      return Expr{Expr::Kind::kPath, {}, {}, path(), {}};
    return Expr{Expr::Kind::kValue, {}, {}, {}, value()};
  }

  static bool literal_keyword(const Token& t) {
    return t.is_keyword("TRUE") || t.is_keyword("FALSE") || t.is_keyword("NULL") ||
           t.is_keyword("MISSING");
  }

  Expr call() {
    Depth d(*this);
    std::string fn = next().text;
    for (char& c : fn) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    Expr e{Expr::Kind::kCall, fn, {}, {}, {}};
    expect_punct("(");
    if (!accept_punct(")")) {
      do e.args.push_back(operand());
      while (accept_punct(","));
      expect_punct(")");
    }
    return e;
  }

  Value value() {
    Depth d(*this);
    const Token& t = peek();
    Value v;
    if (t.type == Type::kString) {
      v.kind = Value::Kind::kString;
      v.text = next().text;
    } else if (t.type == Type::kNumber) {
      v.kind = Value::Kind::kNumber;
      v.text = next().text;
    } else if ((t.is_punct("-") || t.is_punct("+")) && peek(1).type == Type::kNumber) {
      v.kind = Value::Kind::kNumber;
      v.text = next().text == "-" ? "-" : "";
      v.text += next().text;
    } else if (t.type == Type::kParameter) {
      next();
      v.kind = Value::Kind::kParameter;
      v.parameter = parameters_++;
    } else if (t.is_keyword("TRUE") || t.is_keyword("FALSE")) {
      v.kind = Value::Kind::kBoolean;
      v.boolean = next().is_keyword("TRUE");
    } else if (t.is_keyword("NULL")) {
      next();
      v.kind = Value::Kind::kNull;
    } else if (t.is_keyword("MISSING")) {
      next();
      v.kind = Value::Kind::kMissing;
    } else if (t.is_punct("[")) {
      next();
      v.kind = Value::Kind::kList;
      elements(v, "]");
    } else if (t.is_punct("<<")) {
      next();
      v.kind = Value::Kind::kSet;
      elements(v, ">>");
    } else if (t.is_punct("{")) {
      next();
      v.kind = Value::Kind::kMap;
      if (!accept_punct("}")) {
        do {
          if (peek().type != Type::kString) unexpected();
          v.keys.push_back(next().text);
          expect_punct(":");
          v.items.push_back(value());
        } while (accept_punct(","));
        expect_punct("}");
      }
    } else {
      unexpected();
    }
    return v;
  }

  void elements(Value& v, std::string_view close) {
    if (accept_punct(close)) return;
    do v.items.push_back(value());
    while (accept_punct(","));
    expect_punct(close);
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  size_t depth_ = 0;
  size_t parameters_ = 0;
};

}  // namespace

Statement parse(std::string_view statement) { return Parser(statement).statement(); }

common::TextCache& statement_cache() {
  static common::TextCache cache(4096);
  return cache;
}

std::shared_ptr<const Statement> parse_cached(std::string_view statement,
                                              common::TextCache& cache) {
  return cache.get<Statement>(std::string(statement), [&] { return parse(statement); });
}

std::optional<std::string> statement_table(std::string_view statement) {
  try {
    return parse_cached(statement)->table;
  } catch (const ApiError&) {
    return std::nullopt;
  }
}

}  // namespace jormun::partiql
