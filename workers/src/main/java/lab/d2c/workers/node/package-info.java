/**
 * Running a node on a worker: the executor interface every node kind implements, the
 * context it works in (stores, progress, cancellation), and the activity that dispatches
 * on the node kind.
 */
package lab.d2c.workers.node;
