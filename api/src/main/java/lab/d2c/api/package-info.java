/** REST API, web pages, the d2c command line and local mode. */
package lab.d2c.api;
