package lab.d2c.store.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * The embedded cluster's {@code pg_hba.conf}: password logins (SCRAM-SHA-256) over TCP from the
 * listen address's network only, and no {@code local} line since no Unix socket is opened. Written
 * at every start, so a data dir initialised by an older version with {@code trust} (anyone on the
 * machine could log in as the superuser) is closed the first time this version starts it.
 */
final class HostBasedAuth {

    static final String FILE = "pg_hba.conf";
    private static final List<String> PASSWORD_METHODS = List.of("scram-sha-256", "reject");
    private static final List<String> METHODS = List.of("trust", "reject", "scram-sha-256", "md5", "password", "gss",
            "sspi", "ident", "peer", "ldap", "radius", "cert", "pam", "bsd");

    private HostBasedAuth() {
    }

    /**
     * True when some rule of the existing file lets a client in without a SCRAM password (trust, peer,
     * md5, password...): such a cluster's superuser may have no password yet.
     */
    static boolean allowsPasswordlessLogin(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String rule = line.replaceFirst("#.*", "").strip();
                if (rule.isEmpty() || rule.startsWith("include")) {
                    continue;
                }
                String[] f = rule.split("\\s+");
                // the method is the first known method name after TYPE DATABASE USER (and ADDRESS [MASK])
                for (int i = 3; i < f.length; i++) {
                    String token = f[i].toLowerCase(Locale.ROOT);
                    if (METHODS.contains(token)) {
                        if (!PASSWORD_METHODS.contains(token)) {
                            return true;
                        }
                        break;
                    }
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Replaces the rules: SCRAM passwords over TCP from loopback, or from anywhere when listening beyond it. */
    static void write(Path dataDir, String listenAddress) {
        boolean loopback = Loopback.isLoopback(listenAddress);
        String rules = "# Written by D2C Lab at every start of the embedded server: SCRAM-SHA-256 passwords only,\n"
                + "# over TCP; no Unix socket is opened (unix_socket_directories is empty).\n"
                + (loopback
                        ? "host all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n"
                        : "host all all all scram-sha-256\n");
        Path file = dataDir.resolve(FILE);
        Path tmp = dataDir.resolve(FILE + ".tmp");
        try {
            Files.writeString(tmp, rules, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
