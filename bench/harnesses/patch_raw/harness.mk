# bench/harnesses/patch_raw: the raw-bytes twin of harnesses/patch for
# bench/run.sh (time to bug without typed generators); links targets/patch.
patch_raw_TARGETS := patch
patch_raw_SHARED := harnesses/patch/patch_gen.c
