package lab.d2c.model.stage1;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * The keys and values every block has computed so far while sampling, so each new token attends
 * to the whole prefix without recomputing it (LlamaGen's {@code KVCache}). Arrays are [B, H, L, hd]
 * and live on the cache's manager; appending replaces them with the longer arrays.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private int length;

    public KvCache(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Positions cached so far (the same for every layer once a forward pass finished). */
    public int length() {
        return length;
    }

    /**
     * Appends this step's keys and values [B, H, L, hd] of one layer; returns the layer's whole keys
     * and values (prefix then these).
     */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        NDArray newKeys = keys[layer] == null ? k.duplicate() : NDArrays.concat(new NDList(keys[layer], k), 2);
        NDArray newValues = values[layer] == null ? v.duplicate() : NDArrays.concat(new NDList(values[layer], v), 2);
        newKeys.attach(manager);
        newValues.attach(manager);
        if (keys[layer] != null) {
            keys[layer].close();
            values[layer].close();
        }
        keys[layer] = newKeys;
        values[layer] = newValues;
        if (layer == keys.length - 1) {
            length = Math.toIntExact(newKeys.getShape().get(2));
        }
        return new NDArray[] {newKeys, newValues};
    }

    @Override
    public void close() {
        manager.close();
    }
}
