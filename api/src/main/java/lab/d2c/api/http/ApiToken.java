package lab.d2c.api.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import lab.d2c.store.config.D2cConfig;

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
        Path file = config.dataDir().resolve(FILE_NAME);
        Optional<ApiToken> existing = read(file);
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        try {
            Files.createDirectories(config.dataDir());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, value + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            return new ApiToken(value, file, true);
        } catch (FileAlreadyExistsException raced) {
            return read(file).orElseThrow(() -> new IllegalStateException(file + " exists but holds no token"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the API token to " + file, e);
        }
    }

    /** The configured token or the data dir's, without creating one (what a client sends). */
    public static Optional<String> forClient(D2cConfig config) {
        if (!config.apiToken().isBlank()) {
            return Optional.of(config.apiToken().strip());
        }
        return read(config.dataDir().resolve(FILE_NAME)).map(ApiToken::value);
    }

    private static Optional<ApiToken> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            return value.isEmpty() ? Optional.empty() : Optional.of(new ApiToken(value, file, false));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API token " + file, e);
        }
    }

    /** Constant-time comparison with an {@code Authorization} header value. */
    public boolean accepts(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorizationHeader.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Never prints the token. */
    @Override
    public String toString() {
        return "ApiToken[" + (file == null ? "configured" : file) + "]";
    }
}
