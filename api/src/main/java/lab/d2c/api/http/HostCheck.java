package lab.d2c.api.http;

import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Answers only requests addressed to a name this API goes by. A web page on another site can
 * rebind its own DNS name to 127.0.0.1 and then read the API from the user's browser as a
 * same-origin page; its requests still carry the page's name in {@code Host}, which is refused
 * here with 421 Misdirected Request. Bound to loopback, the names are localhost, 127.0.0.1 and
 * [::1] unless {@code D2C_API_ALLOWED_HOSTS} lists others; an empty list accepts any name.
 */
final class HostCheck {

    private final List<String> allowed;

    HostCheck(List<String> allowed) {
        this.allowed = allowed.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    void check(Context ctx) {
        if (allowed.isEmpty()) {
            return;
        }
        String header = ctx.header("Host");
        if (header == null) {
            return; // HTTP/1.0 without Host: not a browser, so not a rebinding page
        }
        String name = hostName(header);
        if (!allowed.contains(name)) {
            throw new ApiError(421, "misdirected_request", "this API answers to " + String.join(", ", allowed)
                    + ", not '" + clean(name) + "' (add it to D2C_API_ALLOWED_HOSTS)",
                    List.of(Map.of("path", "Host", "reason", "not an allowed host name")));
        }
    }

    /** The name of a Host header without its port: {@code [::1]:7070} gives {@code [::1]}. */
    static String hostName(String header) {
        String h = header.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    private static String clean(String s) {
        String c = s.replaceAll("[^\\x20-\\x7e]", "?");
        return c.length() > 80 ? c.substring(0, 80) + "..." : c;
    }
}
