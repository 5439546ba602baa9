// bench/fdp/patch_hunks.cc: the deep patch bugs' property (plus-anchor,
// offset-reset) written the way a C or C++ user writes structured fuzzing
// today without pry: libFuzzer's FuzzedDataProvider (clang 14,
// <fuzzer/FuzzedDataProvider.h>) cutting the input into values. It checks
// what harnesses/patch/hunks.c's multi_hunk checks: a file a and an edited
// copy b, the diff(a, b) of several hunks (3 lines of context), applied to
// a with some lines put in front, must give those lines followed by b
// (GNU patch carries the offset one hunk needed on to the next: "plus or
// minus any offset used in applying the previous hunk").
//
// The file and the edit are drawn the usual way, not by pry's generator:
// each line is a short FDP string, kept, removed, added or replaced. As in
// multi_hunk, only the first hunk is searched for, so with lines in front
// its old side must occur once in the file it is applied to and no hunk may
// be anchored at the start (less leading than trailing context, which GNU
// does not move); other inputs are skipped. A wrong result aborts (what the
// engines see as a crash). Built by bench/fdp.sh for AFL++
// (afl-clang-fast++) and libFuzzer, per plant.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

extern "C" {
#include "patch.h"
}

namespace {

// One line, without its newline (a line may hold any other byte).
std::string draw_line(FuzzedDataProvider &fdp) {
  std::string s = fdp.ConsumeRandomLengthString(8);
  for (char &c : s)
    if (c == '\n') c = ' ';
  return s;
}

std::string join(const std::vector<std::string> &lines) {
  std::string s;
  for (const std::string &l : lines) s += l + "\n";
  return s;
}

// How often the hunk's old side (context and removed lines) occurs in lines.
size_t occurrences(const patch_hunk &hk, const std::vector<std::string> &lines) {
  std::vector<std::string> old;
  for (size_t i = 0; i < hk.nlines; i++)
    if (hk.lines[i].kind != '+') old.emplace_back(hk.lines[i].text, hk.lines[i].len);
  size_t n = 0;
  for (size_t at = 0; !old.empty() && at + old.size() <= lines.size(); at++) {
    size_t k = 0;
    while (k < old.size() && lines[at + k] == old[k]) k++;
    n += k == old.size();
  }
  return n;
}

bool anchored_at_start(const patch_file &d) {
  for (size_t h = 0; h < d.nhunks; h++) {
    const patch_hunk &hk = d.hunks[h];
    size_t lead = 0, trail = 0;
    while (lead < hk.nlines && hk.lines[lead].kind == ' ') lead++;
    while (trail < hk.nlines && hk.lines[hk.nlines - 1 - trail].kind == ' ') trail++;
    if (lead < trail) return true;
  }
  return false;
}

void fail(const patch_file *d, const char *what) {
  char *text = nullptr;
  size_t len = 0;
  if (patch_file_print(d, &text, &len) == PATCH_OK) {
    std::fprintf(stderr, "%zu hunks:\n", d->nhunks);
    std::fwrite(text, 1, len, stderr);
  }
  patch_bytes_free(text);
  std::fprintf(stderr, "patch_hunks (FuzzedDataProvider): %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FuzzedDataProvider fdp(data, size);
  // The file a and its edit b, line by line: mostly kept lines, so that
  // changes far enough apart make separate hunks.
  std::vector<std::string> a, b, prefix;
  size_t n = fdp.ConsumeIntegralInRange<size_t>(0, 96);
  for (size_t i = 0; i < n && fdp.remaining_bytes() > 0; i++) {
    std::string line = draw_line(fdp);
    switch (fdp.ConsumeIntegralInRange<int>(0, 7)) {
      case 0: a.push_back(line); break;                        // removed
      case 1: b.push_back(line); break;                        // added
      case 2: a.push_back(line); b.push_back(draw_line(fdp)); break;  // replaced
      default: a.push_back(line); b.push_back(line); break;   // kept
    }
  }
  size_t np = fdp.ConsumeIntegralInRange<size_t>(0, 6);
  for (size_t i = 0; i < np; i++) prefix.push_back(draw_line(fdp));
  if (a.empty()) return 0;

  std::string sa = join(a), sb = join(b), sp = join(prefix);
  patch_diff_options opts = {3, "a", "b"};
  patch_file *d = nullptr;
  if (patch_diff(sa.data(), sa.size(), sb.data(), sb.size(), &opts, &d) != PATCH_OK) {
    std::fprintf(stderr, "patch_hunks (FuzzedDataProvider): diff failed\n");
    std::abort();
  }
  std::vector<std::string> pa = prefix;
  pa.insert(pa.end(), a.begin(), a.end());
  if (!prefix.empty() && d->nhunks > 0 &&
      (anchored_at_start(*d) || occurrences(d->hunks[0], pa) != 1)) {
    patch_file_free(d);
    return 0;  // the first hunk could rightly land elsewhere: not a test
  }
  std::string in = sp + sa, want = sp + sb;
  patch_apply_options ao = {0, 2};
  char *out = nullptr;
  size_t out_len = 0;
  int r = patch_file_apply(d, in.data(), in.size(), &ao, &out, &out_len, nullptr);
  if (r != PATCH_OK) fail(d, "the diff did not apply");
  if (std::string(out, out_len) != want) fail(d, "prefix + a patched is not prefix + b");
  patch_bytes_free(out);
  patch_file_free(d);
  return 0;
}
