/**
 * Running one graph node: the node workflow (its id is the node key, so a node runs once
 * however many arms ask), the activity that does the work, and the one ledger record the node
 * workflow writes itself ({@link lab.d2c.workflows.node.NodeLedgerActivities}: how a node ended).
 * The rest of the ledger is {@code lab.d2c.workflows.ledger}.
 */
package lab.d2c.workflows.node;
