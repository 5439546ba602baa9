# patch/gnu_agrees starts GNU patch for every input: not for an OSS-Fuzz
# runner image (no patch(1) there), and slow under any fuzzer.
patch_OSS_FUZZ_SKIP := gnu_agrees
