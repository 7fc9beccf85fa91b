package lab.d2c.store.db;

/**
 * What {@link Database#open(DatabaseSettings)} needs to reach PostgreSQL: store's own settings, so
 * that store does not read the whole platform's configuration. The caller builds them (the API and
 * CLI from their {@code D2C_JDBC_*} settings).
 *
 * @param jdbcUrl  JDBC URL of PostgreSQL ({@code jdbc:postgresql:...})
 * @param user     database user
 * @param password database password; empty or null = none
 */
public record DatabaseSettings(String jdbcUrl, String user, String password) {

    /** Never prints the password. */
    @Override
    public String toString() {
        return "DatabaseSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + "]";
    }
}
