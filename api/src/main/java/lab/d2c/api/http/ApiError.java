package lab.d2c.api.http;

import java.util.List;
import java.util.Map;

/**
 * The one error shape of the API: {@code {"error": {"status", "code", "message", "fields"}}}.
 * {@code fields} lists {path, reason} pairs for invalid input, else is empty.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String code;
    private final List<Map<String, String>> fields;

    public ApiError(int status, String code, String message, List<Map<String, String>> fields) {
        super(message);
        this.status = status;
        this.code = code;
        this.fields = List.copyOf(fields);
    }

    public ApiError(int status, String code, String message) {
        this(status, code, message, List.of());
    }

    public static ApiError notFound(String what, String id) {
        return new ApiError(404, "not_found", what + " '" + id + "' does not exist");
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, "bad_request", message);
    }

    public int status() {
        return status;
    }

    public Map<String, Object> body() {
        return Map.of("error", Map.of("status", status, "code", code, "message", getMessage(), "fields", fields));
    }
}
