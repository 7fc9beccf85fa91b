/**
 * Launching and steering sweeps: validate, record the sweep and its arms in PostgreSQL in one
 * transaction, start the sweep workflow; cancel, resume and rerun arms ({@code SweepControl});
 * and restart unfinished sweeps after a restart ({@code SweepRecovery}).
 */
package lab.d2c.api.sweep;
