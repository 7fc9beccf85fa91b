package lab.d2c.api.http;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;
import lab.d2c.api.platform.D2cConfig;
import lab.d2c.store.config.SecretFile;

/**
 * The bearer token of the API's mutating routes. A configured one ({@code D2C_API_TOKEN}) wins;
 * otherwise the token kept in {@code <data dir>/api-token}, created at the first start with 256
 * random bits and mode 0600 (owner only), the way Jupyter keeps its token.
 *
 * @param value   the token
 * @param file    where it is kept; null when configured
 * @param created true when this start created it (the launcher prints it once)
 */
public record ApiToken(String value, Path file, boolean created) {

    public static final String FILE_NAME = "api-token";

    /** Tokens shorter than this are refused: a guessable token is no lock. */
    static final int MIN_LENGTH = 16;

    public ApiToken {
        if (value == null || value.strip().length() < MIN_LENGTH) {
            throw new IllegalArgumentException(D2cConfig.ENV_NAMES.get("api_token") + ": must be at least "
                    + MIN_LENGTH + " characters");
        }
        value = value.strip();
    }

    /** The configured token, or the data dir's, creating it when there is none. */
    public static ApiToken resolve(D2cConfig config) {
        if (!config.apiToken().isBlank()) {
            return new ApiToken(config.apiToken(), null, false);
        }
        SecretFile.Secret secret = SecretFile.readOrCreate(config.dataDir().resolve(FILE_NAME));
        return new ApiToken(secret.value(), secret.file(), secret.created());
    }

    /** The configured token or the data dir's, without creating one (what a client sends). */
    public static Optional<String> forClient(D2cConfig config) {
        if (!config.apiToken().isBlank()) {
            return Optional.of(config.apiToken().strip());
        }
        return SecretFile.read(config.dataDir().resolve(FILE_NAME));
    }

    /** Constant-time comparison with an {@code Authorization} header value. */
    public boolean accepts(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorizationHeader.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Says where the token is. A token this start created is shown once, and only on a terminal: a
     * redirected stdout ({@code ./d2c local > stack.log}) is a log file others may read later.
     */
    public void announce(PrintStream out) {
        java.io.Console console = System.console();
        if (created && out == System.out && console != null) {
            console.writer().println("  api token  " + value + "   (new; kept in " + file + ", mode 0600; shown this once)");
            console.flush();
        } else if (created) {
            out.println("  api token  new, in " + file + " (mode 0600; not printed: this output is not a terminal)");
        } else {
            out.println("  api token  " + (file == null ? "from D2C_API_TOKEN" : "in " + file));
        }
    }

    /** Never prints the token. */
    @Override
    public String toString() {
        return "ApiToken[" + (file == null ? "configured" : file) + "]";
    }
}
