/*
 * jormun/engine.h -- the JormunDB storage engine ABI, version 1.4.
 *
 * This header is the whole contract between the jormundb server (the "host")
 * and a storage engine plugin. It is plain C: it compiles as C99 and C++, uses
 * only fixed-width integers, byte spans and opaque handles, and no struct holds
 * a `bool` or an `enum` (their sizes are not fixed across compilers).
 *
 * WHAT AN ENGINE IS
 *   An ordered map from byte keys to byte values, split into named keyspaces,
 *   that can apply a batch of puts and deletes atomically. Keys compare as
 *   unsigned bytes (memcmp order, a shorter key before any longer key it is a
 *   prefix of). The engine knows nothing about DynamoDB: tables, items and
 *   indexes are the host's business. The host opens one instance per table.
 *
 * KEYS THE HOST WRITES
 *   Every key the host writes starts with an 8-byte big-endian partition hash.
 *   An engine may shard on that prefix (the SQLite engine maps contiguous hash
 *   ranges to files) but must keep the global byte order of keys.
 *   Keys are long: up to about 7.2 KB (an index entry holds two partition keys
 *   of up to 2 KB and two sort keys of up to 1 KB), often sharing hundreds of
 *   leading bytes. An engine must store, order and bound them like any other.
 *   A key is never empty: `write` refuses a batch holding an empty key with
 *   JORMUN_INVALID_ARGUMENT and applies none of it, and `get` of an empty key
 *   gives JORMUN_INVALID_ARGUMENT. Iterator bounds may be empty.
 *
 * VERSIONING
 *   A plugin exports exactly one symbol, JORMUN_ENTRY_SYMBOL, of type
 *   jormun_entry_fn. The host calls it with the ABI major version it speaks; the
 *   plugin returns its function table for that major, or NULL to refuse.
 *   Within a major version, later minor versions only APPEND members to the
 *   structs below. Every versioned struct starts with `struct_size`; a reader
 *   must check that `struct_size` covers a member before touching it
 *   (JORMUN_HAS_MEMBER does this). Nothing is ever reordered or removed.
 *
 * OWNERSHIP
 *   - Everything the host passes in (bytes, strings, option arrays, batches,
 *     preconditions) is borrowed for the duration of the call only. The
 *     engine copies what it keeps. The one exception is the host-services
 *     table of `open_with_host`, valid until the instance is closed.
 *   - Everything the engine hands out is either delivered through a host
 *     callback during the call (get, stats), or, for iterators, valid until the
 *     next call on the same iterator or its destruction.
 *   - Neither side frees memory the other allocated. Handles are released
 *     through their paired call: open/close, keyspace_open/the instance's
 *     close or keyspace_drop, iter_create/iter_destroy,
 *     snapshot_acquire/snapshot_release.
 *   - Children die before parents: the host destroys every iterator and
 *     releases every snapshot of an instance before closing it, and destroys
 *     iterators over a keyspace before dropping that keyspace.
 *
 * THREADING
 *   - jormun_instance: safe for concurrent calls from any number of threads
 *     (get, write, write_checked, write_joint, iter_create, snapshot_*,
 *     keyspace_*, checkpoint, stats, sync, control),
 *     except `close`, which the host calls once, after all other calls ended.
 *   - jormun_keyspace and jormun_snapshot: immutable handles, usable from any
 *     thread while they live.
 *   - jormun_iterator: belongs to one thread at a time; the host never calls
 *     the same iterator from two threads at once.
 *   - The function table is static and immutable; the entry point may be
 *     called from any thread, any number of times.
 *
 * ERRORS
 *   Every call returns a jormun_status. JORMUN_NOT_FOUND is not an error: it
 *   means "no such key" (get), "no such keyspace" (keyspace_open with
 *   create 0) or "no more entries" (iter_next). On any other
 *   non-OK status the engine writes a human-readable, NUL-terminated message
 *   into the caller's jormun_error buffer (truncated to fit; the buffer may be
 *   NULL, in which case no message is written). A plugin never aborts, exits or
 *   lets an exception cross this boundary, whatever the input.
 *
 * DURABILITY
 *   A successful `write` is atomic: after any crash, either all of its
 *   operations are visible or none is. With JORMUN_WRITE_SYNC it is also
 *   durable when the call returns. Without it, it may be lost in a crash
 *   of the machine (not of the process) but never torn. An engine with
 *   JORMUN_CAP_SYNC promises more, see there.
 */
#ifndef JORMUN_ENGINE_H
#define JORMUN_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ABI version. The major changes only with an incompatible change; the minor
 * grows when members are appended to the structs below. */
#define JORMUN_ABI_MAJOR 1
#define JORMUN_ABI_MINOR 4
/* Minor versions so far (each only adds):
 *   1.0  the table up to `stats`.
 *   1.1  `check_options` appended; JORMUN_CAP_CONCURRENT_SYNC.
 *   1.2  `sync` appended; JORMUN_CAP_SYNC.
 *   1.3  `open_with_host`, `control` and `write_checked` appended;
 *        jormun_host_services, jormun_precondition, JORMUN_CONFLICT,
 *        JORMUN_CAP_PRECONDITIONS.
 *   1.4  `write_joint` appended; jormun_joint_part, JORMUN_CAP_JOINT_WRITES.
 * A host of minor N loads a plugin of any minor <= N (it reads only the
 * members the plugin's struct_size covers) and, since members are only
 * appended, a plugin of a newer minor too (it ignores the members it does
 * not know). */

/* The one symbol a plugin exports, and its type. */
#define JORMUN_ENTRY_SYMBOL "jormun_engine_entry"

/* Visibility for that one symbol; everything else in a plugin is hidden. */
#if defined(_WIN32)
#define JORMUN_EXPORT __declspec(dllexport)
#else
#define JORMUN_EXPORT __attribute__((visibility("default")))
#endif

/* True when a struct that starts with `struct_size` is large enough to hold
 * `member`, i.e. the producer knew about that member. */
#define JORMUN_HAS_MEMBER(ptr, type, member) \
  ((ptr)->struct_size >= offsetof(type, member) + sizeof(((type*)0)->member))

/* ---------------------------------------------------------------- status */

/* Status codes. DO NOT CHANGE the values: plugins are built separately. */
typedef int32_t jormun_status;
#define JORMUN_OK 0
/* Not an error: no such key or keyspace, or the iterator is exhausted. */
#define JORMUN_NOT_FOUND 1
/* The caller passed something the engine rejects: an unknown option, a bad
 * option value, a handle from another instance, an empty keyspace name. */
#define JORMUN_INVALID_ARGUMENT 2
/* The operating system failed a read, write, open or sync. */
#define JORMUN_IO_ERROR 3
/* Stored data failed a consistency check. */
#define JORMUN_CORRUPTION 4
/* The call needs a capability the engine does not have. */
#define JORMUN_NOT_SUPPORTED 5
/* A transient condition (a lock held by another process); retrying may work. */
#define JORMUN_BUSY 6
/* The disk or a configured size limit is full. */
#define JORMUN_NO_SPACE 7
/* Memory allocation failed. */
#define JORMUN_NO_MEMORY 8
/* Anything else: a bug in the engine or its library. */
#define JORMUN_INTERNAL 9
/* Since 1.3. `write_checked` applied nothing because a precondition no
 * longer held: another writer changed a key the caller read. Not a fault;
 * the caller reads again and decides again. Only `write_checked` returns it. */
#define JORMUN_CONFLICT 10

/* A caller-owned buffer the engine writes a NUL-terminated message into.
 * `capacity` includes the terminator; the engine truncates to fit. */
typedef struct jormun_error {
  char* message;
  size_t capacity;
} jormun_error;

/* ---------------------------------------------------------------- bytes */

/* A borrowed span of bytes. `data` may be NULL when `size` is 0. */
typedef struct jormun_bytes {
  const uint8_t* data;
  size_t size;
} jormun_bytes;

/* ---------------------------------------------------------------- handles */

typedef struct jormun_instance jormun_instance; /* one open engine instance */
typedef struct jormun_keyspace jormun_keyspace; /* a named keyspace in it   */
typedef struct jormun_iterator jormun_iterator; /* a range cursor           */
typedef struct jormun_snapshot jormun_snapshot; /* a consistent read view   */

/* ---------------------------------------------------------------- options */

/* One engine option, from the engine's `options:` map in jormun.yaml. Both
 * strings are NUL-terminated UTF-8. An engine rejects keys it does not know
 * with JORMUN_INVALID_ARGUMENT and a message naming the key. */
typedef struct jormun_option {
  const char* key;
  const char* value;
} jormun_option;

/* ---------------------------------------------------------------- writes */

/* Operation kinds in a write batch. DO NOT CHANGE the values. */
#define JORMUN_OP_PUT 1
#define JORMUN_OP_DELETE 2

/* One operation of an atomic write batch. Deleting an absent key is OK.
 * Within one batch, a later operation on the same key wins. */
typedef struct jormun_write_op {
  uint32_t kind;             /* JORMUN_OP_PUT or JORMUN_OP_DELETE */
  uint32_t reserved;         /* must be 0 */
  jormun_keyspace* keyspace; /* of the same instance */
  jormun_bytes key;
  jormun_bytes value; /* ignored for JORMUN_OP_DELETE */
} jormun_write_op;

/* Since 1.3. What a precondition of `write_checked` expects of its key.
 * DO NOT CHANGE the values. */
#define JORMUN_EXPECT_ABSENT 1 /* the key has no value */
#define JORMUN_EXPECT_VALUE 2  /* the key's value is `value`, byte for byte */

/* Since 1.3. One precondition of a `write_checked` batch: the state of one
 * key as the caller last read it. Its "version" is the value itself, so the
 * engine needs no version column; it may compare a hash of the stored value
 * instead of the bytes, if a collision is out of reach (a 256-bit digest).
 * Same layout as jormun_write_op. */
typedef struct jormun_precondition {
  uint32_t kind;             /* JORMUN_EXPECT_ABSENT or JORMUN_EXPECT_VALUE */
  uint32_t reserved;         /* must be 0 */
  jormun_keyspace* keyspace; /* of the same instance */
  jormun_bytes key;          /* non-empty */
  jormun_bytes value;        /* ignored for JORMUN_EXPECT_ABSENT */
} jormun_precondition;

/* Since 1.4. One instance's share of a `write_joint` call: a batch and its
 * preconditions, exactly as `write_checked` takes them (every keyspace of
 * `ops` and `preconditions` is one of `instance`'s). The layout is fixed;
 * a later minor that needs more adds a call rather than grow this. */
typedef struct jormun_joint_part {
  jormun_instance* instance;
  const jormun_write_op* ops;
  size_t count;
  const jormun_precondition* preconditions;
  size_t precondition_count;
} jormun_joint_part;

/* Write flags. */
#define JORMUN_WRITE_SYNC 1u /* durable on disk before `write` returns */

/* ---------------------------------------------------------------- ranges */

/* Bound kinds for an iterator range. DO NOT CHANGE the values. */
#define JORMUN_BOUND_NONE 0      /* unbounded on this side; `key` ignored */
#define JORMUN_BOUND_INCLUSIVE 1 /* keys >= lower / <= upper */
#define JORMUN_BOUND_EXCLUSIVE 2 /* keys >  lower / <  upper */

/* Iterator options. Set `struct_size = sizeof(jormun_iter_options)`. */
typedef struct jormun_iter_options {
  uint32_t struct_size;
  uint32_t reverse; /* 0: ascending key order; 1: descending */
  uint32_t lower_kind;
  uint32_t upper_kind;
  jormun_bytes lower;
  jormun_bytes upper;
  /* Read at this snapshot (from the same instance): exactly the state the
   * snapshot pinned. NULL: read committed data as a walk, as follows. Keys
   * come in strictly ascending (descending) order within the bounds, each
   * at most once. A key present from the iterator's creation until the walk
   * reaches it is returned; one absent all that time is not; each value
   * returned is one its key had at some moment of that time. A key written
   * or deleted meanwhile may or may not be seen. That is what the host's
   * paged Query and Scan need ("keys never move"). An engine may read one
   * state throughout (RocksDB does) but need not, even with
   * JORMUN_CAP_SNAPSHOTS: the LMDB engine moves to newer data when its map
   * grows, the SQLite engine reads each partition as it reaches it. For
   * one point-in-time view, pass a snapshot. */
  const jormun_snapshot* snapshot;
} jormun_iter_options;

/* ---------------------------------------------------------------- callbacks */

/* Receives one value from `get`. `data` is valid only during the callback. */
typedef void (*jormun_value_fn)(void* ctx, const uint8_t* data, size_t size);

/* Receives one statistic from `stats`, or one line of a `control` command's
 * answer: NUL-terminated name and value, valid only during the callback. */
typedef void (*jormun_stat_fn)(void* ctx, const char* name, const char* value);

/* ---------------------------------------------------------------- capabilities */

/* Capability bits in jormun_engine_api.capabilities. A bit promises the calls
 * that go with it work (the host refuses a plugin whose bit has NULL calls). */
#define JORMUN_CAP_SNAPSHOTS 1ull  /* snapshot_acquire/release, reads at a snapshot */
#define JORMUN_CAP_CHECKPOINT 2ull /* checkpoint */
/* Since 1.1. Concurrent `write` calls with JORMUN_WRITE_SYNC share their
 * disk flushes inside the engine (a write group, or independent files synced
 * in parallel), so a host with many synced writes in flight calls `write`
 * from several threads at once. Without the bit the host merges concurrent
 * synced batches into one `write` itself. No calls go with this bit. */
#define JORMUN_CAP_CONCURRENT_SYNC 4ull
/* Since 1.2. `sync`, and ordered durability: a crash of the machine loses
 * unsynced writes from the end only, key by key. If a write that touched a
 * key survives a crash, so does every write that touched that key and
 * returned before the surviving one was called (whole, being atomic). A
 * write-ahead log recovered up to its first torn record (RocksDB, SQLite's
 * WAL per file) or commits applied in order (LMDB) give it. The host relies
 * on it to write the shares of a multi-table transaction unsynced: it syncs
 * the transaction's intent in its own log, and recovery writes a share
 * again only when the share's marker is missing, which the promise makes
 * safe (no later write to the share's keys can have survived). Without the
 * bit the host syncs every such share. */
#define JORMUN_CAP_SYNC 8ull
/* Since 1.3. `write_checked`: a batch applied only if the preconditions it
 * carries still hold, checked and applied as one atomic step against every
 * other writer of the same data, in this process or any other. An engine
 * whose data only one process can write (RocksDB, SQLite, LMDB: the host's
 * own locks already serialise the read and the write) need not have it; an
 * engine that several hosts share (PostgreSQL) must, or conditional writes
 * from two hosts are not exact. */
#define JORMUN_CAP_PRECONDITIONS 16ull
/* Since 1.4. `write_joint`: the batches of several instances of this
 * engine, each with its preconditions, applied as one atomic unit, where
 * the engine can (instances kept in one database). The host uses it for a
 * transaction over several tables when several processes share the data:
 * its own transaction log lives in one process and cannot make such a
 * write atomic for the others. An engine with it has
 * JORMUN_CAP_PRECONDITIONS too. */
#define JORMUN_CAP_JOINT_WRITES 32ull

/* ---------------------------------------------------------------- host services */

/* Log levels for jormun_host_services.log. DO NOT CHANGE the values. */
#define JORMUN_LOG_ERROR 1
#define JORMUN_LOG_WARN 2
#define JORMUN_LOG_INFO 3
#define JORMUN_LOG_DEBUG 4

/* Since 1.3. What the host offers an engine, passed to `open_with_host`.
 * Set `struct_size = sizeof(jormun_host_services)`; an engine checks
 * struct_size (JORMUN_HAS_MEMBER) before it touches a member, since a newer
 * host may pass a longer struct and an older one a shorter.
 *   Lifetime: the struct and `ctx` stay valid from `open_with_host` until
 *   `close` of that instance returns; the engine may keep the pointer.
 *   Threading: every callback may be called from any thread, the engine's
 *   background threads included, concurrently, and returns quickly (it
 *   never calls back into the engine). Strings are NUL-terminated and
 *   borrowed for the callback only. A callback may be NULL: the engine then
 *   keeps the news to itself. */
typedef struct jormun_host_services {
  uint32_t struct_size;
  uint32_t reserved; /* 0 */
  void* ctx;         /* passed back to every callback */
  /* A line for the host's log, at a JORMUN_LOG_* level, without a trailing
   * newline. The host adds the time and the level; the engine names itself
   * and the instance (its directory) in the line, as the host may hand
   * every instance the same table. */
  void (*log)(void* ctx, uint32_t level, const char* message);
  /* A failure the engine met outside any call (a background compaction or
   * flush failed, the disk filled): `status` is what calls will now likely
   * answer. The host logs it and may report it on its health endpoint; it
   * does not close the instance. */
  void (*background_error)(void* ctx, jormun_status status, const char* message);
} jormun_host_services;

/* ---------------------------------------------------------------- the table */

typedef struct jormun_engine_api {
  /* sizeof(jormun_engine_api) as the plugin was compiled. */
  uint32_t struct_size;
  /* JORMUN_ABI_MAJOR and JORMUN_ABI_MINOR as the plugin was compiled. */
  uint32_t abi_major;
  uint32_t abi_minor;
  uint32_t reserved; /* 0 */
  /* Engine name ("rocksdb") and version text, NUL-terminated, static. */
  const char* name;
  const char* version;
  /* JORMUN_CAP_* bits. */
  uint64_t capabilities;

  /* Opens (creating if absent) an instance whose files live in `data_dir`,
   * a directory that exists and that this instance owns alone. On success,
   * stores the instance in *out. Keyspaces created earlier in the same
   * directory exist again after reopen. */
  jormun_status (*open)(const char* data_dir, const jormun_option* options,
                        size_t option_count, jormun_instance** out, jormun_error* err);

  /* Closes the instance and frees everything it owns, its keyspace handles
   * included. REQUIRES: no iterator or snapshot of it is alive and no other
   * call on it is running. Synced writes are durable; unsynced writes are
   * flushed as far as the engine can. */
  void (*close)(jormun_instance* instance);

  /* Returns the handle of keyspace `name` (non-empty bytes, any values, up to
   * at least 1024 of them: the host's are "items" and "index:" + an index
   * name of up to 255 characters), creating it when `create` is 1; with `create` 0 an absent keyspace gives JORMUN_NOT_FOUND.
   * The handle is owned by the instance and stays valid until keyspace_drop
   * on it or close. Opening the same name twice gives the same handle. */
  jormun_status (*keyspace_open)(jormun_instance* instance, jormun_bytes name,
                                 uint32_t create, jormun_keyspace** out,
                                 jormun_error* err);

  /* Deletes a keyspace and all its entries; the handle becomes invalid.
   * REQUIRES: no iterator over it is alive. */
  jormun_status (*keyspace_drop)(jormun_instance* instance, jormun_keyspace* keyspace,
                                 jormun_error* err);

  /* Point read. On JORMUN_OK calls `fn(ctx, value)` exactly once during the
   * call; on JORMUN_NOT_FOUND does not call it. `snapshot` may be NULL (read
   * the latest committed state). */
  jormun_status (*get)(jormun_instance* instance, jormun_keyspace* keyspace,
                       const jormun_snapshot* snapshot, jormun_bytes key,
                       jormun_value_fn fn, void* ctx, jormun_error* err);

  /* Applies `count` operations atomically (all or none, also across a crash),
   * possibly across several keyspaces of this instance. `flags` is a set of
   * JORMUN_WRITE_* bits. A batch with count 0 is OK and does nothing. */
  jormun_status (*write)(jormun_instance* instance, const jormun_write_op* ops,
                         size_t count, uint32_t flags, jormun_error* err);

  /* Creates a cursor over `keyspace` within the bounds of `options`, in the
   * direction it asks. What it sees of writes made after its creation is
   * stated at jormun_iter_options.snapshot; they never invalidate it. */
  jormun_status (*iter_create)(jormun_instance* instance, jormun_keyspace* keyspace,
                               const jormun_iter_options* options, jormun_iterator** out,
                               jormun_error* err);

  /* Advances to the next entry in the iterator's direction (the first call
   * gives the first entry) and stores its key and value in *key and *value.
   * They stay valid until the next call on this iterator or its destruction.
   * Returns JORMUN_NOT_FOUND when no entry is left, and again on every later
   * call. */
  jormun_status (*iter_next)(jormun_iterator* iterator, jormun_bytes* key,
                             jormun_bytes* value, jormun_error* err);

  /* Frees the iterator. NULL is allowed and does nothing. */
  void (*iter_destroy)(jormun_iterator* iterator);

  /* JORMUN_CAP_SNAPSHOTS: pins the current committed state for reads until
   * release. NULL when the capability bit is clear. */
  jormun_status (*snapshot_acquire)(jormun_instance* instance, jormun_snapshot** out,
                                    jormun_error* err);
  void (*snapshot_release)(jormun_instance* instance, jormun_snapshot* snapshot);

  /* JORMUN_CAP_CHECKPOINT: writes a consistent copy of the whole instance to
   * `target_dir`, which must not exist yet. `open` on that directory gives an
   * instance with the same keyspaces and entries. NULL when the bit is clear. */
  jormun_status (*checkpoint)(jormun_instance* instance, const char* target_dir,
                              jormun_error* err);

  /* Reports engine statistics as name/value pairs through `fn` during the
   * call. Names are engine-specific; "approximate_size_bytes" is recommended. */
  jormun_status (*stats)(jormun_instance* instance, jormun_stat_fn fn, void* ctx,
                         jormun_error* err);

  /* ---- ABI 1.1. Read only when struct_size covers them (JORMUN_HAS_MEMBER);
   * a 1.0 plugin's table ends above. */

  /* Optional (NULL: not provided). Checks `options` exactly as `open` would
   * and touches no file: JORMUN_OK, or JORMUN_INVALID_ARGUMENT with a message
   * naming the first option refused. The host calls it at start-up for every
   * configured engine so that a bad option stops the server before it
   * serves; without it the host opens and closes a throwaway instance in a
   * temporary directory instead, which costs what an engine's open costs. */
  jormun_status (*check_options)(const jormun_option* options, size_t option_count,
                                 jormun_error* err);

  /* ---- ABI 1.2. Read only when struct_size covers them. */

  /* JORMUN_CAP_SYNC: makes every `write` that returned before this call
   * durable, as if each had passed JORMUN_WRITE_SYNC (RocksDB: a WAL sync;
   * LMDB: an environment sync; SQLite: each partition's WAL file synced).
   * Writes running meanwhile may or may not be covered. The host calls it
   * rarely (before it drops the intents of its transaction log, and at
   * start-up), so it may cost a flush of every file the instance holds.
   * NULL when the bit is clear. */
  jormun_status (*sync)(jormun_instance* instance, jormun_error* err);

  /* ---- ABI 1.3. Read only when struct_size covers them. */

  /* Optional (NULL: the host calls `open`). `open` with host services:
   * `host` (may be NULL, meaning none) stays valid until `close` of the
   * instance returns (see jormun_host_services). Everything else is as for
   * `open`; a host that has it never calls `open`. */
  jormun_status (*open_with_host)(const char* data_dir, const jormun_option* options,
                                  size_t option_count, const jormun_host_services* host,
                                  jormun_instance** out, jormun_error* err);

  /* Optional (NULL: every command is unsupported). Engine-specific
   * administration: runs `command` (NUL-terminated, e.g. "compact",
   * "flush") with arguments `args` (key/value strings, as options are) and
   * reports its answer as name/value pairs through `fn` during the call (any
   * number, none included). An unknown command is JORMUN_NOT_SUPPORTED with
   * a message naming it, and does nothing; unknown or bad arguments are
   * JORMUN_INVALID_ARGUMENT. Thread-safe like every instance call; a command
   * may take long (a full compaction), and other calls go on meanwhile.
   * Commands an engine knows are listed in its documentation. */
  jormun_status (*control)(jormun_instance* instance, const char* command,
                           const jormun_option* args, size_t arg_count, jormun_stat_fn fn,
                           void* ctx, jormun_error* err);

  /* JORMUN_CAP_PRECONDITIONS: `write` of `ops` (with `flags`), applied only
   * if each of the `precondition_count` preconditions holds at the moment
   * the batch applies; otherwise nothing is applied and the answer is
   * JORMUN_CONFLICT (the message may name the key). Checking and applying
   * are one atomic step against every writer, of any process, of the same
   * keyspaces. A precondition's key need not be written by the batch (a
   * read-only dependency). With no preconditions it is `write`. Bad
   * preconditions (unknown kind, empty key, a keyspace of another
   * instance) are JORMUN_INVALID_ARGUMENT, checked before anything is
   * applied. NULL when the bit is clear. */
  jormun_status (*write_checked)(jormun_instance* instance, const jormun_write_op* ops,
                                 size_t count, const jormun_precondition* preconditions,
                                 size_t precondition_count, uint32_t flags,
                                 jormun_error* err);

  /* ---- ABI 1.4. Read only when struct_size covers them. */

  /* JORMUN_CAP_JOINT_WRITES: `write_checked` of `part_count` parts at once,
   * each part a batch of one instance with its preconditions, applied as
   * one atomic unit: all parts or none, also across a crash, and no reader
   * of any of the instances, in this process or another, sees one part
   * applied without the others. Checking every part's preconditions and
   * applying every part are one step against every writer of the same
   * keyspaces (`write`, `write_checked` and other `write_joint` calls, of
   * any process). `flags` is for every part (JORMUN_WRITE_SYNC: all durable
   * when the call returns).
   *   Answers: JORMUN_OK, every part applied. JORMUN_CONFLICT, nothing
   *   applied: a precondition of some part no longer holds (as for
   *   `write_checked`; the message may name the part and the key).
   *   JORMUN_NOT_SUPPORTED, nothing applied, not a fault: the engine cannot
   *   write these instances together (they live in different databases,
   *   say); the host then makes the write atomic its own way, or refuses
   *   it. JORMUN_INVALID_ARGUMENT, nothing applied: no parts, a NULL
   *   instance, an instance in two parts, or a bad operation or
   *   precondition (as `write` and `write_checked` check them). Any other
   *   status is a failure as for `write`: nothing applied.
   *   Every instance is one this engine's table opened, not closed yet; a
   *   part with no operations and no preconditions is allowed and does
   *   nothing. Thread-safe like every instance call, concurrently with any
   *   call on any of the instances. NULL when the bit is clear. */
  jormun_status (*write_joint)(const jormun_joint_part* parts, size_t part_count,
                               uint32_t flags, jormun_error* err);
} jormun_engine_api;

/* The entry point. Returns the function table for `host_abi_major`, or NULL
 * when the plugin does not speak that major version. The table is static. */
typedef const jormun_engine_api* (*jormun_entry_fn)(uint32_t host_abi_major);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* JORMUN_ENGINE_H */
