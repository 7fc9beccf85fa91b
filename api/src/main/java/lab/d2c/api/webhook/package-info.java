/** The optional webhook ({@code D2C_WEBHOOK_URL}): a POST when a sweep or an experiment ends, off the sweep's path. */
package lab.d2c.api.webhook;
