/** The REST API under /api/v1 (Javalin): routes by resource, one JSON error shape. */
package lab.d2c.api.http;
