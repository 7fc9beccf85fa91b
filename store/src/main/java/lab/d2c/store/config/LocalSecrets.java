package lab.d2c.store.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The credentials of the embedded servers that {@code ./d2c local} starts, each in its own 0600
 * file of the data dir beside {@code api-token}: created at the first start, read by every later
 * start and by the worker, API and CLI processes that join the stack (same user, same data dir).
 * Nothing here is a default another user could know.
 *
 * @param postgresSuperuserPassword password of PostgreSQL's superuser {@code postgres} (administration only)
 * @param postgresPassword          password of the application role the stack connects as
 * @param s3AccessKey               access key of the embedded S3 server
 * @param s3SecretKey               secret key of the embedded S3 server
 */
public record LocalSecrets(String postgresSuperuserPassword, String postgresPassword, String s3AccessKey,
        String s3SecretKey) {

    public static final String POSTGRES_SUPERUSER_FILE = "postgres-superuser-password";
    public static final String POSTGRES_FILE = "postgres-password";
    public static final String S3_ACCESS_KEY_FILE = "s3-access-key";
    public static final String S3_SECRET_KEY_FILE = "s3-secret-key";

    /** The data dir's secrets, creating the missing ones (local mode's start). */
    public static LocalSecrets readOrCreate(Path dataDir) {
        SecretFile.createPrivateDirectories(dataDir);
        return new LocalSecrets(
                SecretFile.readOrCreate(dataDir.resolve(POSTGRES_SUPERUSER_FILE)).value(),
                SecretFile.readOrCreate(dataDir.resolve(POSTGRES_FILE)).value(),
                SecretFile.readOrCreate(dataDir.resolve(S3_ACCESS_KEY_FILE)).value(),
                SecretFile.readOrCreate(dataDir.resolve(S3_SECRET_KEY_FILE)).value());
    }

    /** The application role's password, for a process joining a running local stack. */
    public static Optional<String> postgresPassword(Path dataDir) {
        return SecretFile.read(dataDir.resolve(POSTGRES_FILE));
    }

    /** The S3 keys (access, secret), for a process joining a running local stack. */
    public static Optional<String[]> s3Keys(Path dataDir) {
        Optional<String> access = SecretFile.read(dataDir.resolve(S3_ACCESS_KEY_FILE));
        Optional<String> secret = SecretFile.read(dataDir.resolve(S3_SECRET_KEY_FILE));
        return access.isPresent() && secret.isPresent() ? Optional.of(new String[] {access.get(), secret.get()})
                : Optional.empty();
    }

    /** Never prints the secrets. */
    @Override
    public String toString() {
        return "LocalSecrets[4 secrets]";
    }
}
