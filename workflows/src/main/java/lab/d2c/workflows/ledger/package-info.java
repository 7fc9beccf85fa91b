/**
 * The ledger activities: PostgreSQL's view of nodes, experiments and sweeps, kept current by the
 * experiment and sweep workflows (and, for a node's failure or cancellation, by the node workflow
 * through {@link lab.d2c.workflows.node.NodeLedgerActivities}). Implemented by the workers.
 */
package lab.d2c.workflows.ledger;
