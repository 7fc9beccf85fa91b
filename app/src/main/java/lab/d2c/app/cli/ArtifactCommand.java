package lab.d2c.app.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import lab.d2c.store.artifact.ArtifactKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "artifact", mixinStandardHelpOptions = true, description = "Fetch artifacts (weights, samples, checkpoints) through the API.",
        subcommands = {ArtifactCommand.Get.class})
public final class ArtifactCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = {"Download one artifact by key (as the lineage lists them, e.g. nodes/<node>/samples.png):",
                    "to stdout, or with -o to a file (written whole or not at all)."})
    static final class Get implements Callable<Integer> {

        @Parameters(paramLabel = "KEY", description = "The object key.")
        String key;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to this file instead of stdout.")
        Path output;

        @Mixin
        ApiOptions api;

        @Override
        public Integer call() throws IOException {
            try {
                ArtifactKeys.validate(key);
            } catch (IllegalArgumentException e) {
                throw CliError.usage(e.getMessage(), e);
            }
            StringBuilder path = new StringBuilder("/api/v1/artifacts");
            for (String segment : key.split("/")) {
                path.append('/').append(SweepCommand.encode(segment));
            }
            if (output == null) {
                api.reader().download(path.toString(), System.out);
                System.out.flush();
            } else {
                long bytes = Download.toFile(api.reader(), path.toString(), output);
                System.out.println("wrote " + output + " (" + bytes + " bytes)");
            }
            return 0;
        }
    }
}
