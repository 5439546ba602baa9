# bench/harnesses/h2_raw: the raw-bytes twin of harnesses/h2 for
# bench/run.sh (time to bug without typed generators); links targets/h2.
h2_raw_TARGETS := h2
h2_raw_SHARED := harnesses/h2/h2_gen.c harnesses/h2/feed.c
