/**
 * The DJL-free config records of the models and their rules, shared by the submission-time spec
 * checks (workflows) and the executors (workers) so that each rule exists once: records that check
 * themselves in their constructors ({@link lab.d2c.config.ConfigRules}, errors naming the config key in
 * a {@link lab.d2c.config.ConfigException}), factories from the config tree
 * ({@link lab.d2c.config.ConfigValues}), and the enumerations config keys take ({@link lab.d2c.config.ConfigEnum}).
 */
package lab.d2c.config;
