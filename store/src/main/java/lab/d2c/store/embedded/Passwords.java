package lab.d2c.store.embedded;

import java.util.regex.Pattern;

/**
 * Role names and passwords written into DDL, which takes no bind parameters: both are checked
 * against a character set that cannot leave a quoted literal or identifier, instead of escaped.
 */
final class Passwords {

    private static final Pattern SAFE_PASSWORD = Pattern.compile("[A-Za-z0-9_.~+/=-]{16,200}");
    private static final Pattern SAFE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private Passwords() {
    }

    /** @throws IllegalArgumentException when the password is short or holds characters outside [A-Za-z0-9_.~+/=-] */
    static String requireSafe(String password) {
        if (password == null || !SAFE_PASSWORD.matcher(password).matches()) {
            throw new IllegalArgumentException("password: expected 16..200 characters of [A-Za-z0-9_.~+/=-]");
        }
        return password;
    }

    /** A lower-case role name, quoted. */
    static String identifier(String name) {
        if (name == null || !SAFE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("role name: expected [a-z_][a-z0-9_]{0,62}, got '" + name + "'");
        }
        return "\"" + name + "\"";
    }
}
