package lab.d2c.app.cli;

import java.util.concurrent.Callable;
import lab.d2c.api.http.ApiServer;
import lab.d2c.api.http.ApiToken;
import lab.d2c.api.platform.Endpoints;
import lab.d2c.api.platform.Platform;
import lab.d2c.api.sweep.SweepService;
import lab.d2c.api.platform.D2cConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "api", mixinStandardHelpOptions = true,
        description = {"Serve the REST API against any Temporal, PostgreSQL and S3 (from D2C_* settings).",
                "Binds D2C_API_HOST:D2C_API_PORT (default 127.0.0.1:7070)."})
public final class ApiCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws InterruptedException {
        D2cConfig cfg = Endpoints.withLocalDefaults(config.load());
        ApiToken token = ApiToken.resolve(cfg);
        Platform platform = Platform.connect(cfg);
        ApiServer api = ApiServer.start(platform, new SweepService(platform.database(), platform.client(), cfg.taskQueue()),
                token);
        System.out.println("d2c api on " + api.baseUrl() + "/api/v1, pages on " + api.baseUrl() + "/ui/. Ctrl-C stops it.");
        token.announce(System.out);
        LocalCommand.awaitShutdown(() -> {
            api.close();
            platform.close();
        });
        return 0;
    }
}
