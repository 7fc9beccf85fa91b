package lab.d2c.store.embedded;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears what a killed owner leaves in a data directory before PostgreSQL starts on it: a postmaster
 * still running after its JVM was killed (stopped with a fast shutdown), or a {@code postmaster.pid}
 * naming a process that is not PostgreSQL (pid reused; the file is removed). A directory whose lock
 * another live process holds is refused.
 */
final class OrphanPostmaster {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanPostmaster.class);
    private static final String ZONKY_LOCK_FILE = "epg-lock";
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);

    private OrphanPostmaster() {
    }

    static void clear(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        requireNoLiveOwner(dataDir);
        Optional<ProcessHandle> process = readPid(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return; // PostgreSQL itself ignores a postmaster.pid whose process is gone
        }
        String command = process.get().info().command().orElse("");
        if (!command.endsWith("/postgres")) {
            LOG.warn("{} names pid {} ({}), not PostgreSQL: removing the stale file", pidFile, process.get().pid(), command);
            delete(pidFile);
            return;
        }
        LOG.warn("PostgreSQL (pid {}) is still running on {} without its owner: stopping it", process.get().pid(), dataDir);
        fastShutdown(process.get());
    }

    private static void requireNoLiveOwner(Path dataDir) {
        Path lockFile = dataDir.resolve(ZONKY_LOCK_FILE);
        if (!Files.exists(lockFile)) {
            return;
        }
        try (FileOutputStream out = new FileOutputStream(lockFile.toFile(), true);
             FileLock lock = out.getChannel().tryLock()) {
            if (lock == null) {
                throw new IllegalStateException("PostgreSQL data dir " + dataDir
                        + " is in use by another live process (its " + ZONKY_LOCK_FILE + " is locked)");
            }
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException("PostgreSQL data dir " + dataDir + " is in use by a server in this JVM", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check the lock of PostgreSQL data dir " + dataDir, e);
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void fastShutdown(ProcessHandle postmaster) {
        try {
            // SIGINT is PostgreSQL's fast shutdown: it does not wait for clients that may never leave.
            new ProcessBuilder("kill", "-INT", Long.toString(postmaster.pid())).inheritIO().start().waitFor();
            postmaster.onExit().get(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping orphan PostgreSQL pid " + postmaster.pid(), e);
        } catch (Exception e) {
            throw new IllegalStateException("could not stop orphan PostgreSQL pid " + postmaster.pid()
                    + " within " + STOP_WAIT.toSeconds() + " s", e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
    }
}
