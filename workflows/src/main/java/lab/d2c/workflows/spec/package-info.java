/**
 * Sweep specs: parsing a user's sweep file (YAML or JSON, close to W&amp;B sweep files),
 * validating it against the closed {@link lab.d2c.workflows.spec.ConfigSchema} with errors
 * that name the field path, resolving it over a bundled preset, and expanding its grid into
 * arms, each with a complete config.
 *
 * <p>Entry points: {@link lab.d2c.workflows.spec.SweepSpecParser#parse(String, int)},
 * {@link lab.d2c.workflows.spec.SweepSpec#expand(int)}, {@link lab.d2c.workflows.spec.Presets},
 * {@link lab.d2c.workflows.spec.BundledSweeps}. Pure code: no I/O beyond classpath resources.
 */
package lab.d2c.workflows.spec;
