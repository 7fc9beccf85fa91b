package lab.d2c.model.io;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A DJL block's parameters as safetensors tensors, named the way PyTorch's {@code state_dict} names
 * its own: child names joined with dots, then the parameter's name ({@code trunk.level0_conv0.weight}).
 * DJL prefixes every child with its position ({@code 01trunk}); that prefix is dropped, except among
 * siblings whose names would then collide (a SequentialBlock's {@code 01Linear}, {@code 02Linear}),
 * which keep DJL's names. The order is DJL's own {@code saveParameters} order: a block's direct
 * parameters, then its children's. Values are the arrays' own (float32 for every model here), copied
 * to the host one tensor at a time when the writer reaches them.
 */
public final class BlockTensors {

    /** A parameter's external name, element type and shape, without its values (the docs list these). */
    public record Named(String name, Safetensors.Dtype dtype, long[] shape, Parameter parameter) {
    }

    private BlockTensors() {
    }

    /** Every parameter of an initialized {@code block}, named. */
    public static List<Named> names(Block block) {
        List<Named> out = new ArrayList<>();
        collect(block, "", out);
        return out;
    }

    /** The tensors {@link Safetensors#write} writes for {@code block}'s parameters. */
    public static List<Safetensors.Tensor> tensors(Block block) {
        return names(block).stream().map(n -> new Safetensors.Tensor(n.name(), n.dtype(), n.shape(),
                () -> bytes(n.parameter().getArray(), n.dtype()))).toList();
    }

    private static void collect(Block block, String prefix, List<Named> out) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            NDArray array = p.getValue().getArray();
            out.add(new Named(prefix + p.getKey(), dtype(array, prefix + p.getKey()), array.getShape().getShape(),
                    p.getValue()));
        }
        PairList<String, Block> children = block.getChildren();
        List<String> stripped = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean unique = true;
        for (int i = 0; i < children.size(); i++) {
            String djl = children.keyAt(i);
            String position = String.format(Locale.ROOT, "%02d", i + 1);
            String name = djl.startsWith(position) && djl.length() > position.length()
                    ? djl.substring(position.length()) : djl;
            unique &= seen.add(name);
            stripped.add(name);
        }
        for (int i = 0; i < children.size(); i++) {
            String name = unique ? stripped.get(i) : children.keyAt(i);
            collect(children.valueAt(i), prefix + name + ".", out);
        }
    }

    private static Safetensors.Dtype dtype(NDArray array, String name) {
        return switch (array.getDataType()) {
            case FLOAT32 -> Safetensors.Dtype.F32;
            case FLOAT64 -> Safetensors.Dtype.F64;
            case INT32 -> Safetensors.Dtype.I32;
            case INT64 -> Safetensors.Dtype.I64;
            case UINT8 -> Safetensors.Dtype.U8;
            default -> throw new IllegalArgumentException("parameter '" + name + "' is " + array.getDataType()
                    + ", which the safetensors export does not write");
        };
    }

    private static byte[] bytes(NDArray array, Safetensors.Dtype dtype) {
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(array.size() * dtype.bytes())).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F32 -> b.asFloatBuffer().put(array.toFloatArray());
            case F64 -> b.asDoubleBuffer().put(array.toDoubleArray());
            case I32 -> b.asIntBuffer().put(array.toIntArray());
            case I64 -> b.asLongBuffer().put(array.toLongArray());
            case U8 -> b.put(array.toByteArray());
        }
        return b.array();
    }
}
