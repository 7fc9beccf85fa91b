package lab.d2c.model.pretokenize;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import lab.d2c.config.tokenizer.KlVaeConfig;
import lab.d2c.config.tokenizer.VqConfig;
import lab.d2c.model.data.ImageBatches;
import lab.d2c.model.data.ImageSet;
import lab.d2c.model.data.ShapesDataset;
import lab.d2c.model.train.TrainableModel;
import lab.d2c.model.tokenizer.KlVae;
import lab.d2c.model.tokenizer.VqTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A measurement, run by hand (it prints, asserts nothing): encodes images with the tiny preset's VQ and
 * KL-VAE the way the {@code pretokenize} node does (weights initialized and then loaded, as
 * {@code workers.training.ModelWeights} does; batches of 256; on a thread of its own, as a Temporal
 * activity runs) and prints the process's resident memory (VmRSS) and the arrays held by the models'
 * manager before and after, and libtorch's grad mode on the encoding thread. One variant per JVM, so
 * allocator pools filled by one variant do not hide another's growth:
 *
 * <pre>
 * mvn -o -q -B -ntp test-compile -pl model-lib -am
 * mvn -o -q -B -ntp dependency:build-classpath -pl model-lib -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -cp model-lib/target/test-classes:model-lib/target/classes:$(cat cp.txt) \
 *     lab.d2c.model.pretokenize.PretokenizeMemoryMeasurement VARIANT [IMAGES]
 * </pre>
 *
 * Variants: {@code both} (the node), {@code vq}, {@code vae} (one tokenizer), {@code both-nograd} (grad
 * mode switched off on the thread first), {@code both-init} (weights only initialized, as the test
 * fixtures do), {@code both-main} (on the thread that loaded the engine). As a test it runs the
 * variant named by {@code d2c.measure.pretokenize}.
 */
@EnabledIfSystemProperty(named = "d2c.measure.pretokenize", matches = ".+")
class PretokenizeMemoryMeasurement {

    private static final int BATCH = 256;

    @Test
    void measure() throws Exception {
        run(System.getProperty("d2c.measure.pretokenize"), Integer.getInteger("d2c.measure.images", 4000));
    }

    public static void main(String[] args) throws Exception {
        run(args[0], args.length > 1 ? Integer.parseInt(args[1]) : 4000);
    }

    private static void run(String variant, int count) throws Exception {
        Engine.getInstance();
        ImageSet images = ShapesDataset.generate(count, 32, 1, 10, 7);
        try (NDManager models = NDManager.newBaseManager()) {
            boolean init = variant.endsWith("-init");
            VqTokenizer vq = new VqTokenizer(VqConfig.tiny());
            KlVae vae = new KlVae(KlVaeConfig.tiny());
            prepare(vq, models, 1, init);
            prepare(vae, models, 2, init);
            Runnable work = () -> {
                if (variant.endsWith("-nograd")) {
                    JniUtils.setGradMode(false);
                }
                System.out.printf("grad mode on the encoding thread: %s%n", JniUtils.isGradMode());
                System.out.printf("first VAE parameter requires grad: %s; an encoded mean requires grad: %s%n",
                        JniUtils.requiresGrad((PtNDArray) vae.getParameters().valueAt(0).getArray()),
                        requiresGradOfEncoding(vae, images, models));
                encode(variant, vq, vae, images, models);
            };
            System.out.printf("variant %s, %d images (x2 flips), batch %d%n", variant, count, BATCH);
            System.out.printf("JVM: %s%n", jvmMemory());
            long before = rssKiB();
            int arraysBefore = arrays(models);
            if (variant.endsWith("-main")) {
                work.run();
            } else {
                AtomicReference<Throwable> failed = new AtomicReference<>();
                Thread t = new Thread(work, "encoder");
                t.setUncaughtExceptionHandler((th, e) -> failed.set(e));
                t.start();
                t.join();
                if (failed.get() != null) {
                    throw new IllegalStateException(failed.get());
                }
            }
            long after = rssKiB();
            System.out.printf("JVM: %s%n", jvmMemory());
            System.gc();
            Thread.sleep(500);
            long afterGc = rssKiB();
            System.out.printf("JVM: %s%n", jvmMemory());
            System.out.printf("RESULT %s: RSS %d -> %d MiB (after GC %d), growth %.1f KiB per encoded image;"
                    + " arrays on the models' manager %d -> %d%n", variant, before >> 10, after >> 10, afterGc >> 10,
                    (after - before) / (2.0 * count), arraysBefore, arrays(models));
        }
    }

    private static void encode(String variant, VqTokenizer vq, KlVae vae, ImageSet images, NDManager manager) {
        if (variant.startsWith("both")) {
            Pretokenizer p = new Pretokenizer(vq, vae, BATCH);
            long start = rssKiB();
            p.encode(images, manager, done -> {
                if (done % (BATCH * 4) == 0 || done == images.count()) {
                    System.out.printf("  %6d images: RSS %d MiB (+%d)%n", done, rssKiB() >> 10, (rssKiB() - start) >> 10);
                }
            });
            return;
        }
        ImageBatches batches = new ImageBatches(images);
        long start = rssKiB();
        for (int from = 0; from < images.count(); from += BATCH) {
            int to = Math.min(images.count(), from + BATCH);
            try (NDManager scratch = manager.newSubManager()) {
                NDArray both = Pretokenizer.withMirrors(batches.images(scratch, from, to));
                if (variant.equals("vq")) {
                    vq.encodeIds(both).toIntArray();
                } else {
                    vae.encode(both).mean().toFloatArray();
                }
            }
            if (to % (BATCH * 4) == 0 || to == images.count()) {
                System.out.printf("  %6d images: RSS %d MiB (+%d)%n", to, rssKiB() >> 10, (rssKiB() - start) >> 10);
            }
        }
    }

    /** Whether a batch's posterior mean carries an autograd graph (so its intermediates are saved for backward). */
    private static boolean requiresGradOfEncoding(KlVae vae, ImageSet images, NDManager manager) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray batch = new ImageBatches(images).images(scratch, 0, Math.min(BATCH, images.count()));
            return JniUtils.requiresGrad((PtNDArray) vae.encode(batch).mean());
        }
    }

    /** Initializes, and unless {@code initOnly} saves and reloads the parameters as the workers do. */
    private static void prepare(TrainableModel model, NDManager manager, long seed, boolean initOnly) {
        Engine.getInstance().setRandomSeed((int) seed);
        model.block().initialize(manager, DataType.FLOAT32, model.initShapes());
        if (initOnly) {
            return;
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            model.block().saveParameters(new DataOutputStream(bytes));
            model.block().loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Arrays (and sub-managers) a manager holds, read from BaseNDManager's resource map. */
    static int arrays(NDManager manager) {
        try {
            Field f = BaseNDManager.class.getDeclaredField("resources");
            f.setAccessible(true);
            return ((Map<?, ?>) f.get(manager)).size();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Heap committed and used, and the JVM's direct buffers (DJL copies every Java array it wraps into one). */
    static String jvmMemory() {
        Runtime r = Runtime.getRuntime();
        long direct = java.lang.management.ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)
                .stream().filter(b -> b.getName().equals("direct")).mapToLong(java.lang.management.BufferPoolMXBean::getMemoryUsed)
                .sum();
        return String.format("heap committed %d MiB, used %d MiB; direct buffers %d MiB", r.totalMemory() >> 20,
                (r.totalMemory() - r.freeMemory()) >> 20, direct >> 20);
    }

    static long rssKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
