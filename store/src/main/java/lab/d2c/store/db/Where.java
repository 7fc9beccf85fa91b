package lab.d2c.store.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A WHERE clause built from fixed SQL fragments, each with one {@code ?} bound later: the filters of a
 * list request vary, their values never enter the SQL text.
 */
final class Where {

    /** Binds the fragment's parameter at {@code index}. */
    @FunctionalInterface
    interface Param {
        void bind(PreparedStatement ps, int index) throws SQLException;
    }

    private final List<String> fragments = new ArrayList<>();
    private final List<Param> params = new ArrayList<>();

    /**
     * Adds {@code fragment} (SQL written in this module, never user input) with one parameter per {@code ?}.
     */
    Where add(String fragment, Param... bindings) {
        long marks = fragment.chars().filter(c -> c == '?').count();
        if (marks != bindings.length) {
            throw new IllegalArgumentException("fragment '" + fragment + "' has " + marks + " parameter(s), got "
                    + bindings.length + " binding(s)");
        }
        fragments.add("(" + fragment + ")");
        params.addAll(List.of(bindings));
        return this;
    }

    /** {@code " WHERE a AND b"}, or empty without conditions. */
    String sql() {
        return fragments.isEmpty() ? "" : " WHERE " + String.join(" AND ", fragments);
    }

    /** Binds every parameter from {@code first}; @return the next free index */
    int bind(PreparedStatement ps, int first) throws SQLException {
        int i = first;
        for (Param p : params) {
            p.bind(ps, i++);
        }
        return i;
    }
}
