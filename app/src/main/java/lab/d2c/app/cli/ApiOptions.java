package lab.d2c.app.cli;

import picocli.CommandLine.Option;

/** Where the API is: the option every command that talks to it shares. */
final class ApiOptions {

    @Option(names = "--api", description = "API base URL (default $D2C_API_URL or http://127.0.0.1:7070).")
    String api = SweepCommand.defaultApi();

    /** A client for reads, which need no token. */
    ApiClient reader() {
        return new ApiClient(api);
    }

    /** A client that sends the token of {@code auth} on POST (the mutating calls). */
    ApiClient writer(TokenOptions auth) {
        return new ApiClient(api, auth.token());
    }
}
