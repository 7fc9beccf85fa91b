/**
 * The {@code d2c} command line: local, demo, worker, api, and the API's client commands (sweep, experiment,
 * artifact, metrics). Thin: it wires parts built elsewhere.
 */
package lab.d2c.app.cli;
