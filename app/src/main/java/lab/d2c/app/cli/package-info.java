/** The {@code d2c} command line: local, demo, worker, api, sweep run/status. Thin: it wires parts built elsewhere. */
package lab.d2c.app.cli;
