package lab.d2c.store.db;

import java.util.UUID;

/** Unique ids, so tests sharing the JVM-wide database never collide. */
final class Ids {

    private Ids() {
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
