package lab.d2c.store.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import lab.d2c.store.testing.TestStack;
import org.junit.jupiter.api.Test;

class ArtifactCatalogTest {

    @Test
    void recordUpsertsFindsAndListsByNode() {
        ArtifactCatalog catalog = new ArtifactCatalog(TestStack.get().database().dataSource());
        String node = "node-" + UUID.randomUUID();
        Instant t = Instant.now().truncatedTo(ChronoUnit.MICROS);
        ArtifactInfo v1 = new ArtifactInfo("cat/" + node + "/a.bin", 10, "aa", "application/octet-stream", t);
        ArtifactInfo v2 = new ArtifactInfo("cat/" + node + "/a.bin", 20, "bb", "text/plain", t.plusSeconds(1));

        catalog.record(v1, node);
        catalog.record(v2, node);
        catalog.record(new ArtifactInfo("cat/" + node + "/b.bin", 1, "cc", "text/plain", t), node);

        assertThat(catalog.find(v1.key())).contains(v2);
        assertThat(catalog.listByNode(node)).extracting(ArtifactInfo::key)
                .containsExactly("cat/" + node + "/a.bin", "cat/" + node + "/b.bin");
        assertThat(catalog.listByPrefix("cat/" + node + "/b")).hasSize(1);
        assertThat(catalog.find("cat/none")).isEmpty();
    }
}
