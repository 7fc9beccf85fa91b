package lab.d2c.workers.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import lab.d2c.store.build.BuildInfo;
import org.junit.jupiter.api.Test;

class NodeLineageTest {

    @Test
    void everyResultNamesTheCommitOfTheBuildWithoutChangingTheExecutorsFields() {
        ObjectNode result = JsonNodeFactory.instance.objectNode().put("fid", 12.5).put("steps", 100);
        ObjectNode stamped = NodeActivitiesImpl.withLineage(result);
        assertThat(stamped.path("code_commit").asText()).isEqualTo(BuildInfo.commit());
        assertThat(stamped.path("fid").asDouble()).isEqualTo(12.5);
        assertThat(stamped.path("steps").asInt()).isEqualTo(100);
        assertThat(result.has("code_commit")).as("the executor's own node is not modified").isFalse();
        assertThat(NodeActivitiesImpl.withLineage(null).path("code_commit").asText()).isEqualTo(BuildInfo.commit());
    }

    @Test
    void theBuildKnowsItsCommit() {
        // built from a git checkout: antrun recorded `git rev-parse HEAD` (a source tarball says "unknown")
        org.junit.jupiter.api.Assumptions.assumeTrue(insideGitCheckout(), "not built from a git checkout");
        assertThat(BuildInfo.commit()).matches("[0-9a-f]{40}");
    }

    private static boolean insideGitCheckout() {
        for (java.nio.file.Path p = java.nio.file.Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (java.nio.file.Files.exists(p.resolve(".git"))) {
                return true;
            }
        }
        return false;
    }
}
