package lab.d2c.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerTest {

    @Test
    void restartOnTheSameDirectoryKeepsTheData(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pg");
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.builder().setDataDirectory(data).optDurable(false).start()) {
            assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + pg.port() + "/d2c");
            try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v TEXT)");
                s.execute("INSERT INTO kept VALUES ('survives')");
            }
        }
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.builder().setDataDirectory(data).optDurable(false).start();
             Connection c = pg.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT v, current_database(), current_user FROM kept");
             ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("survives");
            assertThat(rs.getString(2)).isEqualTo("d2c");
            assertThat(rs.getString(3)).isEqualTo("postgres");
        }
    }

    @Test
    void aDataDirectoryServedInThisJvmIsRefused(@TempDir Path dir) {
        Path data = dir.resolve("pg");
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.builder().setDataDirectory(data).optDurable(false).start()) {
            assertThatThrownBy(() -> EmbeddedPostgresServer.builder().setDataDirectory(data).optDurable(false).start())
                    .hasMessageContaining(data.toString());
        }
    }

    @Test
    void missingDataDirectoryIsNamed() {
        assertThatThrownBy(() -> EmbeddedPostgresServer.builder().start()).hasMessage("dataDirectory: required");
        assertThatThrownBy(() -> EmbeddedPostgresServer.builder().optPort(70000)).hasMessageContaining("port");
    }
}
