/** The ledger activities: PostgreSQL's record of nodes, experiments and sweeps, kept by workflows. */
package lab.d2c.workers.ledger;
