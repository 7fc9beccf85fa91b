/**
 * The experiment graph: node types (what a node kind reads and needs), content-hash node
 * keys, and planning an arm's graph from its config. Pure, deterministic code: it runs
 * inside workflows.
 */
package lab.d2c.workflows.graph;
