/** Where every component of the stack lives: {@link lab.d2c.store.config.D2cConfig}, from defaults, a YAML file and D2C_* variables. */
package lab.d2c.store.config;
