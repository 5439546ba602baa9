/*
 * reuse.c: the nic harness's reference model (run_model: every check after
 * every step, the final drain) and format_op, compiled into nic_raw
 * unchanged, so the raw properties check exactly what model and hostile
 * check. nic_gen.c's generators are compiled but never called here.
 */
#include "../../../harnesses/nic/nic_gen.c"
#include "../../../harnesses/nic/nic_ref.c"
