/** Activity implementations and the worker process. */
package lab.d2c.workers;
