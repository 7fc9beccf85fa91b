package lab.d2c.api.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import lab.d2c.workers.stage1.Stage1Benchmark;
import lab.d2c.workers.stage2.Stage2Benchmark;
import lab.d2c.workers.tokenizer.TokenizerBenchmark;
import lab.d2c.workflows.spec.Presets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (they print figures, they assert nothing).",
        subcommands = {BenchCommand.Tokenizers.class, BenchCommand.Stage1.class, BenchCommand.Stage2.class,
            BenchCommand.EngineVsTorch.class})
public final class BenchCommand implements Runnable {

    @Override
    public void run() {
        System.out.println("Usage: d2c bench tokenizers|stage1|stage2|engine [--preset tiny] [--device cpu] ... (see d2c bench <name> --help)");
    }

    @Command(name = "tokenizers", mixinStandardHelpOptions = true,
            description = {"Train-step time of the VQ and KL-VAE tokenizers and pretokenize throughput (images/s)",
                    "at a preset's sizes, on procedural images of the preset's resolution."})
    static final class Tokenizers implements Callable<Integer> {

        @Mixin
        PresetAndDevice setup;

        @Option(names = "--steps", defaultValue = "10", description = "Timed training steps per tokenizer (default ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--warmup", defaultValue = "3", description = "Untimed steps first (default ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--images", defaultValue = "1024", description = "Images to pretokenize (default ${DEFAULT-VALUE}).")
        int images;

        @Override
        public Integer call() throws Exception {
            if (steps < 1 || warmup < 0 || images < 1) {
                System.err.println("d2c bench tokenizers: --steps and --images must be >= 1, --warmup >= 0");
                return 2;
            }
            ObjectNode preset = setup.preset("tokenizers");
            if (preset == null) {
                return 2;
            }
            TokenizerBenchmark.run(preset, setup.device, steps, warmup, images, System.out);
            System.out.println(machine());
            return 0;
        }
    }

    @Command(name = "stage1", mixinStandardHelpOptions = true,
            description = {"Stage one's train-step time at a preset's sizes, and sampling tokens/s with and without",
                    "the KV cache (issue goal: the cache >= 5x faster at 64 tokens, batch 64)."})
    static final class Stage1 implements Callable<Integer> {

        @Mixin
        PresetAndDevice setup;

        @Option(names = "--steps", defaultValue = "10", description = "Timed training steps (default ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--warmup", defaultValue = "3", description = "Untimed steps first (default ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--batch", defaultValue = "64", description = "Sequences sampled at once (default ${DEFAULT-VALUE}).")
        int batch;

        @Override
        public Integer call() throws Exception {
            if (steps < 1 || warmup < 0 || batch < 1) {
                System.err.println("d2c bench stage1: --steps and --batch must be >= 1, --warmup >= 0");
                return 2;
            }
            ObjectNode preset = setup.preset("stage1");
            if (preset == null) {
                return 2;
            }
            Stage1Benchmark.run(preset, setup.device, steps, warmup, batch, System.out);
            System.out.println(machine());
            return 0;
        }
    }

    @Command(name = "stage2", mixinStandardHelpOptions = true,
            description = {"Seconds per image of D2C (stage one + stage two at 16/64/256 AR steps) and of the MAR",
                    "baseline (fusion none, same widths) at 64/256 steps, in one run; and stage two's train-step time.",
                    "Paper section 5.2: D2C at 64 steps about 3.5x faster than MAR at 256."})
    static final class Stage2 implements Callable<Integer> {

        @Mixin
        PresetAndDevice setup;

        @Option(names = "--grid", defaultValue = "16", description = "Tokens per side; 16 gives 256 tokens (default ${DEFAULT-VALUE}).")
        int grid;

        @Option(names = "--images", defaultValue = "16", description = "Images generated at once (default ${DEFAULT-VALUE}).")
        int images;

        @Option(names = "--steps", defaultValue = "5", description = "Timed training steps (default ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--warmup", defaultValue = "2", description = "Untimed training steps first (default ${DEFAULT-VALUE}).")
        int warmup;

        @Override
        public Integer call() throws Exception {
            if (grid < 1 || images < 1 || steps < 1 || warmup < 0) {
                System.err.println("d2c bench stage2: --grid, --images and --steps must be >= 1, --warmup >= 0");
                return 2;
            }
            ObjectNode preset = setup.preset("stage2");
            if (preset == null) {
                return 2;
            }
            Stage2Benchmark.run(preset, setup.device, grid, images, steps, warmup, System.out);
            System.out.println(machine());
            return 0;
        }
    }

    @Command(name = "engine", mixinStandardHelpOptions = true,
            description = {"Forward + backward of the stage-one transformer block and the diffusion head under DJL and",
                    "under PyTorch eager (bench/torch_engine.py, Debian's python3-torch; installed when absent), same",
                    "shapes and threads, at each preset's widths (issue goal: DJL <= 1.10x PyTorch). CPU."})
    static final class EngineVsTorch implements Callable<Integer> {

        @Option(names = "--presets", defaultValue = "tiny,b", split = ",", description = "Presets whose widths to use (default ${DEFAULT-VALUE}).")
        java.util.List<String> presets;

        @Option(names = "--images", defaultValue = "8", description = "Images per step: block batch, and head rows = images x tokens x diffusion_batch_mul (default ${DEFAULT-VALUE}).")
        int images;

        @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads of both engines (default: the machine's cores).")
        int threads;

        @Option(names = "--warmup", defaultValue = "2", description = "Untimed iterations first (default ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--iterations", defaultValue = "5", description = "Timed iterations; the median is reported (default ${DEFAULT-VALUE}).")
        int iterations;

        @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "The Python with torch (default ${DEFAULT-VALUE}).")
        String python;

        @Option(names = "--json", description = "Also write the rows as JSON here.")
        java.nio.file.Path json;

        @Override
        public Integer call() throws Exception {
            if (images < 1 || warmup < 0 || iterations < 1 || threads < 0) {
                System.err.println("d2c bench engine: --images and --iterations must be >= 1, --warmup and --threads >= 0");
                return 2;
            }
            for (String p : presets) {
                if (!Presets.exists(p)) {
                    System.err.println("d2c bench engine: --presets: no preset '" + p + "'; known: " + Presets.names());
                    return 2;
                }
            }
            java.nio.file.Path script = java.nio.file.Path.of("bench", "torch_engine.py");
            if (!java.nio.file.Files.isRegularFile(script)) {
                System.err.println("d2c bench engine: " + script.toAbsolutePath() + " not found; run it from the repository root");
                return 2;
            }
            if (!ensureTorch(python)) {
                return 1;
            }
            int n = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
            // DJL reads its thread count when the engine loads, which has not happened yet in this process
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(n));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
            java.util.List<ObjectNode> cases = new java.util.ArrayList<>();
            for (String p : presets) {
                cases.addAll(lab.d2c.workers.bench.EngineBenchmark.cases(p, Presets.load(p), images, n, warmup, iterations));
            }
            var rows = lab.d2c.workers.bench.EngineBenchmark.run(cases, script, python, System.out);
            System.out.println(machine() + ", " + n + " threads for both engines");
            if (json != null) {
                new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), rows);
                System.out.println("wrote " + json);
            }
            return 0;
        }

        /**
         * Debian's python3-torch and OpenBLAS, installed with apt when absent: Debian's torch calls the
         * system BLAS, which without OpenBLAS is the slow reference one; that would flatter DJL.
         */
        static boolean ensureTorch(String python) throws Exception {
            boolean torch = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start().waitFor() == 0;
            boolean openblas = new ProcessBuilder("dpkg", "-s", "libopenblas0-pthread").redirectErrorStream(true).start()
                    .waitFor() == 0;
            if (torch && openblas) {
                return true;
            }
            String packages = (torch ? "" : "python3-torch ") + (openblas ? "" : "libopenblas0-pthread");
            System.out.println("d2c bench engine: installing Debian's " + packages.trim());
            String sudo = "root".equals(System.getProperty("user.name")) ? "" : "sudo ";
            Process apt = new ProcessBuilder("sh", "-c", sudo + "apt-get install -y -qq " + packages).inheritIO().start();
            if (apt.waitFor() != 0
                    || new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start().waitFor() != 0) {
                System.err.println("d2c bench engine: could not install " + packages.trim() + " (apt-get install "
                        + packages.trim() + ")");
                return false;
            }
            return true;
        }
    }

    /** The options every benchmark has: which preset's sizes, on which device. */
    static final class PresetAndDevice {

        @Option(names = "--preset", defaultValue = "tiny", description = "Preset whose sizes to use (default ${DEFAULT-VALUE}).")
        String preset;

        @Option(names = "--device", defaultValue = "${env:D2C_DEVICE:-cpu}", description = "cpu or gpu:N (default ${DEFAULT-VALUE}).")
        String device;

        /** The preset's config, or null after saying on stderr that there is no such preset. */
        ObjectNode preset(String bench) {
            if (!Presets.exists(preset)) {
                System.err.println("d2c bench " + bench + ": --preset: no preset '" + preset + "'; known: "
                        + Presets.names());
                return null;
            }
            return Presets.load(preset);
        }
    }

    static String machine() {
        return "machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.arch")
                + ", ONEDNN_MAX_CPU_ISA=" + System.getenv().getOrDefault("ONEDNN_MAX_CPU_ISA", "unset");
    }
}
