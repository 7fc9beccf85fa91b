/**
 * Set-up a new user should not have to do by hand: Debian packages the demo, the benchmarks and the
 * tests need, installed with apt when this process may (root, or passwordless sudo), else one line on
 * what is missing and the command that fixes it.
 */
package lab.d2c.app.setup;
