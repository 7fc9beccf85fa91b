/** Experiment and sweep specs, the experiment graph, Temporal workflow and activity interfaces. */
package lab.d2c.workflows;
