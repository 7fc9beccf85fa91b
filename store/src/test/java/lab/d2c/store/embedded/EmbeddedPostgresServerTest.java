package lab.d2c.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import lab.d2c.store.config.SecretFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerTest {

    private static final String SUPER = SecretFile.randomValue();
    private static final String APP = SecretFile.randomValue();

    private static EmbeddedPostgresServer.Builder server(Path data) {
        return EmbeddedPostgresServer.builder().setDataDirectory(data).setSuperuserPassword(SUPER)
                .setApplicationPassword(APP).optDurable(false);
    }

    @Test
    void restartOnTheSameDirectoryKeepsTheData(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pg");
        try (EmbeddedPostgresServer pg = server(data).start()) {
            assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + pg.port() + "/d2c");
            try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v TEXT)");
                s.execute("INSERT INTO kept VALUES ('survives')");
            }
        }
        try (EmbeddedPostgresServer pg = server(data).start();
             Connection c = pg.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT v, current_database(), current_user FROM kept");
             ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("survives");
            assertThat(rs.getString(2)).isEqualTo("d2c");
            assertThat(rs.getString(3)).isEqualTo(EmbeddedPostgresServer.APP_USER);
        }
    }

    @Test
    void loginsNeedThePasswordAndTheApplicationRoleIsNoSuperuser(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pg");
        try (EmbeddedPostgresServer pg = server(data).start()) {
            String url = pg.jdbcUrl();
            for (String user : new String[] {"postgres", "d2c"}) {
                assertThatThrownBy(() -> DriverManager.getConnection(url, user, null)).as(user + " without a password")
                        .isInstanceOf(SQLException.class).hasMessageContaining("password");
                assertThatThrownBy(() -> DriverManager.getConnection(url, user, "wrong-password-123")).as(user + " with a wrong password")
                        .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
            }
            try (Connection c = DriverManager.getConnection(url, "d2c", APP); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
                    rs.next();
                    assertThat(rs.getBoolean(1)).isFalse();
                }
                assertThatThrownBy(() -> s.execute("COPY (SELECT 1) TO PROGRAM 'true'"))
                        .hasMessageContaining("permission denied");
                assertThatThrownBy(() -> s.executeQuery("SELECT pg_read_file('postgresql.conf')"))
                        .hasMessageContaining("permission denied");
            }
            try (Connection c = DriverManager.getConnection(url, "postgres", SUPER); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT current_setting('unix_socket_directories'),"
                         + " current_setting('listen_addresses')")) {
                rs.next();
                assertThat(rs.getString(1)).as("no Unix socket").isEmpty();
                assertThat(rs.getString(2)).isEqualTo("127.0.0.1");
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
            assertThat(Files.exists(dir.resolve("pg.pwfile"))).as("initdb's password file is removed").isFalse();
        }
    }

    /**
     * A data dir made by the previous version: initdb with trust, the schema owned by the superuser,
     * who has no password. The new start sets the password offline, closes pg_hba.conf and hands the
     * tables to the application role, which reads and writes the old rows.
     */
    @Test
    void aTrustingDataDirFromBeforeIsMigratedWithItsData(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pg");
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1").setServerConfig("fsync", "off").start()) {
            try (Connection c = old.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE d2c");
            }
            try (Connection c = old.getDatabase("postgres", "d2c").getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE sweeps (id BIGSERIAL PRIMARY KEY, name TEXT)");
                s.execute("CREATE SEQUENCE standalone");
                s.execute("CREATE VIEW sweep_names AS SELECT name FROM sweeps");
                s.execute("INSERT INTO sweeps (name) VALUES ('kept-1'), ('kept-2')");
            }
        }
        assertThat(HostBasedAuth.allowsPasswordlessLogin(data)).isTrue();
        try (EmbeddedPostgresServer pg = server(data).start()) {
            assertThat(HostBasedAuth.allowsPasswordlessLogin(data)).isFalse();
            assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl(), "postgres", null)).isInstanceOf(SQLException.class);
            try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO sweeps (name) VALUES ('new')");
                s.execute("SELECT nextval('standalone')");
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sweep_names")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(3);
                }
            }
        }
    }

    @Test
    void aLostSuperuserPasswordIsSetAnewOfflineWhenAsked(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pg");
        try (EmbeddedPostgresServer pg = server(data).start()) {
            assertThat(pg.port()).isPositive();
        }
        String replacement = SecretFile.randomValue();
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.builder().setDataDirectory(data).optDurable(false)
                .setSuperuserPassword(replacement).setApplicationPassword(APP).optResetSuperuserPassword(true).start();
             Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", replacement)) {
            assertThat(c.isValid(5)).isTrue();
            assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl(), "postgres", SUPER)).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void aDataDirectoryServedInThisJvmIsRefused(@TempDir Path dir) {
        Path data = dir.resolve("pg");
        try (EmbeddedPostgresServer pg = server(data).start()) {
            assertThatThrownBy(() -> server(data).start()).hasMessageContaining(data.toString());
        }
    }

    @Test
    void missingSettingsAreNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> EmbeddedPostgresServer.builder().start()).hasMessage("dataDirectory: required");
        assertThatThrownBy(() -> EmbeddedPostgresServer.builder().setDataDirectory(dir).setApplicationPassword(APP).start())
                .hasMessage("superuserPassword: required");
        assertThatThrownBy(() -> EmbeddedPostgresServer.builder().setSuperuserPassword("short"))
                .hasMessageContaining("password");
        assertThatThrownBy(() -> EmbeddedPostgresServer.builder().setSuperuserPassword("abcdefghijklmnop'; DROP"))
                .hasMessageContaining("password");
        assertThatThrownBy(() -> EmbeddedPostgresServer.builder().optPort(70000)).hasMessageContaining("port");
    }

}
