// bench/fdp/h2_hpack.cc: the deep HPACK bugs' property written the way a
// C or C++ user writes structured fuzzing today without pry: libFuzzer's
// FuzzedDataProvider (clang 14, <fuzzer/FuzzedDataProvider.h>) cutting the
// input into values. It checks what harnesses/h2/hpack.c's
// hpack_vs_nghttp2 checks: up to 6 blocks, each maybe after a
// SETTINGS_HEADER_TABLE_SIZE change, either encoded by our encoder or raw
// input octets, decoded by our decoder and by nghttp2's inflater, which
// must both accept or both reject, and then agree on the fields and on the
// dynamic table after every block. Our decoder has a header list limit of
// 768 octets (hpack_vs_nghttp2's VS_LIST_MAX) and nghttp2's has none: we
// must reject a block for it exactly when the list, counted as RFC 9113
// §6.5.2 counts it (name + value + 32 per field), is over 768 (sozu #1272
// counted name + value only: plant hpack-list-overhead). Only the raw
// octets get near the limit (our encoder's blocks here hold 6 small
// fields). pry's third source, blocks from the representation grammar, is
// pry's generator and has no counterpart here. A disagreement aborts (what
// the engines see as a crash). Built by bench/fdp.sh for AFL++
// (afl-clang-fast++) and libFuzzer, per plant.
#include <fuzzer/FuzzedDataProvider.h>
#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "hpack.h"

namespace {

const char *const kNames[] = {":method", ":path", ":authority", ":scheme", "content-type",
                              "cookie", "user-agent", "x-a"};
const char *const kValues[] = {"GET", "POST", "/", "/index.html", "https", "", "a", "gzip"};

std::string draw_string(FuzzedDataProvider &fdp, const char *const *common, size_t n,
                        size_t max) {
  if (fdp.ConsumeBool()) return common[fdp.ConsumeIntegralInRange<size_t>(0, n - 1)];
  return fdp.ConsumeRandomLengthString(max);
}

// RFC 9113 §6.5.2: the size of a header list.
const size_t kListMax = 768;

size_t list_size(const std::vector<std::pair<std::string, std::string>> &l) {
  size_t s = 0;
  for (const auto &f : l) s += f.first.size() + f.second.size() + H2_HPACK_ENTRY_OVERHEAD;
  return s;
}

void fail(const char *what) {
  std::fprintf(stderr, "h2_hpack (FuzzedDataProvider): %s\n", what);
  std::abort();
}

// nghttp2's inflater on one whole block: the fields, or an error.
int ng_inflate(nghttp2_hd_inflater *inf, const uint8_t *in, size_t len,
               std::vector<std::pair<std::string, std::string>> *out) {
  for (;;) {
    nghttp2_nv nv;
    int flags = 0;
    ssize_t rv = nghttp2_hd_inflate_hd2(inf, &nv, &flags, in, len, 1);
    if (rv < 0) return (int)rv;
    in += rv;
    len -= (size_t)rv;
    if (flags & NGHTTP2_HD_INFLATE_EMIT)
      out->emplace_back(std::string((const char *)nv.name, nv.namelen),
                        std::string((const char *)nv.value, nv.valuelen));
    if (flags & NGHTTP2_HD_INFLATE_FINAL) {
      nghttp2_hd_inflate_end_headers(inf);
      return 0;
    }
    if (rv == 0 && len == 0) return -1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FuzzedDataProvider fdp(data, size);
  nghttp2_hd_inflater *inf = nullptr;
  if (nghttp2_hd_inflate_new(&inf) != 0) fail("nghttp2_hd_inflate_new");
  h2_hpack_decoder_config dc;
  h2_hpack_decoder_config_default(&dc);
  dc.max_header_list_size = kListMax;
  dc.max_string_length = 65536;
  h2_hpack_decoder *dec = h2_hpack_decoder_new(&dc);
  h2_hpack_encoder *enc = h2_hpack_encoder_new(H2_HPACK_DEFAULT_TABLE_SIZE);
  h2_header_list out;
  h2_header_list_init(&out);
  std::vector<uint8_t> block(65536);
  bool pending_lower = false;

  for (int b = 0; b < 6 && fdp.remaining_bytes() > 0; b++) {
    if (fdp.ConsumeBool()) {  // a SETTINGS_HEADER_TABLE_SIZE change
      uint32_t s = fdp.ConsumeIntegralInRange<uint32_t>(0, 8192);
      size_t cur = h2_hpack_decoder_table_max_size(dec);
      h2_hpack_decoder_set_max_table_size(dec, s);
      if (nghttp2_hd_inflate_change_table_size(inf, s) != 0) fail("change_table_size");
      if (s < cur) {
        pending_lower = true;
      } else if (!pending_lower) {
        // nghttp2 wants a size update after any change (RFC 7541 only
        // after a lowering): give it one to the maximum in force.
        uint8_t upd[8];
        size_t ul = 0;
        uint32_t v = (uint32_t)cur;
        if (v < 31) {
          upd[ul++] = (uint8_t)(0x20 | v);
        } else {
          upd[ul++] = 0x3f;
          v -= 31;
          while (v >= 128) { upd[ul++] = (uint8_t)(0x80 | (v & 0x7f)); v >>= 7; }
          upd[ul++] = (uint8_t)v;
        }
        std::vector<std::pair<std::string, std::string>> none;
        if (ng_inflate(inf, upd, ul, &none) != 0 || !none.empty()) fail("size update");
      }
      h2_hpack_encoder_set_max_table_size(enc, fdp.ConsumeIntegralInRange<uint32_t>(0, s));
    }
    size_t len = 0;
    if (fdp.ConsumeBool()) {  // a block from our encoder
      size_t n = fdp.ConsumeIntegralInRange<size_t>(0, 6);
      std::vector<std::string> names(n), values(n);
      std::vector<h2_nv> fields(n);
      for (size_t i = 0; i < n; i++) {
        names[i] = draw_string(fdp, kNames, 8, 8);
        values[i] = draw_string(fdp, kValues, 8, 16);
        static const uint8_t kIndexing[] = {0, H2_NV_FLAG_NO_INDEX, H2_NV_FLAG_NEVER_INDEX};
        fields[i].name = (uint8_t *)names[i].data();
        fields[i].namelen = names[i].size();
        fields[i].value = (uint8_t *)values[i].data();
        fields[i].valuelen = values[i].size();
        fields[i].flags = kIndexing[fdp.ConsumeIntegralInRange<int>(0, 2)];
      }
      if (h2_hpack_encode_block(enc, block.data(), block.size(), &len, fields.data(), n) !=
          H2_OK)
        fail("encode");
    } else {  // any octets
      std::vector<uint8_t> raw =
          fdp.ConsumeBytes<uint8_t>(fdp.ConsumeIntegralInRange<size_t>(0, 256));
      len = raw.size();
      std::copy(raw.begin(), raw.end(), block.begin());
    }
    int ours = h2_hpack_decode_block(dec, block.data(), len, &out);
    std::vector<std::pair<std::string, std::string>> ng;
    int theirs = ng_inflate(inf, block.data(), len, &ng);
    if (ours == H2_ERR_HPACK_LIST_TOO_LARGE) {  // our limit: nghttp2 must agree it is over
      if (theirs == 0 && list_size(ng) <= kListMax) fail("list limit applied under the limit");
      break;
    }
    if ((ours == H2_OK) != (theirs == 0)) fail("accept/reject differs");
    if (ours != H2_OK) break;
    pending_lower = false;
    if (out.len != ng.size()) fail("field count differs");
    if (list_size(ng) > kListMax) fail("accepted a header list over the limit");
    for (size_t i = 0; i < ng.size(); i++) {
      const h2_nv &f = out.nva[i];
      if (std::string((const char *)f.name, f.namelen) != ng[i].first ||
          std::string((const char *)f.value, f.valuelen) != ng[i].second)
        fail("field differs");
    }
    if (h2_hpack_decoder_table_size(dec) != nghttp2_hd_inflate_get_dynamic_table_size(inf) ||
        h2_hpack_decoder_table_len(dec) + 61 != nghttp2_hd_inflate_get_num_table_entries(inf))
      fail("dynamic tables differ");
  }
  h2_header_list_free(&out);
  h2_hpack_encoder_del(enc);
  h2_hpack_decoder_del(dec);
  nghttp2_hd_inflate_del(inf);
  return 0;
}
