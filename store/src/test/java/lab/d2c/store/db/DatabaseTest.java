package lab.d2c.store.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import lab.d2c.store.StoreException;
import lab.d2c.store.testing.TestStack;
import org.junit.jupiter.api.Test;

class DatabaseTest {

    @Test
    void migrationsCreateTheSchemaAndReopeningIsANoOp() throws Exception {
        TestStack stack = TestStack.get();
        try (Database again = Database.open(stack.databaseSettings());
             Connection c = again.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT table_name FROM information_schema.tables"
                     + " WHERE table_schema = 'public' ORDER BY table_name");
             ResultSet rs = ps.executeQuery()) {
            List<String> tables = new ArrayList<>();
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
            assertThat(tables).contains("sweeps", "experiments", "nodes", "experiment_nodes", "metrics", "evaluations",
                    "artifacts", "sweep_idempotency_keys", "flyway_schema_history");
        }
    }

    @Test
    void unreachableDatabaseIsNamedWithoutThePassword() {
        assertThatThrownBy(() -> Database.open("jdbc:postgresql://127.0.0.1:1/d2c", "someone", "pw-secret-123"))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/d2c as 'someone'")
                .hasMessageNotContaining("pw-secret-123");
        assertThatThrownBy(() -> Database.open("jdbc:mysql://x/y", "u", "p")).hasMessageContaining("jdbc:postgresql:");
    }

    @Test
    void transactionCommitsOrRollsBack() {
        Database db = TestStack.get().database();
        SweepRepository sweeps = new SweepRepository(db.dataSource());
        String kept = Ids.unique("tx-kept");
        String lost = Ids.unique("tx-lost");

        db.inTransaction(c -> {
            sweeps.insert(c, SweepRecord.pending(kept, "n", "t", "{}", 0, "wf"));
            return null;
        });
        assertThatThrownBy(() -> db.inTransaction(c -> {
            sweeps.insert(c, SweepRecord.pending(lost, "n", "t", "{}", 0, "wf"));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");

        assertThat(sweeps.find(kept)).isPresent();
        assertThat(sweeps.find(lost)).isEmpty();
    }
}
