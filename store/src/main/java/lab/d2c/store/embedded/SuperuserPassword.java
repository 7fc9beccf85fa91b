package lab.d2c.store.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sets the superuser's password of a stopped cluster through PostgreSQL's single-user mode, the
 * documented way in when nobody can log in: no network, no socket, the statement on stdin (never
 * on a command line another user could read in {@code ps}). Used once per old data dir, whose
 * superuser was created without a password when the cluster trusted every local connection.
 */
final class SuperuserPassword {

    private static final long WAIT_S = 120;

    private SuperuserPassword() {
    }

    static void set(Path binaries, Path dataDir, String user, String password, Path log) {
        Passwords.requireSafe(password);
        List<String> command = PostgresBinaries.command(binaries, "postgres", List.of("--single", "-D", dataDir.toString(),
                "-F", "-c", "listen_addresses=", "-c", "unix_socket_directories=", "postgres"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            Process p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(("ALTER ROLE " + Passwords.identifier(user) + " WITH PASSWORD '" + password + "';\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(WAIT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("PostgreSQL single-user mode did not finish within " + WAIT_S + " s");
            }
            String tail = tail(log);
            if (p.exitValue() != 0 || tail.contains("ERROR:")) {
                throw new IllegalStateException("setting the superuser password in single-user mode failed (exit "
                        + p.exitValue() + "): " + tail);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run PostgreSQL single-user mode on " + dataDir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting the superuser password", e);
        }
    }

    private static String tail(Path log) throws IOException {
        String all = Files.readString(log, StandardCharsets.UTF_8);
        return all.substring(Math.max(0, all.length() - 2000));
    }
}
