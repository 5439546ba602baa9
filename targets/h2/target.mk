h2_LDLIBS := -lnghttp2
