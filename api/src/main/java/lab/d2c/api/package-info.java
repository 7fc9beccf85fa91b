/** REST API and web pages; the command line and local mode that host it are in app. */
package lab.d2c.api;
