// PgInstance::checkpoint: a consistent copy of an instance, made inside the
// database; and the fork of a copied directory, made the same way.
//
// The copy is a new instance id whose keyspaces are new tables filled by
// INSERT ... SELECT from the source's, all in one REPEATABLE READ
// transaction: every table is copied as of the same moment, so the copy
// holds whole batches, and it commits (or not) as a whole. The target
// directory then gets the new id; opening it (with the same engine options)
// gives the copy. The directory is made first, which refuses an existing
// one before anything is copied.
#include <filesystem>

#include "instance.h"
#include "instance_id.h"
#include "retry.h"

namespace jormun::postgres {

void PgInstance::copy_keyspaces(const std::string& from_id, const std::string& to_id) {
  with_retry(*pool_, [&](Connection& c) {
    c.exec("BEGIN ISOLATION LEVEL REPEATABLE READ");
    Result spaces = c.run(sql::list_keyspaces(schema_), {from_id});
    for (int i = 0; i < spaces.rows(); ++i) {
      std::string name(spaces.bytes(i, 0));
      sql::KeyspaceSql from(schema_, std::string(spaces.bytes(i, 1)));
      const std::string relname = "k" + to_id + "_" + random_id().substr(0, 8);
      sql::KeyspaceSql to(schema_, relname);
      c.exec(to.create());
      c.exec(to.copy_from(from.table));
      c.run(sql::register_keyspace(schema_), {to_id, name, relname});
    }
    c.exec("COMMIT");
  });
}

void PgInstance::checkpoint(const std::string& target_dir) {
  std::error_code ec;
  if (!std::filesystem::create_directory(target_dir, ec) || ec)
    throw plugin::Error(JORMUN_IO_ERROR, "postgres: checkpoint: cannot create '" +
                                             target_dir + "': " +
                                             (ec ? ec.message() : "it exists"));
  const std::string copy_id = random_id();
  try {
    copy_keyspaces(id_, copy_id);
    store_id(target_dir, copy_id);
  } catch (...) {
    // The copy's tables stay behind if the transaction committed but the id
    // file could not be written: unreachable, like any dropped instance's.
    std::filesystem::remove_all(target_dir, ec);
    throw;
  }
}

}  // namespace jormun::postgres
