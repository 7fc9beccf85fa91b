/** One arm of a sweep: plans its graph and resolves every node, sharing and caching by key. */
package lab.d2c.workflows.experiment;
