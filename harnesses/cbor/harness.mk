# harnesses/cbor: properties over the system libcbor (libcbor-dev); no
# target of ours to link.
cbor_TARGETS :=
cbor_LDLIBS := -lcbor
