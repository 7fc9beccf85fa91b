/** A sweep: fans out its arms as experiment workflows and records the sweep's outcome. */
package lab.d2c.workflows.sweep;
