package lab.d2c.app.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.Callable;
import lab.d2c.app.local.LocalModeStacks;
import lab.d2c.app.setup.AptInstall;
import lab.d2c.bench.stage1.Stage1Benchmark;
import lab.d2c.bench.stage2.Stage2Benchmark;
import lab.d2c.bench.tokenizer.TokenizerBenchmark;
import lab.d2c.workflows.spec.Presets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (they print figures, they assert nothing).",
        subcommands = {BenchCommand.Tokenizers.class, BenchCommand.Stage1.class, BenchCommand.Stage2.class,
            BenchCommand.EngineVsTorch.class, BenchCommand.PlatformCost.class, BenchCommand.WorkerMemory.class})
public final class BenchCommand implements Runnable {

    @Override
    public void run() {
        System.out.println("Usage: d2c bench tokenizers|stage1|stage2|engine|platform|memory [--preset tiny] [--device cpu] ... (see d2c bench <name> --help)");
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
            var result = TokenizerBenchmark.run(preset, setup.device, steps, warmup, images, System.out);
            System.out.println(machine());
            writeJson(setup.json, result);
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

        @Option(names = "--train-batch", defaultValue = "0", description = "Training batch (default: the preset's).")
        int trainBatch;

        @Option(names = "--rounds", defaultValue = "5", description = "Rounds timing sampling with and without the cache once each, in alternating order; medians, min-max ranges and the per-round speed-up's median are reported (default ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--warmup-rounds", defaultValue = "2", description = "Untimed rounds of both sampling arms before the timed ones (default ${DEFAULT-VALUE}: the first two timed rounds were the slowest in every earlier run).")
        int warmupRounds;

        @Override
        public Integer call() throws Exception {
            if (steps < 0 || warmup < 0 || batch < 1 || trainBatch < 0 || rounds < 1 || warmupRounds < 1) {
                System.err.println("d2c bench stage1: --batch, --rounds and --warmup-rounds must be >= 1, --steps (0 skips training), --warmup and --train-batch >= 0");
                return 2;
            }
            ObjectNode preset = setup.preset("stage1");
            if (preset == null) {
                return 2;
            }
            var result = Stage1Benchmark.run(preset, setup.device, steps, warmup, batch, trainBatch, warmupRounds,
                    rounds, System.out);
            System.out.println(machine());
            writeJson(setup.json, result);
            return 0;
        }
    }

    @Command(name = "stage2", mixinStandardHelpOptions = true,
            description = {"Seconds per image of D2C (stage one + stage two at 16/64/256 AR steps) and of the MAR",
                    "baseline (fusion none, same widths) at 64/256 steps, in one run; and stage two's train-step time.",
                    "Paper section 5.2: D2C at 64 steps about 3.5x faster than MAR at 256. Beside them RDPM",
                    "(arXiv:2412.18390) at T = 10, its predictor at stage two's width and depth, without and with",
                    "guidance (random weights; the tokenizer's decoder not timed, as the VAE's is not for D2C)."})
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

        @Option(names = "--train-batch", defaultValue = "0", description = "Training batch (default: the preset's).")
        int trainBatch;

        @Option(names = "--rounds", defaultValue = "5", description = "Rounds timing every sampling arm once, in an order rotated each round; medians, min-max ranges and the per-round D2C@64/MAR@256 ratio's median are reported (default ${DEFAULT-VALUE}).")
        int rounds;

        @Override
        public Integer call() throws Exception {
            if (grid < 1 || images < 1 || steps < 0 || warmup < 0 || trainBatch < 0 || rounds < 1) {
                System.err.println("d2c bench stage2: --grid, --images and --rounds must be >= 1, --steps (0 skips training), --warmup and --train-batch >= 0");
                return 2;
            }
            ObjectNode preset = setup.preset("stage2");
            if (preset == null) {
                return 2;
            }
            var result = Stage2Benchmark.run(preset, setup.device, grid, images, steps, warmup, trainBatch, rounds,
                    System.out);
            System.out.println(machine());
            writeJson(setup.json, result);
            return 0;
        }
    }

    @Command(name = "engine", mixinStandardHelpOptions = true,
            description = {"Forward + backward of the stage-one transformer block and the diffusion head, the whole",
                    "stage-two training step (MAE, Q-Former, learned-sigma head, AdamW, EMA) and the whole D2C",
                    "sampling loop, under DJL and under PyTorch eager (bench/torch_engine.py, Debian's python3-torch;",
                    "installed when absent), same shapes and threads, at each preset's widths (issue goal: DJL <= 1.10x",
                    "PyTorch). CPU."})
    static final class EngineVsTorch implements Callable<Integer> {

        @Option(names = "--presets", defaultValue = "tiny,b", split = ",", description = "Presets whose widths to use (default ${DEFAULT-VALUE}).")
        java.util.List<String> presets;

        @Option(names = "--images", defaultValue = "8", description = "Images per step: block batch, head rows = images x tokens x diffusion_batch_mul, stage-two training and sampling batch (default ${DEFAULT-VALUE}).")
        int images;

        @Option(names = "--models", defaultValue = "llama-block,diffusion-head,stage2-train,d2c-sample", split = ",", description = "Which cases to time (default ${DEFAULT-VALUE}).")
        java.util.List<String> models;

        @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads of both engines (default: the machine's cores).")
        int threads;

        @Option(names = "--warmup", defaultValue = "-1", description = "Untimed iterations first (default: about 3 s of them, 2 to 20).")
        int warmup;

        @Option(names = "--iterations", defaultValue = "-1", description = "Timed iterations; the median is reported (default: about 15 s of them, 5 to 100).")
        int iterations;

        @Option(names = "--rounds", defaultValue = "2", description = "Rounds of DJL then PyTorch; each side's best median is reported (default ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "The Python with torch (default ${DEFAULT-VALUE}).")
        String python;

        @Option(names = "--json", description = "Also write the rows as JSON here.")
        java.nio.file.Path json;

        @Override
        public Integer call() throws Exception {
            if (images < 1 || warmup < -1 || iterations == 0 || iterations < -1 || threads < 0 || rounds < 1) {
                System.err.println("d2c bench engine: --images, --iterations and --rounds must be >= 1, --warmup and --threads >= 0");
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
                try {
                    cases.addAll(lab.d2c.bench.engine.EngineBenchmark.cases(p, Presets.load(p), images, n, warmup,
                            iterations, models));
                } catch (IllegalArgumentException e) {
                    System.err.println("d2c bench engine: --models: " + e.getMessage());
                    return 2;
                }
            }
            var rows = lab.d2c.bench.engine.EngineBenchmark.run(cases, script, python, rounds, System.out);
            System.out.println(machine() + ", " + n + " threads for both engines");
            writeJson(json, rows);
            return 0;
        }

        /**
         * Debian's python3-torch and OpenBLAS, installed with apt when absent: Debian's torch calls the
         * system BLAS, which without OpenBLAS is the slow reference one; that would flatter DJL.
         */
        static boolean ensureTorch(String python) throws Exception {
            AptInstall.Outcome o = AptInstall.system(System.out, "d2c bench engine").ensure(List.of(
                    AptInstall.Need.probe("python3-torch", "the PyTorch side of the comparison", python, "-c", "import torch"),
                    AptInstall.Need.of("libopenblas0-pthread", "Debian's torch calls the system BLAS")));
            if (!o.ok()) {
                System.err.println("d2c bench engine: could not install what PyTorch eager needs: " + o.reason()
                        + ". To fix: " + o.fix());
            }
            return o.ok();
        }
    }

    /** The options every benchmark has: which preset's sizes, on which device. */
    static final class PresetAndDevice {

        @Option(names = "--preset", defaultValue = "tiny", description = "Preset whose sizes to use (default ${DEFAULT-VALUE}).")
        String preset;

        @Option(names = "--device", defaultValue = "${env:D2C_DEVICE:-cpu}", description = "cpu or gpu:N (default ${DEFAULT-VALUE}).")
        String device;

        @Option(names = "--json", description = "Also write the figures as JSON here.")
        java.nio.file.Path json;

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

    @Command(name = "platform", mixinStandardHelpOptions = true,
            description = {"The platform's own cost on fresh embedded stacks (one node slot, as ./d2c demo): submission to",
                    "first activity start; orchestration overhead (idle node slot between nodes, S3 and PostgreSQL time)",
                    "as a share of a whole sweep's wall time (issue goal <= 2%%); checkpoint write and read MiB/s to the",
                    "S3 store; and the sweep-cache law for N arms differing only in stage two."})
    static final class PlatformCost implements Callable<Integer> {

        @Option(names = "--sweep", description = "Bundled sweep for the overhead (default: demo, or smoke without Fashion-MNIST); 'none' skips it.")
        String sweep;

        @Option(names = "--law-sweep", defaultValue = "smoke", description = "Bundled sweep whose arms the cache law varies by stage2.seed (default ${DEFAULT-VALUE}).")
        String lawSweep;

        @Option(names = "--law-arms", defaultValue = "1,2,4", split = ",", description = "Arm counts for the cache law; 0 skips it (default ${DEFAULT-VALUE}).")
        java.util.List<Integer> lawArms;

        @Option(names = "--checkpoint-mb", defaultValue = "64", description = "Checkpoint object size in MiB; 0 skips it (default ${DEFAULT-VALUE}).")
        int checkpointMb;

        @Option(names = "--repeats", defaultValue = "3", description = "Checkpoint writes and reads; the median is reported (default ${DEFAULT-VALUE}).")
        int repeats;

        @Option(names = "--json", description = "Also write the figures as JSON here.")
        java.nio.file.Path json;

        @Override
        public Integer call() throws Exception {
            String overhead = sweep == null ? defaultSweep() : sweep;
            java.util.List<Integer> law = lawArms.stream().filter(n -> n != 0).toList();
            String bad = badSweep("--sweep", overhead, true);
            bad = bad != null ? bad : badSweep("--law-sweep", lawSweep, false);
            if (bad == null && (checkpointMb < 0 || repeats < 1 || law.stream().anyMatch(n -> n < 0 || n > 16))) {
                bad = "--checkpoint-mb must be >= 0, --repeats >= 1, --law-arms each 0..16";
            }
            if (bad != null) {
                System.err.println("d2c bench platform: " + bad);
                return 2;
            }
            java.nio.file.Path work = java.nio.file.Files.createTempDirectory("d2c-bench-platform");
            try {
                var report = lab.d2c.bench.platform.PlatformBenchmark.run(new lab.d2c.bench.platform.PlatformBenchmark.Options(
                        "none".equals(overhead) ? null : overhead, lawSweep, law, checkpointMb, repeats, work),
                        LocalModeStacks.INSTANCE, System.out);
                System.out.println(machine());
                writeJson(json, report);
                return 0;
            } finally {
                deleteTree(work);
            }
        }
    }

    @Command(name = "memory", mixinStandardHelpOptions = true,
            description = {"Peak resident memory of a separate ./d2c worker process during each node of one arm of a bundled",
                    "sweep (tiny sizes), every trainer run for --steps steps, and its growth from 10%% to 95%% of each",
                    "node (issue goal: peak <= 3 GiB on tiny, no growth over 1000 steps)."})
    static final class WorkerMemory implements Callable<Integer> {

        @Option(names = "--sweep", description = "Bundled sweep whose first configuration to run (default: demo, or smoke without Fashion-MNIST).")
        String sweep;

        @Option(names = "--steps", defaultValue = "1000", description = "Steps of every trainer (default ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--json", description = "Also write the figures as JSON here.")
        java.nio.file.Path json;

        @Override
        public Integer call() throws Exception {
            String name = sweep == null ? defaultSweep() : sweep;
            String bad = badSweep("--sweep", name, false);
            if (bad == null && steps < 4) {
                bad = "--steps must be >= 4";
            }
            if (bad != null) {
                System.err.println("d2c bench memory: " + bad);
                return 2;
            }
            java.nio.file.Path work = java.nio.file.Files.createTempDirectory("d2c-bench-memory");
            try {
                var report = lab.d2c.bench.platform.WorkerMemoryBenchmark.run(
                        new lab.d2c.bench.platform.WorkerMemoryBenchmark.Options(name, steps, work), LocalModeStacks.INSTANCE,
                        System.out);
                System.out.println(machine());
                writeJson(json, report);
                return 0;
            } finally {
                deleteTree(work);
            }
        }
    }

    /** The demo sweep, or the smoke sweep where Debian's Fashion-MNIST is not installed. */
    private static String defaultSweep() {
        return java.nio.file.Files.isDirectory(lab.d2c.model.data.FashionMnist.DEBIAN_DIR) ? "demo" : "smoke";
    }

    private static String badSweep(String option, String name, boolean noneAllowed) {
        if ((noneAllowed && "none".equals(name)) || lab.d2c.workflows.spec.BundledSweeps.names().contains(name)) {
            return null;
        }
        return option + ": no bundled sweep '" + name + "'; known: " + lab.d2c.workflows.spec.BundledSweeps.names();
    }

    private static void writeJson(java.nio.file.Path json, Object report) throws java.io.IOException {
        if (json != null) {
            new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), report);
            System.out.println("wrote " + json);
        }
    }

    private static void deleteTree(java.nio.file.Path dir) throws java.io.IOException {
        try (var paths = java.nio.file.Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static String machine() {
        return "machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.arch")
                + ", ONEDNN_MAX_CPU_ISA=" + System.getenv().getOrDefault("ONEDNN_MAX_CPU_ISA", "unset")
                + ", THP_MEM_ALLOC_ENABLE=" + System.getenv().getOrDefault("THP_MEM_ALLOC_ENABLE", "unset")
                // ATen's vectorized kernels: the highest the CPU has unless this caps them (BENCHMARKS.md, section 2)
                + ", ATEN_CPU_CAPABILITY=" + System.getenv().getOrDefault("ATEN_CPU_CAPABILITY", "unset")
                + " (transparent huge pages: " + transparentHugePages() + "), MKL kernels: "
                + lab.d2c.model.runtime.MklKernels.current().description()
                + ", fused optimizer: " + lab.d2c.model.train.FusedKernels.status();
    }

    /** The kernel's THP mode, the bracketed word of /sys/kernel/mm/transparent_hugepage/enabled. */
    private static String transparentHugePages() {
        try {
            String modes = java.nio.file.Files.readString(java.nio.file.Path.of("/sys/kernel/mm/transparent_hugepage/enabled"));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[(\\w+)]").matcher(modes);
            return m.find() ? m.group(1) : modes.trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
