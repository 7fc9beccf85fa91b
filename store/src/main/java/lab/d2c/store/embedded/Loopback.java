package lab.d2c.store.embedded;

/** Loopback names and addresses: what decides whether an embedded server is reachable from this machine only. */
public final class Loopback {

    private Loopback() {
    }

    /** True for names and addresses of this machine's loopback interface. */
    public static boolean isLoopback(String host) {
        String h = host.strip().toLowerCase();
        return h.equals("localhost") || h.equals("::1") || h.equals("[::1]") || h.startsWith("127.");
    }
}
