# bench/harnesses/nic_raw: the raw-bytes twin of harnesses/nic for
# bench/run.sh (time to bug without typed generators); links targets/nic.
nic_raw_TARGETS := nic
nic_raw_SHARED := harnesses/nic/nic_gen.c harnesses/nic/nic_ref.c
