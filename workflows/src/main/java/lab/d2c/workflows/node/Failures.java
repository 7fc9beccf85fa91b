package lab.d2c.workflows.node;

import io.temporal.failure.ApplicationFailure;

/** Turns Temporal failure chains into one readable line. */
public final class Failures {

    private Failures() {
    }

    /** The innermost message: what actually went wrong, not the wrappers around it. */
    public static String rootMessage(Throwable t) {
        Throwable cur = t;
        String msg = t.getMessage();
        while (cur != null) {
            if (cur instanceof ApplicationFailure af && af.getOriginalMessage() != null) {
                msg = af.getOriginalMessage();
            } else if (cur.getMessage() != null && cur.getCause() == null) {
                msg = cur.getMessage();
            }
            cur = cur.getCause();
        }
        return msg == null ? t.getClass().getSimpleName() : msg;
    }
}
