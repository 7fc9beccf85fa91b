package lab.d2c.api.http;

import io.javalin.http.Context;
import java.util.Locale;
import java.util.Map;

/**
 * The type an artifact is served with, decided by its key's extension on an allow-list, never by
 * the Content-Type stored with the object: whoever can write to the bucket could otherwise store
 * an HTML or SVG page that the API serves on the pages' origin, where it could read the API token
 * from their local storage. Listed types cannot run script; anything else is a download
 * ({@code Content-Disposition: attachment}), and every artifact carries
 * {@code Content-Security-Policy: sandbox} (no script, a unique origin) and nosniff.
 */
final class ArtifactMediaType {

    /** Extensions shown inline, with the type they are served as. */
    static final Map<String, String> INLINE = Map.of(
            "png", "image/png",
            "jpg", "image/jpeg",
            "jpeg", "image/jpeg",
            "json", "application/json",
            "csv", "text/csv; charset=utf-8",
            "txt", "text/plain; charset=utf-8",
            "log", "text/plain; charset=utf-8");

    /** Extensions downloaded as binary data (weights, arrays, checkpoints). */
    private static final Map<String, String> DOWNLOAD = Map.of(
            "npy", "application/octet-stream",
            "bin", "application/octet-stream",
            "pt", "application/octet-stream",
            "gz", "application/gzip");

    private ArtifactMediaType() {
    }

    static void apply(Context ctx, String key) {
        String ext = extension(key);
        String inline = INLINE.get(ext);
        sandbox(ctx);
        if (inline != null) {
            ctx.contentType(inline);
            return;
        }
        ctx.contentType(DOWNLOAD.getOrDefault(ext, "application/octet-stream"));
        String name = key.substring(key.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        ctx.header("Content-Disposition", "attachment; filename=\"" + name + "\"");
    }

    /** The headers every served file carries (artifacts, the report's plots): no script, no sniffing. */
    static void sandbox(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; frame-ancestors 'none'");
    }

    private static String extension(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
