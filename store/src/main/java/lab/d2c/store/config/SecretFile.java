package lab.d2c.store.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * A secret kept in one file readable by its owner only (mode 0600), the way Jupyter keeps its
 * token: created with 256 random bits at the first start, read back at later starts. A file that
 * has become readable by others is narrowed back to 0600 when read, since whoever can read it
 * can become the stack.
 */
public final class SecretFile {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private SecretFile() {
    }

    /**
     * A secret and whether this call created it.
     *
     * @param value   the secret
     * @param file    where it is kept
     * @param created true when this call wrote the file (a launcher may show it once)
     */
    public record Secret(String value, Path file, boolean created) {
        /** Never prints the secret. */
        @Override
        public String toString() {
            return "Secret[" + file + "]";
        }
    }

    /** 256 random bits, URL-safe base64 (43 characters of [A-Za-z0-9_-]): safe inside SQL and YAML quotes. */
    public static String randomValue() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The secret in {@code file}, creating it (and its folder, owner-only) with a random value when absent. */
    public static Secret readOrCreate(Path file) {
        Optional<String> existing = read(file);
        if (existing.isPresent()) {
            return new Secret(existing.get(), file, false);
        }
        String value = randomValue();
        try {
            createPrivateDirectories(file.toAbsolutePath().getParent());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.writeString(file, value + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            return new Secret(value, file, true);
        } catch (FileAlreadyExistsException raced) {
            return new Secret(read(file).orElseThrow(() -> new IllegalStateException(file + " exists but holds no secret")),
                    file, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the secret " + file, e);
        }
    }

    /** The secret in {@code file}, if there is one; narrows the file to 0600 when others could read it. */
    public static Optional<String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            if (!OWNER_ONLY.containsAll(Files.getPosixFilePermissions(file))) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the secret " + file, e);
        }
    }

    /**
     * Creates {@code dir} and its missing parents; {@code dir} itself ends up owner-only (0700), also when it
     * existed with a wider mode, since it holds secrets and server state.
     */
    public static Path createPrivateDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
            if (!Files.getPosixFilePermissions(dir).equals(OWNER_DIR)) {
                Files.setPosixFilePermissions(dir, OWNER_DIR);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the private directory " + dir, e);
        }
    }
}
