package lab.d2c.store.artifact;

import lab.d2c.store.StoreException;

/** The object named by a key does not exist in the bucket. */
public final class ArtifactNotFoundException extends StoreException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public ArtifactNotFoundException(String operation, String bucket, String key) {
        super("artifact store: " + operation + " '" + key + "': no such object in bucket '" + bucket + "'");
        this.key = key;
    }

    public String key() {
        return key;
    }
}
