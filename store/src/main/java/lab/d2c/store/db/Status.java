package lab.d2c.store.db;

/** Lifecycle of sweeps, experiments and nodes, stored by name. */
public enum Status {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    /** True for the states nothing moves out of without a rerun. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** The status stored as {@code value}; names the column when it is not one. */
    static Status parse(String column, String value) {
        try {
            return valueOf(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException(column + ": unknown status '" + value + "'", e);
        }
    }
}
