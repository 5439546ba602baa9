# harnesses/hpack_session: a stateful property of the h2 target's HPACK
# encoder and decoder (RFC 7541) across many header blocks; links targets/h2.
hpack_session_TARGETS := h2
