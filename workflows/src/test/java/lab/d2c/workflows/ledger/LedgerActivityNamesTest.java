package lab.d2c.workflows.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.common.metadata.POJOActivityInterfaceMetadata;
import io.temporal.common.metadata.POJOActivityMethodMetadata;
import lab.d2c.workflows.node.NodeLedgerActivities;
import org.junit.jupiter.api.Test;

/**
 * Running workflows' histories name activities by type: the ledger's type names must stay what they
 * were before the interface moved from {@code node} to {@code ledger} (issue 22), or a worker of this
 * version could not replay or complete them.
 */
class LedgerActivityNamesTest {

    @Test
    void activityTypeNamesAreTheMethodNamesWhateverThePackage() {
        assertThat(POJOActivityInterfaceMetadata.newInstance(LedgerActivities.class).getMethodsMetadata())
                .extracting(POJOActivityMethodMetadata::getActivityTypeName)
                .containsExactlyInAnyOrder("ClaimNode", "AwaitNode", "NodeFinished", "ExperimentStatus", "SweepStatus",
                        "FinishSweep");
        assertThat(POJOActivityInterfaceMetadata.newInstance(NodeLedgerActivities.class).getMethodsMetadata())
                .extracting(POJOActivityMethodMetadata::getActivityTypeName).containsExactly("NodeFinished");
    }
}
