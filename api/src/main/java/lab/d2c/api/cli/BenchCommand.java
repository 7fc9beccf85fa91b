package lab.d2c.api.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import lab.d2c.workers.stage1.Stage1Benchmark;
import lab.d2c.workers.tokenizer.TokenizerBenchmark;
import lab.d2c.workflows.spec.Presets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (they print figures, they assert nothing).",
        subcommands = {BenchCommand.Tokenizers.class, BenchCommand.Stage1.class})
public final class BenchCommand implements Runnable {

    @Override
    public void run() {
        System.out.println("Usage: d2c bench tokenizers|stage1 [--preset tiny] [--device cpu] ... (see d2c bench <name> --help)");
    }

    @Command(name = "tokenizers", mixinStandardHelpOptions = true,
            description = {"Train-step time of the VQ and KL-VAE tokenizers and pretokenize throughput (images/s)",
                    "at a preset's sizes, on procedural images of the preset's resolution."})
    static final class Tokenizers implements Callable<Integer> {

        @Option(names = "--preset", defaultValue = "tiny", description = "Preset whose sizes to use (default ${DEFAULT-VALUE}).")
        String preset;

        @Option(names = "--device", defaultValue = "${env:D2C_DEVICE:-cpu}", description = "cpu or gpu:N (default ${DEFAULT-VALUE}).")
        String device;

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
            if (!Presets.exists(preset)) {
                System.err.println("d2c bench tokenizers: --preset: no preset '" + preset + "'; known: " + Presets.names());
                return 2;
            }
            ObjectNode config = Presets.load(preset);
            TokenizerBenchmark.run(config, device, steps, warmup, images, System.out);
            System.out.println(machine());
            return 0;
        }
    }

    @Command(name = "stage1", mixinStandardHelpOptions = true,
            description = {"Stage one's train-step time at a preset's sizes, and sampling tokens/s with and without",
                    "the KV cache (issue goal: the cache >= 5x faster at 64 tokens, batch 64)."})
    static final class Stage1 implements Callable<Integer> {

        @Option(names = "--preset", defaultValue = "tiny", description = "Preset whose sizes to use (default ${DEFAULT-VALUE}).")
        String preset;

        @Option(names = "--device", defaultValue = "${env:D2C_DEVICE:-cpu}", description = "cpu or gpu:N (default ${DEFAULT-VALUE}).")
        String device;

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
            if (!Presets.exists(preset)) {
                System.err.println("d2c bench stage1: --preset: no preset '" + preset + "'; known: " + Presets.names());
                return 2;
            }
            Stage1Benchmark.run(Presets.load(preset), device, steps, warmup, batch, System.out);
            System.out.println(machine());
            return 0;
        }
    }

    static String machine() {
        return "machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.arch")
                + ", ONEDNN_MAX_CPU_ISA=" + System.getenv().getOrDefault("ONEDNN_MAX_CPU_ISA", "unset");
    }
}
