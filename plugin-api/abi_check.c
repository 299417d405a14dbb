/* Compiles engine.h as plain C and pins the layout of every ABI struct on
 * LP64 targets. A failure here means an ABI break: bump JORMUN_ABI_MAJOR or
 * undo the change. */
#include <jormun/engine.h>

#define PIN_SIZE(type, n) _Static_assert(sizeof(type) == (n), #type " size changed")
#define PIN_AT(type, member, n) \
  _Static_assert(offsetof(type, member) == (n), #type "." #member " moved")

#if UINTPTR_MAX == 0xffffffffffffffffu
PIN_SIZE(jormun_error, 16);
PIN_AT(jormun_error, capacity, 8);

PIN_SIZE(jormun_bytes, 16);
PIN_AT(jormun_bytes, size, 8);

PIN_SIZE(jormun_option, 16);
PIN_AT(jormun_option, value, 8);

PIN_SIZE(jormun_write_op, 48);
PIN_AT(jormun_write_op, reserved, 4);
PIN_AT(jormun_write_op, keyspace, 8);
PIN_AT(jormun_write_op, key, 16);
PIN_AT(jormun_write_op, value, 32);

PIN_SIZE(jormun_iter_options, 56);
PIN_AT(jormun_iter_options, reverse, 4);
PIN_AT(jormun_iter_options, lower_kind, 8);
PIN_AT(jormun_iter_options, upper_kind, 12);
PIN_AT(jormun_iter_options, lower, 16);
PIN_AT(jormun_iter_options, upper, 32);
PIN_AT(jormun_iter_options, snapshot, 48);

PIN_SIZE(jormun_precondition, 48);
PIN_AT(jormun_precondition, reserved, 4);
PIN_AT(jormun_precondition, keyspace, 8);
PIN_AT(jormun_precondition, key, 16);
PIN_AT(jormun_precondition, value, 32);

PIN_SIZE(jormun_host_services, 32);
PIN_AT(jormun_host_services, reserved, 4);
PIN_AT(jormun_host_services, ctx, 8);
PIN_AT(jormun_host_services, log, 16);
PIN_AT(jormun_host_services, background_error, 24);

PIN_SIZE(jormun_joint_part, 40);
PIN_AT(jormun_joint_part, ops, 8);
PIN_AT(jormun_joint_part, count, 16);
PIN_AT(jormun_joint_part, preconditions, 24);
PIN_AT(jormun_joint_part, precondition_count, 32);

PIN_SIZE(jormun_engine_api, 192);
PIN_AT(jormun_engine_api, abi_major, 4);
PIN_AT(jormun_engine_api, abi_minor, 8);
PIN_AT(jormun_engine_api, reserved, 12);
PIN_AT(jormun_engine_api, name, 16);
PIN_AT(jormun_engine_api, version, 24);
PIN_AT(jormun_engine_api, capabilities, 32);
PIN_AT(jormun_engine_api, open, 40);
PIN_AT(jormun_engine_api, close, 48);
PIN_AT(jormun_engine_api, keyspace_open, 56);
PIN_AT(jormun_engine_api, keyspace_drop, 64);
PIN_AT(jormun_engine_api, get, 72);
PIN_AT(jormun_engine_api, write, 80);
PIN_AT(jormun_engine_api, iter_create, 88);
PIN_AT(jormun_engine_api, iter_next, 96);
PIN_AT(jormun_engine_api, iter_destroy, 104);
PIN_AT(jormun_engine_api, snapshot_acquire, 112);
PIN_AT(jormun_engine_api, snapshot_release, 120);
PIN_AT(jormun_engine_api, checkpoint, 128);
PIN_AT(jormun_engine_api, stats, 136);
PIN_AT(jormun_engine_api, check_options, 144); /* 1.1 */
PIN_AT(jormun_engine_api, sync, 152);          /* 1.2 */
PIN_AT(jormun_engine_api, open_with_host, 160); /* 1.3 */
PIN_AT(jormun_engine_api, control, 168);        /* 1.3 */
PIN_AT(jormun_engine_api, write_checked, 176);  /* 1.3 */
PIN_AT(jormun_engine_api, write_joint, 184);    /* 1.4 */
#endif
