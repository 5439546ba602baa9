/* errors.c: result texts, RFC 9113 §7 error code names, frame type names. */
#include "h2_internal.h"

int h2_fail(h2_error *err, int rv, uint32_t code, h2_scope scope, uint32_t stream_id,
            const char *detail)
{
    if (err) {
        err->code = code;
        err->scope = scope;
        err->stream_id = stream_id;
        err->detail = detail;
    }
    return rv;
}

const char *h2_strerror(int rv)
{
    switch (rv) {
    case H2_OK: return "success";
    case H2_ERR_INVALID_ARGUMENT: return "invalid argument";
    case H2_ERR_BUFFER_TOO_SMALL: return "output buffer too small";
    case H2_ERR_NOMEM: return "out of memory";
    case H2_ERR_PROTOCOL: return "protocol error";
    case H2_ERR_FRAME_SIZE: return "frame size error";
    case H2_ERR_FLOW_CONTROL: return "flow control error";
    case H2_ERR_COMPRESSION: return "header block failed to decode";
    case H2_ERR_ENHANCE_YOUR_CALM: return "configured limit exceeded";
    case H2_ERR_BAD_PREFACE: return "bad client connection preface";
    case H2_ERR_CALLBACK: return "callback asked to stop";
    case H2_ERR_PARSER_DEAD: return "parser stopped by an earlier connection error";
    case H2_ERR_HPACK_TRUNCATED: return "HPACK: truncated representation";
    case H2_ERR_HPACK_INT_OVERFLOW: return "HPACK: integer overflow";
    case H2_ERR_HPACK_INDEX: return "HPACK: invalid index";
    case H2_ERR_HPACK_HUFFMAN: return "HPACK: invalid Huffman string";
    case H2_ERR_HPACK_TABLE_SIZE: return "HPACK: invalid dynamic table size update";
    case H2_ERR_HPACK_STRING_TOO_LONG: return "HPACK: string above the length limit";
    case H2_ERR_HPACK_LIST_TOO_LARGE: return "HPACK: header list above the size limit";
    default: return "unknown error";
    }
}

const char *h2_error_code_name(uint32_t code)
{
    /* RFC 9113 §7 */
    static const char *const names[] = {
        "NO_ERROR",          "PROTOCOL_ERROR",      "INTERNAL_ERROR",
        "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT",   "STREAM_CLOSED",
        "FRAME_SIZE_ERROR",  "REFUSED_STREAM",      "CANCEL",
        "COMPRESSION_ERROR", "CONNECT_ERROR",       "ENHANCE_YOUR_CALM",
        "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED",
    };
    return code < sizeof names / sizeof names[0] ? names[code] : NULL;
}

const char *h2_frame_type_name(uint8_t type)
{
    /* RFC 9113 §6 */
    static const char *const names[] = {
        "DATA", "HEADERS", "PRIORITY", "RST_STREAM", "SETTINGS",
        "PUSH_PROMISE", "PING", "GOAWAY", "WINDOW_UPDATE", "CONTINUATION",
    };
    return type < sizeof names / sizeof names[0] ? names[type] : NULL;
}
