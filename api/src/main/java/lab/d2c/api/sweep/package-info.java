/**
 * Launching sweeps: validate, record the sweep and its arms in PostgreSQL in one
 * transaction, start the sweep workflow; and restarting unfinished sweeps after a restart.
 */
package lab.d2c.api.sweep;
