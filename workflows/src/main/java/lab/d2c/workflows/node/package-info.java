/**
 * Running one graph node: the node workflow (its id is the node key, so a node runs once
 * however many arms ask), the activity that does the work, and the ledger activities that
 * keep PostgreSQL's view of nodes, experiments and sweeps current.
 */
package lab.d2c.workflows.node;
